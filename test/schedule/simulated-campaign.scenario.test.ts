import { describe, expect, it } from 'vitest';
import type { Recipient } from '../../src/connectors/connector.js';
import { capWaves } from '../../src/schedule/cap-waves.js';
import { SimulatedClock } from '../../src/schedule/clock.js';
import { applySendWindows, sendWindowOptionsFor } from '../../src/schedule/defer-to-send-window.js';
import type { SendRecord } from '../../src/schedule/frequency-cap.js';
import { planStep } from '../../src/schedule/plan-step.js';
import { nextInstantInWindow, sendWindowFor } from '../../src/schedule/send-window.js';
import { formatInstantIn } from '../../src/schedule/zone-offset.js';
import { campaignWith } from './campaign-fixture.js';

describe('a recurring SMS campaign across the November DST change, on a simulated clock', () => {
  it('sends once per local day, inside the window, within the cap, at exactly the planned instants', async () => {
    const start = Date.UTC(2026, 9, 29);
    const clock = new SimulatedClock(start);
    const recipients: Recipient[] = [
      { id: 'ny', zone: 'America/New_York' },
      { id: 'ldn', zone: 'Europe/London' },
      { id: 'syd', zone: 'Australia/Sydney' },
    ];
    const spec = campaignWith(
      {
        kind: 'recurring',
        recurrence: 'daily',
        start: '2026-10-30',
        time: '07:30',
        recipientLocal: true,
        count: 5,
      },
      {
        compliance: {
          quietHours: { start: '21:00', end: '08:00' },
          frequencyCap: { max: 5, period: 'P7D', onExceed: 'drop' },
        },
      },
    );
    const step = spec.steps[0]!;
    const plan = planStep({ spec, step, now: clock.now(), recipients });
    if (!plan.success) throw new Error('plan failed');
    const windowed = applySendWindows(plan.data, sendWindowOptionsFor(spec, step));
    const history: SendRecord[] = [{ recipientId: 'syd', channel: 'sms', at: start - 86_400_000 }];
    const window = sendWindowFor('sms', undefined, spec.compliance.quietHours);
    const capped = capWaves(windowed.waves, {
      channel: 'sms',
      history,
      cap: spec.compliance.frequencyCap!,
      adjust: (at, r) => nextInstantInWindow(at, r.zone!, window) ?? at,
    });

    const sent: { id: string; at: number; local: string }[] = [];
    for (const wave of capped.waves) {
      await clock.sleepUntil(wave.at);
      for (const r of wave.recipients)
        sent.push({ id: r.id, at: clock.now(), local: formatInstantIn(clock.now(), r.zone!) });
    }

    expect(sent.filter((s) => s.id === 'ny').map((s) => s.local)).toEqual([
      '2026-10-30 08:00 America/New_York',
      '2026-10-31 08:00 America/New_York',
      '2026-11-01 08:00 America/New_York',
      '2026-11-02 08:00 America/New_York',
      '2026-11-03 08:00 America/New_York',
    ]);
    expect(sent.filter((s) => s.id === 'syd')).toHaveLength(4);
    expect(capped.decisions.map((d) => [d.status, d.send.recipientId])).toEqual([
      ['dropped', 'syd'],
    ]);
    // 07:30 is before SMS hours anyway, so the legal window, not the quiet hours, is the reason.
    expect(windowed.deferrals.map((d) => d.reason)).toEqual(new Array(15).fill('send_window'));
    expect(clock.now()).toBe(Math.max(...sent.map((s) => s.at)));
  });
});
