/**
 * @module
 * Campaign ids: the name a campaign has in the store, in commands and in the folder of its
 * report, so a safe slug — letters, digits, `-` and `_`, at most 80 characters, starting with
 * a letter or digit. Nothing else can climb out of a folder (`../../etc`) or smuggle a
 * terminal escape.
 */
import { ValidationError } from '../errors.js';

/** The pattern every campaign id matches. */
export const CAMPAIGN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;

/**
 * Returns `id` when it is a safe campaign id; throws `ValidationError` (`invalid_campaign_id`)
 * otherwise, naming where it came from.
 * @example
 * checkCampaignId('spring-sale', '--id'); // 'spring-sale'
 * checkCampaignId('../../etc', '--id');   // throws: --id "../../etc" is not a campaign id …
 */
export function checkCampaignId(id: string, source = 'the campaign id'): string {
  if (CAMPAIGN_ID_PATTERN.test(id)) return id;
  const shown = JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id);
  throw new ValidationError(`${source} ${shown}`, [
    {
      code: 'invalid_campaign_id',
      path: ['id'],
      message: 'a campaign id is 1–80 letters, digits, "-" or "_", starting with a letter or digit',
      suggestions: [slugOf(id)],
    },
  ]);
}

/** A safe id close to `text`. */
function slugOf(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^[-_]+|-+$/g, '')
      .slice(0, 80) || 'campaign'
  );
}
