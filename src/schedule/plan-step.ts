/**
 * @module
 * The step planner: turns one step's timing into send waves, each a UTC instant with the
 * recipients due then. Recipients are grouped by zone and each rule is resolved once per zone,
 * so a million recipients cost one pass to group them plus a few hundred zone resolutions.
 * Pure: time comes in as `now` and `anchorDoneAt`, never from the wall clock.
 */
import type { Issue, Result } from '../errors.js';
import type { CampaignSpec, Step } from '../spec/campaign-schema.js';
import type { Recipient } from '../connectors/connector.js';
import type { DstPolicy } from './dst-policy.js';
import { relativeInstant } from './relative-instant.js';
import { formatInstantIn, isKnownZone } from './zone-offset.js';
import { planZoneOccurrences, type WallClockTiming } from './zone-occurrences.js';

/** What the planner needs to plan one step. */
export interface PlanInput {
  readonly spec: CampaignSpec;
  readonly step: Step;
  /** Epoch ms when the campaign (or this resume) starts; the instant of `immediate` steps. */
  readonly now: number;
  /** Epoch ms when the step named by `timing.after` completed; required for relative steps. */
  readonly anchorDoneAt?: number;
  /** Who the step reaches; empty for posts, ads and notifications. */
  readonly recipients: readonly Recipient[];
}

/** Recipients due at one instant. */
export interface SendWave {
  /** Epoch ms. */
  readonly at: number;
  readonly recipients: readonly Recipient[];
  /** Index of the recurrence occurrence, 0 for one-off steps. */
  readonly occurrence: number;
  /** The local time and zone the wave stands for, e.g. `2026-12-01 09:00 America/New_York`. */
  readonly label: string;
}

/**
 * Plans `input.step`: waves sorted by `at` (then `occurrence`).
 *
 * - `immediate`: one wave at `now`.
 * - `absolute`: one wave at the local time in the timing's zone.
 * - `recipient_local`: one wave per distinct UTC instant; recipients grouped by their `zone`
 *   (unknown or invalid → `timing.fallbackZone ?? spec.defaultZone`).
 * - `recurring`: one wave per occurrence; with `recipientLocal`, per occurrence per instant.
 * - `relative`: `anchorDoneAt + offset`, snapped forward to `timing.time` in
 *   `timing.zone ?? spec.defaultZone` when given; without `anchorDoneAt` an `anchor_not_done`
 *   issue.
 *
 * DST follows `spec.compliance.dstGap` / `dstOverlap` (see `resolveLocalTime`); with `skip`,
 * a one-off time in a gap plans no wave for that zone, and `error` makes it a
 * `nonexistent_local_time` issue. With no recipients (posts, ads) a recipient-local rule plans
 * one wave in the fallback zone. Waves already in the past are kept: the runtime sends them at
 * once or finds them journaled. Sending windows, quiet hours and frequency caps are separate
 * pure passes over the result: `applySendWindows` (defer-to-send-window.ts) and `capWaves`
 * (cap-waves.ts).
 * @example
 * const plan = planStep({ spec, step, now: clock.now(), recipients });
 * if (plan.success) for (const wave of plan.data) await clock.sleepUntil(wave.at);
 */
export function planStep(input: PlanInput): Result<SendWave[]> {
  const { spec, step, now, recipients } = input;
  const timing = step.timing;
  const index = spec.steps.findIndex((s) => s.id === step.id);
  const path = ['steps', index < 0 ? step.id : index, 'timing'] as const;
  const policy: DstPolicy = { gap: spec.compliance.dstGap, overlap: spec.compliance.dstOverlap };
  switch (timing.kind) {
    case 'immediate':
      return ok([
        { at: now, recipients, occurrence: 0, label: formatInstantIn(now, spec.defaultZone) },
      ]);
    case 'absolute':
      return planInZones(timing, new Map([[timing.zone, recipients]]), policy, path);
    case 'recipient_local':
      return planInZones(
        timing,
        groupByZone(recipients, timing.fallbackZone ?? spec.defaultZone),
        policy,
        path,
      );
    case 'recurring': {
      const zone = timing.zone ?? spec.defaultZone;
      const groups = timing.recipientLocal
        ? groupByZone(recipients, zone)
        : new Map([[zone, recipients]]);
      return planInZones(timing, groups, policy, path);
    }
    case 'relative': {
      if (input.anchorDoneAt === undefined) {
        return fail({
          code: 'anchor_not_done',
          path: [...path, 'after'],
          message: `step "${step.id}" runs after "${timing.after}", which has not completed yet`,
          suggestions: [`plan "${step.id}" once "${timing.after}" completes, passing anchorDoneAt`],
        });
      }
      const zone = timing.zone ?? spec.defaultZone;
      const at = relativeInstant(timing, input.anchorDoneAt, zone, policy, path);
      if (!at.success) return at;
      return ok([
        { at: at.data, recipients, occurrence: 0, label: formatInstantIn(at.data, zone) },
      ]);
    }
  }
}

/**
 * Groups recipients by zone; recipients without a zone, or with one this runtime does not
 * know, join `fallback`. Order within a group is input order.
 */
export function groupByZone(
  recipients: readonly Recipient[],
  fallback: string,
): Map<string, Recipient[]> {
  const raw = new Map<string | undefined, Recipient[]>();
  for (const recipient of recipients) {
    const group = raw.get(recipient.zone);
    if (group === undefined) raw.set(recipient.zone, [recipient]);
    else group.push(recipient);
  }
  const groups = new Map<string, Recipient[]>();
  if (recipients.length === 0) groups.set(fallback, []);
  for (const [zone, members] of raw) {
    const key = zone !== undefined && isKnownZone(zone) ? zone : fallback;
    const existing = groups.get(key);
    groups.set(key, existing === undefined ? members : existing.concat(members));
  }
  return groups;
}

interface WaveBuilder {
  readonly at: number;
  readonly occurrence: number;
  readonly zones: string[];
  readonly groups: (readonly Recipient[])[];
}

function planInZones(
  timing: WallClockTiming,
  groups: ReadonlyMap<string, readonly Recipient[]>,
  policy: DstPolicy,
  path: readonly (string | number)[],
): Result<SendWave[]> {
  const builders = new Map<string, WaveBuilder>();
  const issues: Issue[] = [];
  for (const [zone, members] of groups) {
    const planned = planZoneOccurrences(timing, zone, policy, path);
    if (!planned.success) {
      issues.push(...planned.error);
      continue;
    }
    for (const { at, occurrence } of planned.data) {
      const key = `${at}:${occurrence}`;
      const builder = builders.get(key);
      if (builder === undefined)
        builders.set(key, { at, occurrence, zones: [zone], groups: [members] });
      else {
        builder.zones.push(zone);
        builder.groups.push(members);
      }
    }
  }
  if (issues.length > 0) return { success: false, error: issues };
  // Occurrences of a recurrence usually merge the same zones: they share one merged array,
  // so a year of daily waves for a million recipients does not copy them 365 times.
  const merged = new Map<string, readonly Recipient[]>();
  const waves = [...builders.values()]
    .sort((a, b) => a.at - b.at || a.occurrence - b.occurrence)
    .map((b): SendWave => {
      const zones = [...b.zones].sort();
      const more = zones.length > 1 ? ` (+${zones.length - 1} more zones)` : '';
      let recipients = b.groups.length === 1 ? b.groups[0] : merged.get(b.zones.join('\n'));
      if (recipients === undefined) {
        // concat copies in bulk; Array#flat is several times slower on large groups.
        recipients = b.groups[0]!.concat(...b.groups.slice(1));
        merged.set(b.zones.join('\n'), recipients);
      }
      return {
        at: b.at,
        occurrence: b.occurrence,
        recipients,
        label: `${formatInstantIn(b.at, zones[0]!)}${more}`,
      };
    });
  return ok(waves);
}

function ok(data: SendWave[]): Result<SendWave[]> {
  return { success: true, data };
}

function fail(issue: Issue): Result<SendWave[]> {
  return { success: false, error: [issue] };
}
