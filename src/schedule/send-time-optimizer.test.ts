import { describe, expect, it } from 'vitest';
import type { Recipient } from '../connectors/connector.js';
import { sendWindowFor } from './send-window.js';
import {
  bestSendHour,
  hourProfile,
  planOptimizedSends,
  type EngagementEvent,
} from './send-time-optimizer.js';

const click = (recipientId: string, iso: string): EngagementEvent => ({
  recipientId,
  at: Date.parse(iso),
  kind: 'click',
});
const open = (recipientId: string, iso: string): EngagementEvent => ({
  recipientId,
  at: Date.parse(iso),
  kind: 'open',
});
const profileAt = (hour: number, weight: number): number[] =>
  Array.from({ length: 24 }, (_, h) => (h === hour ? weight : 0));
const sms = sendWindowFor('sms');

describe('hourProfile', () => {
  it('counts opens and weighted clicks by local hour', () => {
    const profile = hourProfile(
      [click('a', '2026-01-05T14:10:00Z'), open('a', '2026-07-05T13:50:00Z')],
      'America/New_York',
    );
    expect(profile[9]).toBe(4);
    expect(profile.reduce((a, b) => a + b)).toBe(4);
  });
});

describe('bestSendHour', () => {
  it('prefers the recipient’s own peak when there is enough evidence', () => {
    expect(
      bestSendHour({
        own: profileAt(19, 6),
        segment: profileAt(10, 50),
        defaultHour: 9,
        window: sms,
      }),
    ).toEqual({ hour: 19, source: 'recipient' });
  });

  it('falls back to the segment, then to the default hour, when evidence is thin', () => {
    expect(
      bestSendHour({
        own: profileAt(19, 2),
        segment: profileAt(10, 50),
        defaultHour: 9,
        window: sms,
      }),
    ).toEqual({ hour: 10, source: 'segment' });
    expect(bestSendHour({ own: profileAt(19, 2), defaultHour: 9, window: sms })).toEqual({
      hour: 9,
      source: 'default',
    });
  });

  it('never picks an hour outside the window', () => {
    const nightOwl = profileAt(23, 40);
    nightOwl[20] = 1;
    expect(bestSendHour({ own: nightOwl, defaultHour: 9, window: sms })).toEqual({
      hour: 20,
      source: 'recipient',
    });
    expect(bestSendHour({ own: profileAt(23, 40), defaultHour: 22, window: sms })).toEqual({
      hour: 8,
      source: 'default',
    });
    expect(bestSendHour({ defaultHour: 22, window: [] })).toEqual({ hour: 22, source: 'default' });
  });
});

describe('planOptimizedSends', () => {
  const recipients: Recipient[] = [
    { id: 'eve', zone: 'America/New_York' },
    { id: 'ann', zone: 'America/New_York' },
    { id: 'bob', zone: 'Europe/London' },
    { id: 'new' },
  ];
  const engagements = [
    ...Array.from({ length: 3 }, () => click('eve', '2026-11-02T00:30:00Z')),
    open('ann', '2026-11-02T15:00:00Z'),
    ...Array.from({ length: 3 }, () => click('bob', '2026-11-02T12:05:00Z')),
  ];

  it('sends each recipient at their best hour, grouped into waves by instant', () => {
    const result = planOptimizedSends({
      date: '2026-12-01',
      recipients,
      engagements,
      segmentOf: (r) => (r.id === 'ann' || r.id === 'eve' ? 'vip' : undefined),
      defaultHour: 10,
      window: sms,
      fallbackZone: 'UTC',
    });
    expect(
      result.success && result.data.map((w) => [w.label, w.recipients.map((r) => r.id)]),
    ).toEqual([
      ['2026-12-01 10:00 UTC', ['new']],
      ['2026-12-01 12:00 Europe/London', ['bob']],
      ['2026-12-01 19:00 America/New_York', ['eve', 'ann']],
    ]);
  });

  it('applies the DST policy to the chosen local time', () => {
    const input = {
      date: '2026-03-08',
      recipients: [{ id: 'x', zone: 'America/New_York' }],
      engagements: [],
      defaultHour: 2,
      window: [[0, 1440]] as const,
      fallbackZone: 'UTC',
    };
    expect(
      planOptimizedSends({ ...input, policy: { gap: 'error', overlap: 'first' } }),
    ).toMatchObject({ success: false, error: [{ code: 'nonexistent_local_time' }] });
    expect(planOptimizedSends({ ...input, policy: { gap: 'skip', overlap: 'first' } })).toEqual({
      success: true,
      data: [],
    });
    expect(planOptimizedSends({ ...input, minWeight: 1 })).toMatchObject({
      success: true,
      data: [{ at: Date.parse('2026-03-08T07:00:00Z') }],
    });
  });
});
