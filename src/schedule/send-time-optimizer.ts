/**
 * @module
 * Send-time optimisation: each recipient's best local hour from their engagement history
 * (opens and clicks by local hour), falling back to their segment's pattern, then to the
 * campaign's default hour, always within the allowed sending window.
 */
import type { Recipient } from '../connectors/connector.js';
import type { Issue, Result } from '../errors.js';
import { DAY_MS, HOUR_MS, parseLocalDate, wallTime } from './civil-date.js';
import {
  DEFAULT_DST_POLICY,
  nonexistentTimeIssue,
  resolveLocalTime,
  type DstPolicy,
} from './dst-policy.js';
import type { SendWave } from './plan-step.js';
import { isInWindow, nextInstantInWindow, type SendWindow } from './send-window.js';
import { formatInstantIn, isKnownZone, wallTimeAt } from './zone-offset.js';

/** One open or click by a recipient. */
export interface EngagementEvent {
  readonly recipientId: string;
  /** Epoch ms. */
  readonly at: number;
  readonly kind: 'open' | 'click';
}

/** How much each kind of engagement counts: a click says more than an open. */
export const ENGAGEMENT_WEIGHTS: Readonly<Record<EngagementEvent['kind'], number>> = {
  open: 1,
  click: 3,
};

/** Weighted engagement per local hour, index 0–23. */
export type HourProfile = readonly number[];

/** Where a chosen hour came from. */
export interface SendTimeChoice {
  /** Local hour, 0–23. */
  readonly hour: number;
  readonly source: 'recipient' | 'segment' | 'default';
}

/** Inputs of {@link bestSendHour}. */
export interface SendTimeInput {
  readonly own?: HourProfile;
  readonly segment?: HourProfile;
  /** Local hour to use without enough evidence. */
  readonly defaultHour: number;
  /** Hours with no minute inside the window are never chosen; a send goes at the hour's first allowed minute. */
  readonly window: SendWindow;
  /** Least total weight a profile needs to be trusted. @default 5 */
  readonly minWeight?: number;
}

/**
 * The weighted engagement of `events` by local hour in `zone`.
 * @example
 * hourProfile([{ recipientId: 'a', at: Date.UTC(2026, 0, 5, 14), kind: 'click' }], 'America/New_York')[9]; // 3
 */
export function hourProfile(events: readonly EngagementEvent[], zone: string): number[] {
  const profile = new Array<number>(24).fill(0);
  for (const event of events) addEvent(profile, event, zone);
  return profile;
}

/**
 * The best allowed hour: the recipient's own peak if their profile is trusted, else the
 * segment's, else `defaultHour` (moved to the next allowed hour when outside the window).
 * Ties go to the earlier hour.
 */
export function bestSendHour(input: SendTimeInput): SendTimeChoice {
  const minWeight = input.minWeight ?? 5;
  const allowed = (hour: number): boolean => openingInHour(input.window, hour) !== undefined;
  for (const [profile, source] of [
    [input.own, 'recipient'],
    [input.segment, 'segment'],
  ] as const) {
    if (profile === undefined || profile.reduce((a, b) => a + b, 0) < minWeight) continue;
    let best = -1;
    for (let hour = 0; hour < 24; hour++) {
      if (
        allowed(hour) &&
        (profile[hour] ?? 0) > 0 &&
        (best < 0 || profile[hour]! > profile[best]!)
      )
        best = hour;
    }
    if (best >= 0) return { hour: best, source };
  }
  for (let step = 0; step < 24; step++) {
    const hour = (input.defaultHour + step) % 24;
    if (allowed(hour)) return { hour, source: 'default' };
  }
  return { hour: input.defaultHour, source: 'default' };
}

/** Inputs of {@link planOptimizedSends}. */
export interface OptimizedPlanInput {
  /** Local date of the send, `YYYY-MM-DD`. */
  readonly date: string;
  readonly recipients: readonly Recipient[];
  readonly engagements: readonly EngagementEvent[];
  /** Segment of a recipient, whose members' pooled profile is the first fallback. @default none */
  readonly segmentOf?: (recipient: Recipient) => string | undefined;
  readonly defaultHour: number;
  readonly window: SendWindow;
  /** Zone of recipients without a known zone. */
  readonly fallbackZone: string;
  /** @default DEFAULT_DST_POLICY */
  readonly policy?: DstPolicy;
  /** @default 5 */
  readonly minWeight?: number;
}

/**
 * Waves for a recipient-local send on `date`, each recipient at their best hour. Recipients are
 * grouped by zone and hour, so each (zone, hour) is resolved once.
 * @example
 * planOptimizedSends({ date: '2026-12-01', recipients, engagements, defaultHour: 10,
 *   window: sendWindowFor('email'), fallbackZone: spec.defaultZone });
 */
export function planOptimizedSends(input: OptimizedPlanInput): Result<SendWave[]> {
  const zoneOf = (r: Recipient): string =>
    r.zone !== undefined && isKnownZone(r.zone) ? r.zone : input.fallbackZone;
  const byRecipient = new Map<string, EngagementEvent[]>();
  for (const event of input.engagements) {
    const list = byRecipient.get(event.recipientId);
    if (list === undefined) byRecipient.set(event.recipientId, [event]);
    else list.push(event);
  }
  const own = new Map<string, number[]>();
  const segments = new Map<string, number[]>();
  for (const recipient of input.recipients) {
    const events = byRecipient.get(recipient.id);
    if (events === undefined) continue;
    const profile = hourProfile(events, zoneOf(recipient));
    own.set(recipient.id, profile);
    const segment = input.segmentOf?.(recipient);
    if (segment !== undefined) {
      const pooled = segments.get(segment) ?? new Array<number>(24).fill(0);
      for (let h = 0; h < 24; h++) pooled[h]! += profile[h]!;
      segments.set(segment, pooled);
    }
  }
  const groups = new Map<string, { zone: string; hour: number; members: Recipient[] }>();
  for (const recipient of input.recipients) {
    const segment = input.segmentOf?.(recipient);
    const ownProfile = own.get(recipient.id);
    const segmentProfile = segment === undefined ? undefined : segments.get(segment);
    const choice = bestSendHour({
      defaultHour: input.defaultHour,
      window: input.window,
      ...(ownProfile === undefined ? {} : { own: ownProfile }),
      ...(segmentProfile === undefined ? {} : { segment: segmentProfile }),
      ...(input.minWeight === undefined ? {} : { minWeight: input.minWeight }),
    });
    const zone = zoneOf(recipient);
    const key = `${zone}\u0000${choice.hour}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { zone, hour: choice.hour, members: [recipient] });
    else group.members.push(recipient);
  }
  const day = parseLocalDate(input.date);
  const waves = new Map<number, { zones: string[]; groups: Recipient[][] }>();
  const issues: Issue[] = [];
  for (const { zone, hour, members } of groups.values()) {
    const policy = input.policy ?? DEFAULT_DST_POLICY;
    const wall = wallTime(day, openingInHour(input.window, hour) ?? hour * 60);
    const resolved = resolveLocalTime(zone, wall, policy);
    if (resolved.status === 'nonexistent')
      issues.push(nonexistentTimeIssue(zone, wall, resolved.gapMs, ['date']));
    if (!('at' in resolved)) continue;
    // A time shifted out of a DST gap may have left the window: defer it to the next opening.
    const at = nextInstantInWindow(resolved.at, zone, input.window, policy) ?? resolved.at;
    const wave = waves.get(at) ?? { zones: [], groups: [] };
    wave.zones.push(zone);
    wave.groups.push(members);
    waves.set(at, wave);
  }
  if (issues.length > 0) return { success: false, error: issues };
  const data = [...waves.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([at, wave]): SendWave => {
      const zones = [...new Set(wave.zones)].sort();
      const more = zones.length > 1 ? ` (+${zones.length - 1} more zones)` : '';
      return {
        at,
        occurrence: 0,
        recipients:
          wave.groups.length === 1
            ? wave.groups[0]!
            : wave.groups[0]!.concat(...wave.groups.slice(1)),
        label: `${formatInstantIn(at, zones[0]!)}${more}`,
      };
    });
  return { success: true, data };
}

/** The first minute of local hour `hour` inside `window`, or undefined when none is. */
function openingInHour(window: SendWindow, hour: number): number | undefined {
  const start = hour * 60;
  if (isInWindow(window, start)) return start;
  const opening = window.find(([from]) => from > start && from < start + 60);
  return opening?.[0];
}

function addEvent(profile: number[], event: EngagementEvent, zone: string): void {
  const wall = wallTimeAt(zone, event.at);
  const hour = Math.floor((wall - Math.floor(wall / DAY_MS) * DAY_MS) / HOUR_MS);
  profile[hour]! += ENGAGEMENT_WEIGHTS[event.kind];
}
