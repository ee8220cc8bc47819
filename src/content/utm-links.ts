/**
 * @module
 * Adds UTM parameters to every link of a step's content, so the analytics platform can tell
 * which campaign and step a visit came from. A parameter a link already carries is kept.
 */
import type { StepContent } from '../spec/campaign-schema.js';

/** The UTM parameters of one step. */
export interface UtmParameters {
  readonly source: string;
  readonly medium: string;
  readonly campaign: string;
  readonly content: string;
}

const URL_PATTERN = /https?:\/\/[^\s"'<>()]+[^\s"'<>().,;:!?]/g;

/**
 * Adds `utm_*` parameters to one URL (unless it already has them).
 * @example withUtm('https://shop.example/sale', { source: 'sendgrid', medium: 'email', campaign: 'spring', content: 'newsletter' });
 * // 'https://shop.example/sale?utm_source=sendgrid&utm_medium=email&utm_campaign=spring&utm_content=newsletter'
 */
export function withUtm(link: string, utm: UtmParameters): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return link;
  }
  for (const [key, value] of Object.entries(utm) as [string, string][]) {
    if (!url.searchParams.has(`utm_${key}`)) url.searchParams.set(`utm_${key}`, value);
  }
  return url.toString();
}

/** Adds UTM parameters to the `link` and to every URL in the text, HTML and variants of `content`. */
export function contentWithUtm(content: StepContent, utm: UtmParameters): StepContent {
  const inText = (text: string): string => text.replace(URL_PATTERN, (u) => withUtm(u, utm));
  const inHtml = (text: string): string =>
    text.replace(URL_PATTERN, (u) => withUtm(u.replace(/&amp;/g, '&'), utm).replace(/&/g, '&amp;'));
  return {
    ...content,
    ...(content.link === undefined ? {} : { link: withUtm(content.link, utm) }),
    ...(content.text === undefined ? {} : { text: inText(content.text) }),
    ...(content.html === undefined ? {} : { html: inHtml(content.html) }),
    variants: content.variants.map((v) =>
      v.text === undefined ? v : { ...v, text: inText(v.text) },
    ),
  };
}

/** `"Spring Sale 2026!"` → `spring-sale-2026`, for `utm_campaign`. */
export function utmSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
