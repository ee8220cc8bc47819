/**
 * @module
 * An `Audience` (a named segment and/or rules, minus excluded segments) as one rule tree,
 * so every evaluator handles audiences and rules alike.
 */
import type { Audience, AudienceRule } from '../spec/audience-schema.js';

/**
 * The single rule equivalent to `audience`: segment ∩ rules − each excluded segment.
 *
 * @example audienceRule({ segment: 'vip', exclude: ['churned'] })
 */
export function audienceRule(audience: Audience): AudienceRule {
  const parts: AudienceRule[] = [];
  if (audience.segment !== undefined) {
    parts.push({ type: 'segment', name: audience.segment, op: 'in' });
  }
  if (audience.rules !== undefined) parts.push(audience.rules);
  for (const name of audience.exclude) parts.push({ type: 'segment', name, op: 'not_in' });
  return parts.length === 1 ? parts[0]! : { type: 'and', rules: parts };
}
