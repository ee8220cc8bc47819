/**
 * @module
 * `toFacts`: the at-a-glance facts view of a parsed campaign (see docs/nl/FACTS.md):
 * channels, timing, audience, dependencies, conditions and ambiguity tags. A field that a
 * diagnostic touches is shown as null, so the view states only what the text settled.
 */
import type { Issue } from '../errors.js';
import type { AudienceRule } from '../spec/audience-schema.js';
import type { ConditionAction } from '../spec/condition-schema.js';
import type { CampaignDraft, DraftStepSpec } from './campaign-draft.js';
import { type AudienceFilter, fromRule } from './audience-builder.js';
import { PLATFORM_LABELS } from './channel-lexicon.js';

/** One timing entry of the facts view. */
export interface TimingFact {
  readonly step: number;
  readonly kind: string;
  readonly local_time: string | null;
  readonly date: string | null;
  readonly zone: string | null;
  readonly recurrence: string | null;
  readonly after_step: number | null;
  readonly offset: string | null;
}

/** One condition of the facts view. */
export interface ConditionFact {
  readonly metric: string | null;
  readonly op: string;
  readonly threshold: number | null;
  readonly window: string | null;
  readonly then: string;
}

/** The facts view. */
export interface CampaignFacts {
  readonly channels: readonly { readonly platform: string; readonly action: string }[];
  readonly timing: readonly TimingFact[];
  readonly audience: readonly AudienceFilter[];
  readonly dependencies: readonly (readonly [number, number])[];
  readonly conditions: readonly ConditionFact[];
  readonly ambiguities: readonly string[];
  /** Every other diagnostic code (notes, unread words, blocking problems outside the tags). */
  readonly notes: readonly string[];
}

/** Tags of the facts view; other diagnostic codes are notes and are not listed. */
export const AMBIGUITY_TAGS: ReadonlySet<string> = new Set([
  'am_pm_missing',
  'time_without_zone',
  'missing_day',
  'missing_time',
  'contradictory_audience',
  'unknown_platform',
  'nonexistent_date',
  'dst_gap',
  'dst_overlap',
  'vague_quantity',
  'ambiguous_relative_date',
  'metric_unspecified',
  'missing_threshold',
  'past_date',
]);

const NULLED_BY_NOTES = new Set(['start_assumed', 'window_assumed']);

function rulesOf(rule: AudienceRule | undefined): AudienceRule[] {
  if (rule === undefined) return [];
  return rule.type === 'and' ? rule.rules.flatMap(rulesOf) : [rule];
}

/** A condition's action in words ("pause the Meta ads", "resend to non-openers"). */
export function describeAction(action: ConditionAction, steps: readonly DraftStepSpec[]): string {
  const label = (id: string): string => {
    const step = steps.find((s) => s.id === id);
    if (step === undefined) return id;
    const plain = step.action.startsWith('ad_') || step.platform === step.action;
    return `the ${PLATFORM_LABELS[step.platform]}${plain ? '' : ` ${step.action.replace('_', ' ')}`}`;
  };
  switch (action.type) {
    case 'pause':
      return `pause ${label(action.step)}`;
    case 'resume':
      return `resume ${label(action.step)}`;
    case 'resend':
      return `resend ${label(action.step)} to ${action.to === 'non_clickers' ? 'non-clickers' : 'non-openers'}`;
    case 'budget_change':
      if (action.percent !== undefined)
        return `${action.percent < 0 ? 'lower' : 'raise'} the budget of ${label(action.step)} by ${Math.abs(action.percent)}%`;
      return action.amount !== undefined
        ? `set the budget of ${label(action.step)} to ${action.amount} a day`
        : `change the budget of ${label(action.step)}`;
    case 'shift_budget':
      return `shift budget from ${label(action.steps[0]!)} to ${action.steps.slice(1).map(label).join(' and ')}`;
    case 'notify':
      return action.message;
    case 'pick_winner':
      return `pick the winner of ${action.steps.map(label).join(' and ')}`;
  }
}

/**
 * Projects a campaign (and the diagnostics of its parse) onto the facts view.
 * @example
 * const { spec, diagnostics } = parseCampaign(text, { now });
 * toFacts(spec, diagnostics).ambiguities; // e.g. ['am_pm_missing']
 */
export function toFacts(spec: CampaignDraft, diagnostics: readonly Issue[] = []): CampaignFacts {
  const index = new Map(spec.steps.map((s, i) => [s.id, i]));
  const nulled = new Set(
    diagnostics
      .filter((d) => AMBIGUITY_TAGS.has(d.code) || NULLED_BY_NOTES.has(d.code))
      .map((d) => d.path.join('.')),
  );
  const value = <T>(v: T | undefined, path: string): T | null =>
    v === undefined || nulled.has(path) ? null : v;
  const timing = spec.steps.map((s, i): TimingFact => {
    const t = s.timing;
    const p = `steps.${i}.timing.`;
    const at = (k: string): string | undefined =>
      (t as Record<string, unknown>)[k] as string | undefined;
    const relative = t.kind === 'relative';
    return {
      step: i,
      kind: t.kind,
      local_time: value(at('time'), `${p}time`),
      date: value(
        at(t.kind === 'recurring' ? 'start' : 'date'),
        t.kind === 'recurring' ? `${p}start` : `${p}date`,
      ),
      zone:
        t.kind === 'recipient_local' || (t.kind === 'recurring' && t.recipientLocal === true)
          ? null
          : value(at('zone'), `${p}zone`),
      recurrence: value(at('recurrence'), `${p}recurrence`),
      after_step: relative ? (index.get(t.after) ?? null) : null,
      offset: relative ? (t.offset ?? 'PT0S') : null,
    };
  });
  const dependencies: [number, number][] = [];
  spec.steps.forEach((s, i) => {
    const before = new Set(s.dependsOn.map((d) => d.step));
    if (s.timing.kind === 'relative') before.add(s.timing.after);
    for (const id of before) {
      const k = index.get(id);
      if (k !== undefined) dependencies.push([k, i]);
    }
  });
  const conditions = spec.conditions.map((c, i): ConditionFact => ({
    metric: c.metric ?? null,
    op: c.op,
    threshold: c.threshold,
    window: value(c.window, `conditions.${i}.window`),
    then: describeAction(c.then, spec.steps),
  }));
  const audience = rulesOf(spec.audience?.rules)
    .map(fromRule)
    .filter((f): f is AudienceFilter => f !== undefined);
  const merged: AudienceFilter[] = [];
  for (const f of audience) {
    const same = merged.findIndex(
      (m) => m.field === 'segment' && f.field === 'segment' && m.op === f.op,
    );
    if (same >= 0)
      merged[same] = {
        ...merged[same]!,
        value: [...(merged[same]!.value as string[]), ...(f.value as string[])],
      };
    else merged.push(f);
  }
  for (const name of spec.audience?.exclude ?? [])
    merged.push({ field: 'segment', op: 'not_in', value: [name] });
  const ambiguities = [
    ...new Set(diagnostics.map((d) => d.code).filter((c) => AMBIGUITY_TAGS.has(c))),
  ];
  return {
    channels: spec.steps.map((s) => ({ platform: s.platform, action: s.action })),
    timing,
    audience: merged,
    dependencies,
    conditions,
    ambiguities,
    notes: [...new Set(diagnostics.map((d) => d.code).filter((c) => !AMBIGUITY_TAGS.has(c)))],
  };
}
