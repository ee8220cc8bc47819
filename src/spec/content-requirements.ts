/**
 * @module
 * What a step must say before a campaign launches: an email needs a subject, an SMS
 * a text, a notification or post something to show, a publication a title. Checked at launch,
 * so a campaign missing one is refused before any of its steps sends anything (instead of
 * failing at that step after earlier steps went out). A field bound from another step's
 * outputs (`dependsOn[].bind`) counts as given.
 */
import type { Issue } from '../errors.js';
import type { CampaignSpec, Step } from './campaign-schema.js';

type Field = 'title' | 'subject' | 'text' | 'html' | 'link' | 'mediaUrls';

/** Per action: alternatives, each a list of fields of which one must be given. */
const REQUIRED: Partial<Record<Step['action'], readonly (readonly Field[])[]>> = {
  email: [['subject', 'title']],
  sms: [['text']],
  notify: [['title', 'text', 'link']],
  post: [['text', 'title', 'link', 'mediaUrls']],
  publish: [['title', 'subject']],
};

/**
 * The issues of steps whose content lacks what their action needs (`missing_content`, with the
 * path of the content and the fields to add).
 * @example
 * contentIssues(spec); // [{ code: 'missing_content', path: ['steps', 0, 'content', 'subject'], … }]
 */
export function contentIssues(spec: CampaignSpec): Issue[] {
  const issues: Issue[] = [];
  spec.steps.forEach((step, index) => {
    const bound = new Set(step.dependsOn.flatMap((d) => Object.keys(d.bind)));
    const has = (field: Field): boolean => {
      if (bound.has(field)) return true;
      const c = step.content;
      if (field === 'mediaUrls') return c.mediaUrls.length > 0;
      const variantsHave =
        c.variants.length > 0 &&
        (field === 'subject' || field === 'text') &&
        c.variants.every((v) => (v[field] ?? '') !== '');
      return (c[field] ?? '') !== '' || variantsHave;
    };
    for (const fields of REQUIRED[step.action] ?? []) {
      if (fields.some(has)) continue;
      issues.push({
        code: 'missing_content',
        path: ['steps', index, 'content', fields[0]!],
        message: `${step.id}: a ${step.action} step needs content.${fields.join(' or content.')}`,
        suggestions: [`add "${fields[0]!}" to the step's content`],
      });
    }
  });
  return issues;
}
