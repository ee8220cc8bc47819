/**
 * @module
 * Message content with merge fields, rendered per recipient with LiquidJS
 * (`{{first_name | default: "there"}}`): HTML fields are rendered with every value
 * HTML-escaped, text fields as written. Before launch, {@link checkMergeFields} renders every
 * recipient strictly and reports each field a template names that recipients lack, with the
 * count; a field nobody has stops the launch.
 */
import { Liquid } from 'liquidjs';
import type { Issue } from '../errors.js';
import type { Profile } from '../segments/profile-model.js';
import type { StepContent } from '../spec/campaign-schema.js';

/** Content fields that may hold merge fields; `html` is escaped, the others are not. */
const TEXT_FIELDS = ['title', 'subject', 'text', 'link'] as const;

const plain = new Liquid({ ownPropertyOnly: true });
const render = (engine: Liquid, template: string, context: MergeContext): string =>
  String(engine.parseAndRenderSync(template, context));
const html = new Liquid({ ownPropertyOnly: true, outputEscape: 'escape' });
const strictPlain = new Liquid({ ownPropertyOnly: true, strictVariables: true, lenientIf: true });

/** The values a template can name for one recipient: profile fields, and traits by their own name. */
export type MergeContext = Readonly<Record<string, unknown>>;

/** The merge context of a profile: fixed fields, consent flags and every trait by name. */
export function mergeContext(profile: Profile): MergeContext {
  const { consent, traits, ...fixed } = profile;
  return {
    ...(traits ?? {}),
    ...fixed,
    consent_email: consent.email,
    consent_sms: consent.sms,
    consent_push: consent.push,
    traits: traits ?? {},
  };
}

/** True when any content field (or variant) holds a Liquid tag. */
export function hasMergeFields(content: StepContent): boolean {
  return templatesOf(content).some(([, t]) => /\{\{|\{%/.test(t));
}

/**
 * Renders `content` for one recipient: text fields as written, `html` with every value
 * escaped. A field the recipient lacks renders empty (or its `default:`).
 * @example renderContent({ text: 'Hi {{first_name | default: "there"}}', mediaUrls: [], variants: [] }, { first_name: 'Ana' });
 */
export function renderContent(content: StepContent, context: MergeContext): StepContent {
  const out: Record<string, unknown> = { ...content };
  for (const field of TEXT_FIELDS) {
    const value = content[field];
    if (value !== undefined) out[field] = render(plain, value, context);
  }
  if (content.html !== undefined) out.html = render(html, content.html, context);
  out.variants = content.variants.map((v) => ({
    ...v,
    ...(v.subject === undefined ? {} : { subject: render(plain, v.subject, context) }),
    ...(v.text === undefined ? {} : { text: render(plain, v.text, context) }),
  }));
  return out as StepContent;
}

/**
 * Checks `content`'s templates parse and renders them strictly for every recipient: issues
 * name each field recipients lack and how many (`missing_merge_field`, blocking when no
 * recipient has it). `where` is the issue path, e.g. `['steps', 0, 'content']`.
 */
export function checkMergeFields(
  content: StepContent,
  contexts: readonly MergeContext[],
  where: readonly (string | number)[],
): Issue[] {
  const issues: Issue[] = [];
  const missing = new Map<string, { field: string; count: number }>();
  for (const [field, template] of templatesOf(content)) {
    if (!/\{\{|\{%/.test(template)) continue;
    try {
      plain.parse(template);
    } catch (error) {
      issues.push({
        code: 'invalid_template',
        path: [...where, field],
        message: `the ${field} is not a valid template: ${(error as Error).message.split(',')[0]!}`,
        suggestions: ['write merge fields as {{first_name}} or {{first_name | default: "there"}}'],
      });
      continue;
    }
    for (const context of contexts) {
      try {
        strictPlain.parseAndRenderSync(template, context);
      } catch (error) {
        const name = /undefined variable: ([\w.]+)/.exec((error as Error).message)?.[1] ?? '?';
        const key = `${field}:${name}`;
        const entry = missing.get(key) ?? { field, count: 0 };
        entry.count++;
        missing.set(key, entry);
      }
    }
  }
  for (const [key, { field, count }] of missing) {
    const name = key.slice(field.length + 1);
    const none = count === contexts.length;
    issues.push({
      code: none ? 'unknown_merge_field' : 'missing_merge_field',
      path: [...where, field],
      message: none
        ? `{{${name}}} in the ${field}: no recipient has a field "${name}"`
        : `{{${name}}} in the ${field} is missing for ${String(count)} of ${String(contexts.length)} recipients; they see it empty`,
      suggestions: none
        ? [`add a column "${name}" to the audience, or fix the field's name`]
        : [
            `give it a default: {{${name} | default: "…"}}`,
            `fill "${name}" in for those recipients`,
          ],
    });
  }
  return issues;
}

function templatesOf(content: StepContent): [string, string][] {
  const out: [string, string][] = [];
  for (const field of [...TEXT_FIELDS, 'html'] as const) {
    const value = content[field];
    if (value !== undefined) out.push([field, value]);
  }
  for (const [i, v] of content.variants.entries()) {
    if (v.subject !== undefined) out.push([`variants.${String(i)}.subject`, v.subject]);
    if (v.text !== undefined) out.push([`variants.${String(i)}.text`, v.text]);
  }
  return out;
}
