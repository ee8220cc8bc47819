/**
 * @module
 * Sending windows: the local hours a channel may reach a person, narrowed by region and by the
 * campaign's quiet hours, and the next instant inside a window. A send outside its window is
 * deferred to the window's next opening, never dropped.
 */
import type { CompliancePolicy } from '../spec/campaign-schema.js';
import type { StepAction } from '../spec/platforms.js';
import { DAY_MS, MINUTE_MS, parseLocalTime, wallTime } from './civil-date.js';
import { DEFAULT_DST_POLICY, resolveLocalTime, type DstPolicy } from './dst-policy.js';
import { wallTimeAt } from './zone-offset.js';

/** Kinds of delivery with different time rules. */
export const CHANNELS = ['sms', 'email', 'post', 'notify', 'ads', 'internal'] as const;
/** A kind of delivery, e.g. `sms`. */
export type Channel = (typeof CHANNELS)[number];

/**
 * Allowed local minutes of a day as sorted, disjoint `[start, end)` ranges of minutes after
 * midnight (`0`–`1440`). `[[0, 1440]]` allows the whole day, `[]` nothing.
 */
export type SendWindow = readonly (readonly [number, number])[];

/** The whole day. */
export const ALWAYS: SendWindow = [[0, 1440]];

/**
 * Windows each channel keeps in the recipient's (or, for posts, the publishing zone's) local
 * time. SMS marketing 08:00–21:00 (US TCPA 47 CFR 64.1200(c)(1)); posts 07:00–22:00, none at
 * night; other channels at any hour unless quiet hours say otherwise.
 */
export const CHANNEL_SEND_WINDOWS: Readonly<Record<Channel, SendWindow>> = {
  sms: [[8 * 60, 21 * 60]],
  email: ALWAYS,
  post: [[7 * 60, 22 * 60]],
  notify: ALWAYS,
  ads: ALWAYS,
  internal: ALWAYS,
};

/**
 * Stricter windows where a region's law requires them, keyed by ISO 3166-2 code: Florida
 * (FTSA, Fla. Stat. 501.059), Oklahoma (OTSA) and Maryland (Stop the Spam Calls Act) allow
 * marketing texts only 08:00–20:00.
 */
export const REGION_SEND_WINDOWS: Readonly<Record<string, Partial<Record<Channel, SendWindow>>>> = {
  'US-FL': { sms: [[8 * 60, 20 * 60]] },
  'US-OK': { sms: [[8 * 60, 20 * 60]] },
  'US-MD': { sms: [[8 * 60, 20 * 60]] },
};

/** The channel a step action delivers on. */
export function channelOf(action: StepAction): Channel {
  switch (action) {
    case 'sms':
      return 'sms';
    case 'email':
      return 'email';
    case 'post':
    case 'publish':
      return 'post';
    case 'notify':
      return 'notify';
    case 'ad_launch':
    case 'ad_pause':
    case 'budget_change':
    case 'audience_sync':
      return 'ads';
    case 'report':
      return 'internal';
  }
}

/** The ranges both windows allow. */
export function intersectWindows(a: SendWindow, b: SendWindow): SendWindow {
  const out: [number, number][] = [];
  for (const [aStart, aEnd] of a) {
    for (const [bStart, bEnd] of b) {
      const start = Math.max(aStart, bStart);
      const end = Math.min(aEnd, bEnd);
      if (start < end) out.push([start, end]);
    }
  }
  return out.sort((x, y) => x[0] - y[0]);
}

/**
 * The window quiet hours leave open: `{ start: "21:00", end: "08:00" }` allows 08:00–21:00;
 * a quiet span within one day (`12:00`–`13:00`) allows the rest of the day.
 */
export function windowOutsideQuietHours(quiet: {
  readonly start: string;
  readonly end: string;
}): SendWindow {
  const start = parseLocalTime(quiet.start);
  const end = parseLocalTime(quiet.end);
  if (start === end) return ALWAYS;
  if (start > end) return [[end, start]];
  return [
    [0, start],
    [end, 1440],
  ].filter(([s, e]) => s! < e!) as [number, number][];
}

/**
 * The window a send must fall in: the channel's, narrowed by the region's and by quiet hours.
 * @example
 * sendWindowFor('sms', 'US-FL', { start: '20:30', end: '09:00' }); // [[540, 1200]] — 09:00–20:00
 */
export function sendWindowFor(
  channel: Channel,
  region?: string,
  quietHours?: CompliancePolicy['quietHours'],
): SendWindow {
  let window = CHANNEL_SEND_WINDOWS[channel];
  const regional = region === undefined ? undefined : REGION_SEND_WINDOWS[region]?.[channel];
  if (regional !== undefined) window = intersectWindows(window, regional);
  if (quietHours !== undefined)
    window = intersectWindows(window, windowOutsideQuietHours(quietHours));
  return window;
}

/** True when the local minute `minute` (may be fractional) lies in `window`. */
export function isInWindow(window: SendWindow, minute: number): boolean {
  return window.some(([start, end]) => minute >= start && minute < end);
}

/**
 * The first instant at or after `at` whose local time in `zone` lies in `window`, or undefined
 * when the window is empty. A window opening inside a DST gap opens at the end of the gap.
 * @example
 * nextInstantInWindow(Date.UTC(2026, 11, 2, 3), 'America/New_York', [[480, 1260]]);
 * // Date.UTC(2026, 11, 2, 13) — 22:00 EST defers to 08:00 the next morning
 */
export function nextInstantInWindow(
  at: number,
  zone: string,
  window: SendWindow,
  policy: DstPolicy = DEFAULT_DST_POLICY,
): number | undefined {
  if (window.length === 0) return undefined;
  let candidate = at;
  // Each turn moves to a later opening; three days cover any DST change and a window that
  // opens inside a gap.
  for (let turn = 0; turn < 8; turn++) {
    const wall = wallTimeAt(zone, candidate) + (candidate % 1000);
    const day = Math.floor(wall / DAY_MS);
    const minute = (wall - day * DAY_MS) / MINUTE_MS;
    if (isInWindow(window, minute)) return candidate;
    const later = window.find(([start]) => start > minute);
    const opening =
      later === undefined ? wallTime(day + 1, window[0]![0]) : wallTime(day, later[0]);
    const resolved = resolveLocalTime(zone, opening, {
      gap: 'shift_forward',
      overlap: policy.overlap,
    });
    const next = 'at' in resolved ? resolved.at : opening;
    candidate = next > candidate ? next : candidate + MINUTE_MS;
  }
  return undefined;
}
