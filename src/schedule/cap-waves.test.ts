import { describe, expect, it } from 'vitest';
import { capWaves } from './cap-waves.js';
import type { SendWave } from './plan-step.js';
import { nextInstantInWindow, sendWindowFor } from './send-window.js';

const H = 3_600_000;
const at = Date.UTC(2026, 11, 1, 14);
const waves: SendWave[] = [
  {
    at,
    occurrence: 0,
    label: '2026-12-01 09:00 America/New_York',
    recipients: [
      { id: 'fresh', zone: 'America/New_York' },
      { id: 'busy', zone: 'America/New_York' },
      { id: 'nozone' },
    ],
  },
];
const history = [
  { recipientId: 'busy', channel: 'sms' as const, at: at - 2 * H },
  { recipientId: 'nozone', channel: 'sms' as const, at: at - 2 * H },
];

describe('capWaves', () => {
  it('keeps recipients under the cap and moves the rest into a later wave, within their window', () => {
    const window = sendWindowFor('sms');
    const result = capWaves(waves, {
      channel: 'sms',
      history,
      cap: { max: 1, period: 'PT12H', onExceed: 'defer' },
      adjust: (t, r) => nextInstantInWindow(t, r.zone ?? 'UTC', window) ?? t,
    });
    expect(result.waves.map((w) => [w.label, w.recipients.map((r) => r.id)])).toEqual([
      ['2026-12-01 09:00 America/New_York', ['fresh']],
      ['2026-12-01 19:00 America/New_York', ['busy']],
      ['2026-12-02 08:00 UTC', ['nozone']],
    ]);
    expect(result.decisions.map((d) => [d.status, d.send.recipientId])).toEqual([
      ['deferred', 'busy'],
      ['deferred', 'nozone'],
    ]);
  });

  it('drops recipients over the cap when configured to drop', () => {
    const result = capWaves(waves, {
      channel: 'sms',
      history,
      cap: { max: 1, period: 'P1D', onExceed: 'drop' },
      fallbackZone: 'Europe/Paris',
    });
    expect(result.waves.map((w) => w.recipients.map((r) => r.id))).toEqual([['fresh']]);
    expect(result.decisions.map((d) => d.status)).toEqual(['dropped', 'dropped']);
  });
});
