/**
 * @module
 * The message of a plain-English campaign: below a line of three dashes, an optional
 * `Subject:` line and the text, merge fields and links included. The description above the
 * dashes says what to send where and when; the section below is what the message says. The
 * HTML version is the text in paragraphs, links made clickable, escaped outside merge fields.
 */

/** A message written below a description. */
export interface MessageSection {
  readonly subject?: string;
  readonly text: string;
  readonly html: string;
}

/** The description and, when the text has one, its message section. */
export interface SplitDescription {
  readonly description: string;
  readonly message?: MessageSection;
}

const SEPARATOR = /^-{3,}[ \t]*$/m;
const TAG = /(\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\})/;
const LINK = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g;

/**
 * Splits a description from the message written below `---`.
 * @example splitMessage('Send the newsletter now.\n---\nSubject: Hi {{first_name}}\n\nHello!');
 */
export function splitMessage(text: string): SplitDescription {
  const match = SEPARATOR.exec(text);
  if (!match) return { description: text };
  const description = text.slice(0, match.index);
  const body = text.slice(match.index + match[0].length).replace(/^\s*\n/, '');
  const subjectLine = /^subject:[ \t]*(.*)$/im.exec(body.split('\n')[0] ?? '');
  const subject = subjectLine?.[1]?.trim();
  const message = (subjectLine ? body.slice(body.indexOf('\n') + 1) : body).trim();
  return {
    description,
    message: {
      ...(subject ? { subject } : {}),
      text: message,
      html: toHtml(message),
    },
  };
}

/** Paragraphs of escaped text, links as anchors; Liquid tags are kept as written. */
function toHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map(
      (paragraph) =>
        `<p>${paragraph
          .split(TAG)
          .map((part, i) => (i % 2 === 1 ? part : linkify(escapeHtml(part))))
          .join('')
          .replace(/\n/g, '<br>\n')}</p>`,
    )
    .join('\n');
}

function linkify(escaped: string): string {
  return escaped.replace(LINK, (url) => `<a href="${url}">${url}</a>`);
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
