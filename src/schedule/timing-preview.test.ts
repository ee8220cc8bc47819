import { describe, expect, it } from 'vitest';
import { timingOf, campaignWith } from '../../test/schedule/campaign-fixture.js';
import { previewRunTimes } from './timing-preview.js';

const NOW = Date.UTC(2026, 0, 1);
const labels = (result: ReturnType<typeof previewRunTimes>): string[] =>
  result.success ? result.data.map((r) => r.label) : [];

describe('previewRunTimes', () => {
  it('lists the next run times of a recurrence after now', () => {
    const timing = timingOf(
      campaignWith({
        kind: 'recurring',
        recurrence: 'monthly:last-FR',
        start: '2025-06-01',
        time: '09:00',
        zone: 'Europe/London',
        count: 40,
      }),
    );
    expect(labels(previewRunTimes(timing, { now: NOW, count: 3 }))).toEqual([
      '2026-01-30 09:00 Europe/London',
      '2026-02-27 09:00 Europe/London',
      '2026-03-27 09:00 Europe/London',
    ]);
  });

  it('previews every-N-hours rules as elapsed time across a DST change, with an until date', () => {
    const timing = timingOf(
      campaignWith({
        kind: 'recurring',
        recurrence: 'every:PT8H',
        start: '2026-03-07',
        time: '18:00',
        zone: 'America/New_York',
        until: '2026-03-08',
      }),
    );
    expect(labels(previewRunTimes(timing, { now: NOW }))).toEqual([
      '2026-03-07 18:00 America/New_York',
      '2026-03-08 03:00 America/New_York',
      '2026-03-08 11:00 America/New_York',
      '2026-03-08 19:00 America/New_York',
    ]);
  });

  it('previews one-off timings, recipient-local ones in a chosen zone', () => {
    expect(
      labels(previewRunTimes({ kind: 'immediate' }, { now: NOW, defaultZone: 'Asia/Tokyo' })),
    ).toEqual(['2026-01-01 09:00 Asia/Tokyo']);
    expect(
      labels(
        previewRunTimes(
          { kind: 'recipient_local', date: '2026-02-01', time: '08:30' },
          { now: NOW, zone: 'Asia/Kathmandu' },
        ),
      ),
    ).toEqual(['2026-02-01 08:30 Asia/Kathmandu']);
    expect(
      labels(
        previewRunTimes(
          { kind: 'absolute', date: '2025-02-01', time: '08:30', zone: 'UTC' },
          { now: NOW },
        ),
      ),
    ).toEqual([]);
  });

  it('needs the anchor completion for relative timings', () => {
    const timing = { kind: 'relative', after: 'post', offset: 'PT1H', time: '09:00' } as const;
    expect(previewRunTimes(timing, { now: NOW })).toMatchObject({
      success: false,
      error: [{ code: 'anchor_not_done' }],
    });
    expect(
      labels(previewRunTimes(timing, { now: NOW, anchorDoneAt: NOW, defaultZone: 'Europe/Paris' })),
    ).toEqual(['2026-01-01 09:00 Europe/Paris']);
    expect(
      previewRunTimes({ ...timing, offset: 'bogus' }, { now: NOW, anchorDoneAt: NOW }),
    ).toMatchObject({ success: false, error: [{ code: 'invalid_duration' }] });
  });

  it('reports rules that cannot be planned', () => {
    const bad = {
      kind: 'recurring',
      recurrence: 'fortnightly',
      start: '2026-01-01',
      time: '09:00',
      zone: 'UTC',
      recipientLocal: false,
      count: 2,
    } as const;
    expect(previewRunTimes(bad, { now: NOW })).toMatchObject({
      success: false,
      error: [{ code: 'invalid_recurrence' }],
    });
    const endless = {
      kind: 'recurring',
      recurrence: 'every:PT1M',
      start: '2026-01-01',
      time: '09:00',
      zone: 'UTC',
      recipientLocal: false,
      until: '2027-01-01',
    } as const;
    expect(previewRunTimes(endless, { now: NOW })).toMatchObject({
      success: false,
      error: [{ code: 'too_many_occurrences' }],
    });
    const daily = { ...endless, recurrence: 'daily', until: '2060-01-01' } as const;
    expect(previewRunTimes(daily, { now: NOW })).toMatchObject({
      success: false,
      error: [{ code: 'too_many_occurrences' }],
    });
  });
});
