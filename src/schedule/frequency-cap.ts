/**
 * @module
 * Frequency capping across campaigns: at most `max` messages per person per channel in any
 * window of `period`. Pure over a history of sends passed in; each planned send is allowed,
 * deferred to the first instant the cap admits it, or dropped, with the reason recorded.
 */
import type { CompliancePolicy } from '../spec/campaign-schema.js';
import { durationToMs, parseIsoDuration } from './iso-duration.js';
import type { Channel } from './send-window.js';

/** One message to one person, sent or planned. */
export interface SendRecord {
  readonly recipientId: string;
  readonly channel: Channel;
  /** Epoch ms. */
  readonly at: number;
}

/** The cap, as `CompliancePolicy.frequencyCap` states it. */
export type FrequencyCap = NonNullable<CompliancePolicy['frequencyCap']>;

/** What the cap decided for one planned send. */
export type CapDecision =
  | { readonly status: 'allowed'; readonly send: SendRecord }
  | {
      readonly status: 'deferred';
      readonly send: SendRecord;
      readonly requestedAt: number;
      readonly reason: string;
    }
  | { readonly status: 'dropped'; readonly send: SendRecord; readonly reason: string };

/** Options of {@link applyFrequencyCap}. */
export interface FrequencyCapOptions {
  /**
   * Moves a deferred instant into the recipient's sending window (e.g. with
   * `nextInstantInWindow`); the cap is checked again after each move. @default no window
   */
  readonly adjust?: (at: number, send: SendRecord) => number;
}

/**
 * Applies `cap` to `planned` sends given the `history` of sends across campaigns (past, or
 * already scheduled). Sends are decided in time order per person and channel, and each one
 * admitted counts against the next. Decisions come back in the order of `planned`.
 * @example
 * applyFrequencyCap(planned, history, { max: 2, period: 'P7D', onExceed: 'defer' });
 */
export function applyFrequencyCap(
  planned: readonly SendRecord[],
  history: readonly SendRecord[],
  cap: FrequencyCap,
  options: FrequencyCapOptions = {},
): CapDecision[] {
  const parts = parseIsoDuration(cap.period);
  const period = parts === undefined ? 0 : durationToMs(parts);
  const reason = `frequency cap: at most ${cap.max} ${cap.max === 1 ? 'message' : 'messages'} per ${cap.period} on this channel`;
  const timelines = new Map<string, number[]>();
  const key = (s: SendRecord): string => `${s.channel}\u0000${s.recipientId}`;
  for (const send of history) insertSorted(timelineOf(timelines, key(send)), send.at);
  const order = planned.map((_, i) => i).sort((a, b) => planned[a]!.at - planned[b]!.at || a - b);
  const decisions: CapDecision[] = new Array<CapDecision>(planned.length);
  for (const i of order) {
    const send = planned[i]!;
    const timeline = timelineOf(timelines, key(send));
    if (period <= 0 || fits(timeline, send.at, cap.max, period)) {
      insertSorted(timeline, send.at);
      decisions[i] = { status: 'allowed', send };
      continue;
    }
    if (cap.onExceed === 'drop') {
      decisions[i] = { status: 'dropped', send, reason };
      continue;
    }
    const at = earliestAdmitted(timeline, send, cap.max, period, options.adjust);
    insertSorted(timeline, at);
    decisions[i] = { status: 'deferred', send: { ...send, at }, requestedAt: send.at, reason };
  }
  return decisions;
}

/** True when adding a send at `at` leaves every window of `period` with at most `max` sends. */
export function fits(
  timeline: readonly number[],
  at: number,
  max: number,
  period: number,
): boolean {
  const index = lowerBound(timeline, at);
  // Only windows holding `at` change: they span from `max` sends before it to `max` after.
  const around = timeline.slice(Math.max(0, index - max), index + max);
  const position = Math.min(index, max);
  around.splice(position, 0, at);
  // Windows of the history alone are not this send's concern, even if they already overflow.
  for (let i = 0; i <= position && i + max < around.length; i++) {
    if (around[i + max]! - around[i]! < period) return false;
  }
  return true;
}

function earliestAdmitted(
  timeline: readonly number[],
  send: SendRecord,
  max: number,
  period: number,
  adjust: FrequencyCapOptions['adjust'],
): number {
  let at = send.at;
  let admitted = at;
  // Each turn moves forward: to the first instant the cap admits, then into the window; both
  // settle within a few turns, the bound only guards against an adjust that never settles.
  for (let turn = 0; turn < 64; turn++) {
    admitted = firstFit(timeline, at, max, period);
    const moved = adjust === undefined ? admitted : adjust(admitted, send);
    if (moved === admitted) return admitted;
    at = Math.max(moved, admitted + 1);
  }
  return admitted;
}

/** The first instant at or after `from` that fits: `from` itself or when a send leaves a window. */
function firstFit(timeline: readonly number[], from: number, max: number, period: number): number {
  if (fits(timeline, from, max, period)) return from;
  for (const sent of timeline) {
    const candidate = sent + period;
    if (candidate > from && fits(timeline, candidate, max, period)) return candidate;
  }
  return timeline[timeline.length - 1]! + period;
}

function timelineOf(timelines: Map<string, number[]>, key: string): number[] {
  let timeline = timelines.get(key);
  if (timeline === undefined) {
    timeline = [];
    timelines.set(key, timeline);
  }
  return timeline;
}

function insertSorted(timeline: number[], at: number): void {
  timeline.splice(lowerBound(timeline, at), 0, at);
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
