/**
 * @module
 * Reads a campaign file: JSON or YAML specs, validated with issues that name the path and the
 * fix.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { HeraldError, ValidationError, type Issue } from '../errors.js';
import { splitMessage, type MessageSection } from '../content/message-section.js';
import { parseCampaign } from '../nl/parse-campaign.js';
import type { CampaignSpec } from '../spec/campaign-schema.js';
import { contentIssues } from '../spec/content-requirements.js';
import { validateCampaign } from '../spec/validate-campaign.js';

/** A loaded campaign, with what the plain-English parser noted without blocking. */
export interface LoadedCampaign {
  readonly spec: CampaignSpec;
  /** Non-blocking notes (assumptions the parser made and says so). */
  readonly notes: readonly Issue[];
  /** The plain-English text the campaign was read from, for descriptions. */
  readonly text?: string;
}

/**
 * Loads a campaign: a spec (`.json`, `.yaml`, `.yml`) or a plain-English description (`.txt`,
 * `.md`), read as of `now`. A description with a blocking ambiguity is refused with the
 * questions to answer.
 */
export async function loadCampaignFile(
  path: string,
  cwd: string,
  now: number,
): Promise<LoadedCampaign> {
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch {
    throw new HeraldError(
      'file_not_found',
      `cannot read ${path}: check the path (looked in ${full})`,
    );
  }
  const extension = extname(full).toLowerCase();
  if (extension === '.txt' || extension === '.md') return campaignFromText(path, text, now);
  if (extension !== '.json' && extension !== '.yaml' && extension !== '.yml') {
    throw new HeraldError(
      'unsupported_file',
      `${path}: expected a campaign spec (.json, .yaml, .yml) or a plain-English description (.txt, .md)`,
    );
  }
  let data: unknown;
  try {
    data = extension === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new HeraldError(
      'unreadable_spec',
      `${path} is not valid ${extension.slice(1).toUpperCase()}: ${(error as Error).message}`,
    );
  }
  const result = validateCampaign(data);
  if (!result.success) throw new ValidationError(path, result.error);
  const missing = contentIssues(result.data);
  if (missing.length > 0) throw new ValidationError(path, missing);
  return { spec: result.data, notes: [] };
}

/**
 * Reads a plain-English campaign as of `now` (epoch ms); `path` names it in messages and,
 * unless the text starts with `Campaign "…"`, gives the campaign its name. A message written
 * below a `---` line (`Subject:` first) is the content of every step that has none.
 * @example const { spec } = campaignFromText('examples/black-friday.txt', text, Date.now());
 */
export function campaignFromText(path: string, full: string, now: number): LoadedCampaign {
  const { description: text, message } = splitMessage(full);
  const parsed = parseCampaign(text, { now: new Date(now) });
  if (!parsed.success) {
    const questions = parsed.diagnostics.map((issue) => ({
      ...issue,
      message: `${quote(text, issue)}${issue.message}`,
    }));
    throw new ValidationError(`${path} needs answers before it can run; it`, questions);
  }
  const named = /^\s*Campaign "/.test(text) ? parsed.spec : { ...parsed.spec, name: titleOf(path) };
  const spec = validateCampaign(named);
  if (!spec.success) throw new ValidationError(path, spec.error);
  const { steps, notes } = message
    ? { steps: withMessage(spec.data, message), notes: [] }
    : withPlaceholders(spec.data);
  return { spec: { ...spec.data, steps }, notes: [...parsed.diagnostics, ...notes], text };
}

/** Platforms whose posts are media: a placeholder post carries a placeholder image. */
const MEDIA_PLATFORMS: ReadonlySet<string> = new Set(['instagram', 'tiktok']);
const PLACEHOLDER_IMAGE = 'https://herald.example/placeholder.jpg';

/** `examples/black-friday.txt` → `Black friday`. */
function titleOf(path: string): string {
  const base = basename(path, extname(path)).replace(/[-_]+/g, ' ').trim();
  return base.charAt(0).toUpperCase() + base.slice(1);
}

/**
 * A description says what to send where and when, rarely the words of the message: steps
 * without content get a placeholder named after the campaign, and a note says so.
 */
function withPlaceholders(spec: CampaignSpec): { steps: CampaignSpec['steps']; notes: Issue[] } {
  const notes: Issue[] = [];
  const steps = spec.steps.map((step, index) => {
    const c = step.content;
    if (c.title ?? c.subject ?? c.text ?? c.html) return step;
    notes.push({
      code: 'content_placeholder',
      path: ['steps', index, 'content'],
      message: `${step.id} has no message text; the sandbox run uses a placeholder — write the real content into the spec before sending for real`,
    });
    const text = `${spec.name}: ${step.action.replace('_', ' ')} on ${step.platform}`;
    const mediaUrls =
      MEDIA_PLATFORMS.has(step.platform) && c.mediaUrls.length === 0
        ? [PLACEHOLDER_IMAGE]
        : c.mediaUrls;
    return {
      ...step,
      content: {
        ...c,
        title: spec.name,
        subject: spec.name,
        text,
        html: `<p>${text}</p>`,
        mediaUrls,
      },
    };
  });
  return { steps, notes };
}

/** Steps without content carry the message written below the description. */
function withMessage(spec: CampaignSpec, message: MessageSection): CampaignSpec['steps'] {
  return spec.steps.map((step) => {
    const c = step.content;
    if (c.title ?? c.subject ?? c.text ?? c.html) return step;
    return {
      ...step,
      content: {
        ...c,
        subject: message.subject ?? spec.name,
        title: message.subject ?? spec.name,
        text: message.text,
        html: message.html,
      },
    };
  });
}

/** `"the words" — ` for an issue with a text span. */
function quote(text: string, issue: Issue): string {
  return issue.span ? `"${text.slice(issue.span[0], issue.span[1])}" — ` : '';
}
