import { describe, expect, it } from 'vitest';
import {
  ALWAYS,
  channelOf,
  intersectWindows,
  isInWindow,
  nextInstantInWindow,
  sendWindowFor,
  windowOutsideQuietHours,
} from './send-window.js';

const utc = (text: string): number => Date.parse(text);
const iso = (at: number | undefined): string | undefined =>
  at === undefined ? undefined : new Date(at).toISOString();

describe('sendWindowFor', () => {
  it('keeps SMS to 08:00-21:00 and Florida texts to 08:00-20:00', () => {
    expect(sendWindowFor('sms')).toEqual([[480, 1260]]);
    expect(sendWindowFor('sms', 'US-FL')).toEqual([[480, 1200]]);
    expect(sendWindowFor('sms', 'DE')).toEqual([[480, 1260]]);
    expect(sendWindowFor('email', 'US-FL')).toEqual(ALWAYS);
  });

  it('narrows by quiet hours that cross midnight or sit within a day', () => {
    expect(sendWindowFor('sms', 'US-FL', { start: '20:30', end: '09:00' })).toEqual([[540, 1200]]);
    expect(sendWindowFor('email', undefined, { start: '12:00', end: '13:00' })).toEqual([
      [0, 720],
      [780, 1440],
    ]);
    expect(windowOutsideQuietHours({ start: '00:00', end: '07:00' })).toEqual([[420, 1440]]);
    expect(windowOutsideQuietHours({ start: '22:00', end: '22:00' })).toEqual(ALWAYS);
  });

  it('intersects to nothing when windows do not meet', () => {
    expect(intersectWindows([[0, 60]], [[60, 120]])).toEqual([]);
    expect(isInWindow([], 10)).toBe(false);
  });
});

describe('channelOf', () => {
  it('maps every action to a channel', () => {
    expect(
      (
        [
          'sms',
          'email',
          'post',
          'publish',
          'notify',
          'ad_launch',
          'ad_pause',
          'budget_change',
          'audience_sync',
          'report',
        ] as const
      ).map(channelOf),
    ).toEqual(['sms', 'email', 'post', 'post', 'notify', 'ads', 'ads', 'ads', 'ads', 'internal']);
  });
});

describe('nextInstantInWindow', () => {
  const sms = sendWindowFor('sms');

  it('keeps an instant already inside the window', () => {
    expect(iso(nextInstantInWindow(utc('2026-12-01T15:00:00Z'), 'America/New_York', sms))).toBe(
      '2026-12-01T15:00:00.000Z',
    );
  });

  it('defers a late-evening send to 08:00 the next local morning', () => {
    expect(iso(nextInstantInWindow(utc('2026-12-02T03:00:00Z'), 'America/New_York', sms))).toBe(
      '2026-12-02T13:00:00.000Z',
    );
  });

  it('defers an early-morning send to 08:00 the same local day', () => {
    expect(iso(nextInstantInWindow(utc('2026-12-01T20:00:00Z'), 'Asia/Tokyo', sms))).toBe(
      '2026-12-01T23:00:00.000Z',
    );
  });

  it('moves to the next range of a split window', () => {
    const lunchQuiet = sendWindowFor('email', undefined, { start: '12:00', end: '13:00' });
    expect(iso(nextInstantInWindow(utc('2026-12-01T12:30:00Z'), 'UTC', lunchQuiet))).toBe(
      '2026-12-01T13:00:00.000Z',
    );
  });

  it('opens at the end of a DST gap when the window opens inside it', () => {
    expect(
      iso(nextInstantInWindow(utc('2026-03-08T06:00:00Z'), 'America/New_York', [[150, 600]])),
    ).toBe('2026-03-08T07:00:00.000Z');
  });

  it('returns undefined for an empty window', () => {
    expect(nextInstantInWindow(0, 'UTC', [])).toBeUndefined();
  });
});
