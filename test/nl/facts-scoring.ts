/**
 * @module
 * Scores facts views against labelled descriptions (`{"id","text","expect","clear"?}` lines,
 * see docs/nl/FACTS.md): per-field precision, recall and F1 (each field compared as a multiset of
 * canonical items; a condition's `then` matched loosely, by the kind of action it names),
 * descriptions read entirely right, ambiguity recall, false alarms on clear texts and silent
 * misreadings.
 *
 * A description is *clear* when its line says `"clear": true`, or, on lines without the key,
 * when it expects no ambiguity tag. A *false alarm* is a clear text given any ambiguity tag.
 * A *silent misreading* is a description with a wrong or missing fact and no diagnostic about
 * it: channels, timing and dependencies are about `steps`, audience about `audience`,
 * conditions about `conditions` (by the diagnostic's path); an `unread` diagnostic (words the
 * parser quotes back) is about every field; a missing ambiguity tag is silent only when the
 * parse asks nothing back at all.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Issue } from '../../src/errors.js';
import { BLOCKING_CODES } from '../../src/nl/campaign-draft.js';
import { type CampaignFacts, toFacts } from '../../src/nl/campaign-facts.js';
import { parseCampaign } from '../../src/nl/parse-campaign.js';

/** One labelled description. */
export interface Sample {
  readonly id: string;
  readonly text: string;
  readonly expect: CampaignFacts;
  /** True when a careful reader finds nothing to ask back. */
  readonly clear?: boolean;
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

/** The reference "now" of the labelled corpora (docs/nl/FACTS.md: Wednesday 2026-11-25). */
export const REFERENCE_NOW = '2026-11-25T12:00:00Z';

/** Path of a fixture under `test/fixtures/nl/`. */
export function fixturePath(name: string): string {
  return join(import.meta.dirname, '..', 'fixtures', 'nl', name);
}

/** Reads a JSON-lines corpus (the 40 public samples by default). */
export function loadSamples(path = fixturePath('samples.jsonl')): Sample[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
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

/** Precision, recall and F1 of one field (1 when there was nothing to find or say). */
export interface FieldScore {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

function fieldScore(c: Counts): FieldScore {
  const precision = c.got === 0 ? 1 : c.tp / c.got;
  const recall = c.want === 0 ? 1 : c.tp / c.want;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** Precision and recall per field over many samples (micro-averaged; 1 when nothing to find). */
export function score(
  pairs: readonly (readonly [CampaignFacts, CampaignFacts])[],
): Record<Field, FieldScore> {
  const out = {} as Record<Field, FieldScore>;
  for (const field of FIELDS) {
    const total = { tp: 0, got: 0, want: 0 };
    for (const [got, want] of pairs) {
      const c = countField(field, got, want);
      total.tp += c.tp;
      total.got += c.got;
      total.want += c.want;
    }
    out[field] = fieldScore(total);
  }
  return out;
}

const AREA: Record<Exclude<Field, 'ambiguities'>, string> = {
  channels: 'steps',
  timing: 'steps',
  dependencies: 'steps',
  audience: 'audience',
  conditions: 'conditions',
};

/** How one description was read. */
export interface ScoredSample {
  readonly id: string;
  readonly facts: CampaignFacts;
  readonly expect: CampaignFacts;
  readonly diagnostics: readonly Issue[];
  /** Fields whose facts differ from the expected ones. */
  readonly wrong: readonly Field[];
  /** Wrong fields no diagnostic speaks about. */
  readonly silent: readonly Field[];
  readonly clear: boolean;
  /** A clear text given an ambiguity tag. */
  readonly falseAlarm: boolean;
}

/** Compares one parse with its labels. */
export function scoreSample(
  sample: Sample,
  facts: CampaignFacts,
  diagnostics: readonly Issue[],
): ScoredSample {
  const wrong = FIELDS.filter((field) => {
    const c = countField(field, facts, sample.expect);
    return c.tp !== c.got || c.tp !== c.want;
  });
  const unread = diagnostics.some((d) => d.code === 'unread');
  const asks = diagnostics.some((d) => BLOCKING_CODES.has(d.code));
  const silent = wrong.filter((field) => {
    if (field === 'ambiguities') {
      const missing = sample.expect.ambiguities.some((t) => !facts.ambiguities.includes(t));
      return missing && !asks;
    }
    return !unread && !diagnostics.some((d) => d.path[0] === AREA[field]);
  });
  const clear = sample.clear ?? sample.expect.ambiguities.length === 0;
  return {
    id: sample.id,
    facts,
    expect: sample.expect,
    diagnostics,
    wrong,
    silent,
    clear,
    falseAlarm: clear && facts.ambiguities.length > 0,
  };
}

/** Parses and scores every sample with the reference "now". */
export function scoreCorpus(samples: readonly Sample[], now = REFERENCE_NOW): ScoredSample[] {
  return samples.map((sample) => {
    const parsed = parseCampaign(sample.text, { now });
    return scoreSample(sample, toFacts(parsed.spec, parsed.diagnostics), parsed.diagnostics);
  });
}

/** The figures of a scored corpus. */
export interface CorpusReport {
  readonly descriptions: number;
  /** Micro-averaged over every fact of every field. */
  readonly factsF1: number;
  readonly fields: Record<Field, FieldScore>;
  readonly entirelyRight: number;
  readonly ambiguityRecall: number;
  readonly clearTexts: number;
  readonly falseAlarms: number;
  readonly falseAlarmRate: number;
  readonly silentMisreadings: number;
  readonly silentRate: number;
}

/** Sums the figures of scored samples. */
export function summarize(scored: readonly ScoredSample[]): CorpusReport {
  const fields = score(scored.map((s) => [s.facts, s.expect] as const));
  const total = { tp: 0, got: 0, want: 0 };
  for (const s of scored)
    for (const field of FIELDS) {
      const c = countField(field, s.facts, s.expect);
      total.tp += c.tp;
      total.got += c.got;
      total.want += c.want;
    }
  const n = Math.max(1, scored.length);
  const clear = scored.filter((s) => s.clear);
  const alarms = clear.filter((s) => s.falseAlarm).length;
  const silent = scored.filter((s) => s.silent.length > 0).length;
  return {
    descriptions: scored.length,
    factsF1: fieldScore(total).f1,
    fields,
    entirelyRight: scored.filter((s) => s.wrong.length === 0).length / n,
    ambiguityRecall: fields.ambiguities.recall,
    clearTexts: clear.length,
    falseAlarms: alarms,
    falseAlarmRate: clear.length === 0 ? 0 : alarms / clear.length,
    silentMisreadings: silent,
    silentRate: silent / n,
  };
}
