/**
 * @module
 * Per-field precision and recall of facts views against the expected facts of the sample
 * corpus: each field is compared as a multiset of canonical items; a condition's `then` is
 * matched loosely, by the kind of action it names.
 */
import { readFileSync } from 'node:fs';
import type { CampaignFacts } from '../../src/nl/campaign-facts.js';

/** One sample of the shared corpus. */
export interface Sample {
  readonly id: string;
  readonly text: string;
  readonly expect: CampaignFacts;
}

/** The fields scored. */
export const FIELDS = [
  'channels',
  'timing',
  'audience',
  'dependencies',
  'conditions',
  'ambiguities',
] as const;
/** A scored field. */
export type Field = (typeof FIELDS)[number];

/** Reads `samples.jsonl`. */
export function loadSamples(path = '/work/shared/nl/samples.jsonl'): Sample[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Sample);
}

const ACTION_KINDS: readonly (readonly [string, readonly string[]])[] = [
  ['resend', ['resend', 're-send']],
  ['pause', ['pause', 'stop']],
  ['shift', ['shift', 'move']],
  ['budget', ['raise', 'increase', 'bump', 'lower', 'cut', 'budget']],
  ['pick', ['pick', 'winner']],
];

/** The kind of action a condition's `then` names ("pause the ads" → pause). */
export function actionKind(then: string): string {
  const text = then.toLowerCase();
  return ACTION_KINDS.find(([, words]) => words.some((w) => text.includes(w)))?.[0] ?? 'notify';
}

function canonical(field: Field, item: unknown): string {
  if (field === 'conditions') {
    const c = item as CampaignFacts['conditions'][number];
    return JSON.stringify([c.metric, c.op, c.threshold, c.window, actionKind(c.then)]);
  }
  if (field === 'audience') {
    const a = item as CampaignFacts['audience'][number];
    const value =
      Array.isArray(a.value) && a.op !== 'between' ? [...(a.value as string[])].sort() : a.value;
    return JSON.stringify([a.field, a.op, value, a.window ?? null]);
  }
  return JSON.stringify(item);
}

/** True-positive, predicted and expected counts of one field. */
export interface Counts {
  tp: number;
  got: number;
  want: number;
}

/** Counts for one field of one sample. */
export function countField(field: Field, got: CampaignFacts, want: CampaignFacts): Counts {
  const a = (got[field] as readonly unknown[]).map((x) => canonical(field, x));
  const b = (want[field] as readonly unknown[]).map((x) => canonical(field, x));
  const pool = [...b];
  let tp = 0;
  for (const x of a) {
    const k = pool.indexOf(x);
    if (k >= 0) {
      tp++;
      pool.splice(k, 1);
    }
  }
  return { tp, got: a.length, want: b.length };
}

/** Precision and recall per field over many samples (micro-averaged; 1 when nothing to find). */
export function score(
  pairs: readonly (readonly [CampaignFacts, CampaignFacts])[],
): Record<Field, { precision: number; recall: number }> {
  const out = {} as Record<Field, { precision: number; recall: number }>;
  for (const field of FIELDS) {
    const total = { tp: 0, got: 0, want: 0 };
    for (const [got, want] of pairs) {
      const c = countField(field, got, want);
      total.tp += c.tp;
      total.got += c.got;
      total.want += c.want;
    }
    out[field] = {
      precision: total.got === 0 ? 1 : total.tp / total.got,
      recall: total.want === 0 ? 1 : total.tp / total.want,
    };
  }
  return out;
}
