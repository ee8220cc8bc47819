import { describe, expect, it } from 'vitest';
import type { Recipient } from '../connectors/connector.js';
import { campaignWith } from '../../test/schedule/campaign-fixture.js';
import { applySendWindows, sendWindowOptionsFor } from './defer-to-send-window.js';
import { planStep } from './plan-step.js';

const NOW = Date.UTC(2026, 10, 25);

function planned(
  timing: Parameters<typeof campaignWith>[0],
  recipients: Recipient[],
  quiet?: { start: string; end: string },
) {
  const spec = campaignWith(
    timing,
    quiet === undefined ? {} : { compliance: { quietHours: quiet } },
  );
  const plan = planStep({ spec, step: spec.steps[0]!, now: NOW, recipients });
  if (!plan.success) throw new Error('plan failed');
  return { spec, waves: plan.data };
}

describe('applySendWindows', () => {
  it('defers SMS recipients whose local time is outside 08:00-21:00, and keeps the rest', () => {
    const recipients: Recipient[] = [
      { id: 'ny', zone: 'America/New_York' },
      { id: 'tyo', zone: 'Asia/Tokyo' },
      { id: 'ldn', zone: 'Europe/London' },
    ];
    const { spec, waves } = planned(
      { kind: 'absolute', date: '2026-12-01', time: '14:00', zone: 'Europe/London' },
      recipients,
    );
    const result = applySendWindows(waves, sendWindowOptionsFor(spec, spec.steps[0]!));
    expect(
      result.waves.map((w) => [
        new Date(w.at).toISOString(),
        w.recipients.map((r) => r.id),
        w.label,
      ]),
    ).toEqual([
      ['2026-12-01T14:00:00.000Z', ['ny', 'ldn'], '2026-12-01 14:00 Europe/London'],
      ['2026-12-01T23:00:00.000Z', ['tyo'], '2026-12-02 08:00 Asia/Tokyo'],
    ]);
    expect(result.deferrals).toEqual([
      {
        from: Date.UTC(2026, 11, 1, 14),
        to: Date.UTC(2026, 11, 1, 23),
        zone: 'Asia/Tokyo',
        recipients: 1,
        reason: 'send_window',
      },
    ]);
    expect(result.blocked).toEqual([]);
  });

  it('records quiet hours as the reason when only they close the window, and uses the region', () => {
    const recipients: Recipient[] = [
      { id: 'fl', zone: 'America/New_York' },
      { id: 'ny', zone: 'America/New_York' },
    ];
    const { spec, waves } = planned(
      { kind: 'recipient_local', date: '2026-12-01', time: '20:30' },
      recipients,
      { start: '20:45', end: '07:00' },
    );
    const result = applySendWindows(
      waves,
      sendWindowOptionsFor(spec, spec.steps[0]!, (r) => (r.id === 'fl' ? 'US-FL' : undefined)),
    );
    expect(result.waves.map((w) => [w.label, w.recipients.map((r) => r.id)])).toEqual([
      ['2026-12-01 20:30 America/New_York', ['ny']],
      ['2026-12-02 08:00 America/New_York', ['fl']],
    ]);
    expect(result.deferrals[0]).toMatchObject({ region: 'US-FL', reason: 'send_window' });
    const quiet = planned(
      { kind: 'recipient_local', date: '2026-12-01', time: '20:50' },
      [{ id: 'ny', zone: 'America/New_York' }],
      {
        start: '20:45',
        end: '07:00',
      },
    );
    const deferred = applySendWindows(
      quiet.waves,
      sendWindowOptionsFor(quiet.spec, quiet.spec.steps[0]!),
    );
    expect(deferred.deferrals[0]).toMatchObject({
      reason: 'quiet_hours',
      zone: 'America/New_York',
    });
  });

  it('defers a night-time post in its publishing zone', () => {
    const spec = campaignWith(
      { kind: 'absolute', date: '2026-12-01', time: '23:30', zone: 'Europe/Berlin' },
      {
        steps: [
          {
            id: 'post',
            platform: 'linkedin',
            action: 'post',
            timing: { kind: 'absolute', date: '2026-12-01', time: '23:30', zone: 'Europe/Berlin' },
          },
        ],
      },
    );
    const plan = planStep({ spec, step: spec.steps[0]!, now: NOW, recipients: [] });
    if (!plan.success) throw new Error('plan failed');
    const result = applySendWindows(plan.data, sendWindowOptionsFor(spec, spec.steps[0]!));
    expect(result.waves.map((w) => w.label)).toEqual(['2026-12-02 07:00 Europe/Berlin']);
  });

  it('blocks recipients no window admits, and merges deferred groups into one wave', () => {
    const recipients: Recipient[] = [{ id: 'a', zone: 'Nowhere/Zone' }, { id: 'b' }];
    const { spec, waves } = planned({ kind: 'immediate' }, recipients);
    const options = {
      ...sendWindowOptionsFor(spec, spec.steps[0]!),
      quietHours: { start: '00:00', end: '23:59' },
    };
    expect(
      applySendWindows(waves, { ...options, channel: 'sms' }).blocked.map((r) => r.id),
    ).toEqual(['a', 'b']);
    const relative = campaignWith({ kind: 'relative', after: 'x', zone: 'Asia/Tokyo' });
    expect(sendWindowOptionsFor(relative, relative.steps[0]!).fallbackZone).toBe('Asia/Tokyo');
    const both = applySendWindows(
      [
        {
          at: Date.UTC(2026, 11, 1, 2),
          recipients: [{ id: 'x', zone: 'Europe/London' }],
          occurrence: 0,
          label: 'x',
        },
        {
          at: Date.UTC(2026, 11, 1, 3),
          recipients: [{ id: 'y', zone: 'Europe/London' }],
          occurrence: 0,
          label: 'y',
        },
      ],
      { channel: 'sms', fallbackZone: 'UTC' },
    );
    expect(both.waves.map((w) => w.recipients.map((r) => r.id))).toEqual([['x', 'y']]);
  });

  it('sets aside recipients whose send would pass the deadline', () => {
    const waves = [
      {
        at: Date.UTC(2026, 11, 1, 12),
        recipients: [
          { id: 'ldn', zone: 'Europe/London' },
          { id: 'tyo', zone: 'Asia/Tokyo' },
        ],
        occurrence: 0,
        label: 'x',
      },
      {
        at: Date.UTC(2026, 11, 3, 12),
        recipients: [{ id: 'late', zone: 'Europe/London' }],
        occurrence: 0,
        label: 'y',
      },
    ];
    const result = applySendWindows(waves, {
      channel: 'sms',
      fallbackZone: 'UTC',
      deadline: Date.UTC(2026, 11, 1, 18),
    });
    expect(result.waves.map((w) => w.recipients.map((r) => r.id))).toEqual([['ldn']]);
    expect(result.expired.map((r) => r.id)).toEqual(['tyo', 'late']);
  });
});

describe('applySendWindows with recurrences', () => {
  it('sends once when a night of hourly occurrences is deferred to the same morning instant', () => {
    const spec = campaignWith({
      kind: 'recurring',
      recurrence: 'every:PT2H',
      start: '2026-12-01',
      time: '18:00',
      zone: 'Europe/London',
      count: 10,
    });
    const plan = planStep({
      spec,
      step: spec.steps[0]!,
      now: NOW,
      recipients: [
        { id: 'a', zone: 'Europe/London' },
        { id: 'b', zone: 'Asia/Tokyo' },
      ],
    });
    if (!plan.success) throw new Error('plan failed');
    const result = applySendWindows(plan.data, sendWindowOptionsFor(spec, spec.steps[0]!));
    const sends = result.waves.flatMap((w) => w.recipients.map((r) => `${r.id} ${w.label}`));
    expect(sends.filter((s) => s.startsWith('a '))).toEqual([
      'a 2026-12-01 18:00 Europe/London',
      'a 2026-12-01 20:00 Europe/London',
      'a 2026-12-02 08:00 Europe/London',
      'a 2026-12-02 10:00 Europe/London',
      'a 2026-12-02 12:00 Europe/London',
    ]);
    expect(result.collapsed).toBe(7);
  });

  it('publishes a deferred post once when two occurrences land on the same instant', () => {
    const waves = [0, 1].map((occurrence) => ({
      at: Date.UTC(2026, 11, 1, 23, occurrence),
      recipients: [],
      occurrence,
      label: 'x',
    }));
    const result = applySendWindows(waves, { channel: 'post', fallbackZone: 'UTC' });
    expect(result.waves.map((w) => [w.occurrence, w.label])).toEqual([[0, '2026-12-02 07:00 UTC']]);
    expect(result.collapsed).toBe(1);
  });
});
