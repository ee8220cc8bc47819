import { describe, expect, it } from 'vitest';
import type { Recipient } from '../connectors/connector.js';
import { campaignWith } from '../../test/schedule/campaign-fixture.js';
import { planStep, groupByZone, type SendWave } from './plan-step.js';

const NOW = Date.UTC(2026, 10, 25, 12, 0);

function plan(
  spec: ReturnType<typeof campaignWith>,
  recipients: readonly Recipient[] = [],
  anchorDoneAt?: number,
): SendWave[] {
  const result = planStep({
    spec,
    step: spec.steps[0]!,
    now: NOW,
    recipients,
    ...(anchorDoneAt === undefined ? {} : { anchorDoneAt }),
  });
  if (!result.success) throw new Error(JSON.stringify(result.error));
  return result.data;
}

const iso = (waves: readonly SendWave[]): string[] =>
  waves.map((w) => new Date(w.at).toISOString());

describe('planStep', () => {
  it('plans one wave at now when the timing is immediate', () => {
    const waves = plan(campaignWith({ kind: 'immediate' }, { defaultZone: 'Europe/London' }), [
      { id: 'a' },
    ]);
    expect(waves).toEqual([
      {
        at: NOW,
        recipients: [{ id: 'a' }],
        occurrence: 0,
        label: '2026-11-25 12:00 Europe/London',
      },
    ]);
  });

  it('plans the local time in the zone when the timing is absolute', () => {
    const waves = plan(
      campaignWith({
        kind: 'absolute',
        date: '2026-12-01',
        time: '09:00',
        zone: 'America/New_York',
      }),
    );
    expect(iso(waves)).toEqual(['2026-12-01T14:00:00.000Z']);
    expect(waves[0]!.label).toBe('2026-12-01 09:00 America/New_York');
  });

  it('groups recipients into one wave per distinct instant when the timing is recipient-local', () => {
    const recipients: Recipient[] = [
      { id: 'ny', zone: 'America/New_York' },
      { id: 'tor', zone: 'America/Toronto' },
      { id: 'ldn', zone: 'Europe/London' },
      { id: 'none' },
      { id: 'bad', zone: 'Mars/Olympus' },
      { id: 'ktm', zone: 'Asia/Kathmandu' },
    ];
    const spec = campaignWith({
      kind: 'recipient_local',
      date: '2026-12-01',
      time: '09:00',
      fallbackZone: 'Europe/Berlin',
    });
    const waves = plan(spec, recipients);
    expect(iso(waves)).toEqual([
      '2026-12-01T03:15:00.000Z',
      '2026-12-01T08:00:00.000Z',
      '2026-12-01T09:00:00.000Z',
      '2026-12-01T14:00:00.000Z',
    ]);
    expect(waves.map((w) => w.recipients.map((r) => r.id))).toEqual([
      ['ktm'],
      ['none', 'bad'],
      ['ldn'],
      ['ny', 'tor'],
    ]);
    expect(waves[3]!.label).toBe('2026-12-01 09:00 America/New_York (+1 more zones)');
  });

  it('plans one wave in the fallback zone when a recipient-local step has no recipients', () => {
    const spec = campaignWith(
      { kind: 'recipient_local', date: '2026-12-01', time: '09:00' },
      { defaultZone: 'Asia/Tokyo' },
    );
    expect(iso(plan(spec))).toEqual(['2026-12-01T00:00:00.000Z']);
  });

  it('moves a time in the spring-forward gap to the end of the gap when dstGap is shift_forward', () => {
    const waves = plan(
      campaignWith({
        kind: 'absolute',
        date: '2026-03-08',
        time: '02:30',
        zone: 'America/New_York',
      }),
    );
    expect(iso(waves)).toEqual(['2026-03-08T07:00:00.000Z']);
    expect(waves[0]!.label).toBe('2026-03-08 03:00 America/New_York');
  });

  it('plans nothing when dstGap is skip and reports an issue when it is error', () => {
    const timing = {
      kind: 'absolute',
      date: '2026-03-08',
      time: '02:30',
      zone: 'America/New_York',
    } as const;
    expect(plan(campaignWith(timing, { compliance: { dstGap: 'skip' } }))).toEqual([]);
    const spec = campaignWith(timing, { compliance: { dstGap: 'error' } });
    const result = planStep({ spec, step: spec.steps[0]!, now: NOW, recipients: [] });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error[0]).toMatchObject({
        code: 'nonexistent_local_time',
        path: ['steps', 0, 'timing'],
      });
      expect(result.error[0]!.message).toContain(
        '2026-03-08 02:30 does not exist in America/New_York',
      );
    }
  });

  it('runs a repeated time once, at the first or second occurrence, per dstOverlap', () => {
    const timing = {
      kind: 'absolute',
      date: '2026-11-01',
      time: '01:30',
      zone: 'America/New_York',
    } as const;
    expect(iso(plan(campaignWith(timing)))).toEqual(['2026-11-01T05:30:00.000Z']);
    expect(iso(plan(campaignWith(timing, { compliance: { dstOverlap: 'second' } })))).toEqual([
      '2026-11-01T06:30:00.000Z',
    ]);
  });

  it('plans one wave per occurrence when the timing recurs daily across a DST change', () => {
    const spec = campaignWith({
      kind: 'recurring',
      recurrence: 'daily',
      start: '2026-03-07',
      time: '02:30',
      zone: 'America/New_York',
      count: 3,
    });
    const waves = plan(spec, [{ id: 'a' }]);
    expect(iso(waves)).toEqual([
      '2026-03-07T07:30:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-09T06:30:00.000Z',
    ]);
    expect(waves.map((w) => w.occurrence)).toEqual([0, 1, 2]);
  });

  it('plans per occurrence per instant when a recurrence is recipient-local', () => {
    const spec = campaignWith({
      kind: 'recurring',
      recurrence: 'weekly:MO',
      start: '2026-11-30',
      time: '09:00',
      recipientLocal: true,
      count: 2,
    });
    const waves = plan(spec, [
      { id: 'ldn', zone: 'Europe/London' },
      { id: 'tyo', zone: 'Asia/Tokyo' },
    ]);
    expect(iso(waves)).toEqual([
      '2026-11-30T00:00:00.000Z',
      '2026-11-30T09:00:00.000Z',
      '2026-12-07T00:00:00.000Z',
      '2026-12-07T09:00:00.000Z',
    ]);
    expect(waves.map((w) => `${w.occurrence}:${w.recipients[0]!.id}`)).toEqual([
      '0:tyo',
      '0:ldn',
      '1:tyo',
      '1:ldn',
    ]);
  });

  it('reports anchor_not_done when a relative step is planned before its anchor completed', () => {
    const spec = campaignWith({ kind: 'relative', after: 'post', offset: 'P1D' });
    const result = planStep({ spec, step: spec.steps[0]!, now: NOW, recipients: [] });
    expect(result).toMatchObject({
      success: false,
      error: [{ code: 'anchor_not_done', path: ['steps', 0, 'timing', 'after'] }],
    });
  });

  it('adds the offset to the anchor, and snaps forward to a local time when one is given', () => {
    const anchor = Date.UTC(2026, 11, 1, 15, 20);
    expect(
      iso(plan(campaignWith({ kind: 'relative', after: 'post', offset: 'PT2H' }), [], anchor)),
    ).toEqual(['2026-12-01T17:20:00.000Z']);
    const snapped = campaignWith({
      kind: 'relative',
      after: 'post',
      offset: 'P1D',
      time: '09:00',
      zone: 'America/New_York',
    });
    expect(iso(plan(snapped, [], anchor))).toEqual(['2026-12-03T14:00:00.000Z']);
    const sameDay = campaignWith({
      kind: 'relative',
      after: 'post',
      time: '18:00',
      zone: 'America/New_York',
    });
    expect(iso(plan(sameDay, [], anchor))).toEqual(['2026-12-01T23:00:00.000Z']);
  });

  it('keeps the local time of day when a day offset crosses a DST change', () => {
    const anchor = Date.UTC(2026, 2, 7, 15, 0);
    const spec = campaignWith(
      { kind: 'relative', after: 'post', offset: 'P1D' },
      { defaultZone: 'America/New_York' },
    );
    expect(iso(plan(spec, [], anchor))).toEqual(['2026-03-08T14:00:00.000Z']);
  });
});

describe('planStep snapping across a DST gap', () => {
  const anchor = Date.UTC(2026, 2, 8, 5);
  const timing = {
    kind: 'relative',
    after: 'post',
    time: '02:30',
    zone: 'America/New_York',
  } as const;

  it('snaps to the end of the gap, the next day, or reports it, per dstGap', () => {
    expect(iso(plan(campaignWith(timing), [], anchor))).toEqual(['2026-03-08T07:00:00.000Z']);
    expect(iso(plan(campaignWith(timing, { compliance: { dstGap: 'skip' } }), [], anchor))).toEqual(
      ['2026-03-09T06:30:00.000Z'],
    );
    const spec = campaignWith(timing, { compliance: { dstGap: 'error' } });
    expect(
      planStep({ spec, step: spec.steps[0]!, now: NOW, recipients: [], anchorDoneAt: anchor }),
    ).toMatchObject({
      success: false,
      error: [{ code: 'nonexistent_local_time', path: ['steps', 0, 'timing'] }],
    });
  });

  it('reports every zone whose recipient-local time does not exist when dstGap is error', () => {
    const spec = campaignWith(
      { kind: 'recipient_local', date: '2026-03-08', time: '02:30' },
      { compliance: { dstGap: 'error' } },
    );
    const result = planStep({
      spec,
      step: spec.steps[0]!,
      now: NOW,
      recipients: [
        { id: 'a', zone: 'America/Chicago' },
        { id: 'b', zone: 'America/Denver' },
        { id: 'c', zone: 'Europe/Paris' },
      ],
    });
    expect(result.success ? [] : result.error.map((i) => i.message)).toEqual([
      '2026-03-08 02:30 does not exist in America/Chicago: clocks skip 60 minutes for daylight saving time',
      '2026-03-08 02:30 does not exist in America/Denver: clocks skip 60 minutes for daylight saving time',
    ]);
  });
});

describe('groupByZone', () => {
  it('sends unknown and missing zones to the fallback zone', () => {
    const groups = groupByZone(
      [{ id: 'a' }, { id: 'b', zone: 'Nowhere/Land' }, { id: 'c', zone: 'UTC' }],
      'UTC',
    );
    expect([...groups.entries()].map(([z, rs]) => [z, rs.map((r) => r.id)])).toEqual([
      ['UTC', ['a', 'b', 'c']],
    ]);
  });
});
