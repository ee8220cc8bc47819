import { describe, expect, it } from 'vitest';
import type { Recipient } from '../connectors/connector.js';
import { campaignWith } from '../../test/schedule/campaign-fixture.js';
import { forecastCampaign } from './send-forecast.js';

const NOW = Date.UTC(2026, 10, 25);
const recipients: Recipient[] = [
  { id: 'a', zone: 'America/New_York' },
  { id: 'b', zone: 'America/New_York' },
  { id: 'c', zone: 'Asia/Tokyo' },
  { id: 'd' },
];

describe('forecastCampaign', () => {
  it('counts sends per UTC hour, zone and step, after windows, with relative steps after their anchors', () => {
    const spec = campaignWith(
      { kind: 'immediate' },
      {
        defaultZone: 'Europe/London',
        steps: [
          {
            id: 'post',
            platform: 'linkedin',
            action: 'post',
            timing: { kind: 'absolute', date: '2026-12-01', time: '10:00', zone: 'Europe/London' },
          },
          {
            id: 'sms',
            platform: 'sms',
            action: 'sms',
            timing: { kind: 'relative', after: 'post', offset: 'PT2H' },
          },
          {
            id: 'sms2',
            platform: 'sms',
            action: 'sms',
            timing: { kind: 'relative', after: 'sms', offset: 'P1D' },
          },
        ],
      },
    );
    const result = forecastCampaign({ spec, now: NOW, recipients });
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.rows).toEqual([
      { hour: '2026-12-01T10:00:00.000Z', zone: 'Europe/London', stepId: 'post', sends: 1 },
      { hour: '2026-12-01T12:00:00.000Z', zone: 'Europe/London', stepId: 'sms', sends: 1 },
      { hour: '2026-12-01T13:00:00.000Z', zone: 'America/New_York', stepId: 'sms', sends: 2 },
      { hour: '2026-12-01T23:00:00.000Z', zone: 'Asia/Tokyo', stepId: 'sms', sends: 1 },
      { hour: '2026-12-02T23:00:00.000Z', zone: 'America/New_York', stepId: 'sms2', sends: 2 },
      { hour: '2026-12-02T23:00:00.000Z', zone: 'Asia/Tokyo', stepId: 'sms2', sends: 1 },
      { hour: '2026-12-03T08:00:00.000Z', zone: 'Europe/London', stepId: 'sms2', sends: 1 },
    ]);
    expect(result.data).toMatchObject({ total: 9, deferred: 4, blocked: 0 });
  });

  it('reports steps whose anchor never completes', () => {
    const spec = campaignWith(
      { kind: 'immediate' },
      {
        steps: [
          { id: 'x', platform: 'sms', action: 'sms', timing: { kind: 'relative', after: 'y' } },
          { id: 'y', platform: 'sms', action: 'sms', timing: { kind: 'relative', after: 'x' } },
          {
            id: 'z',
            platform: 'sms',
            action: 'sms',
            timing: { kind: 'relative', after: 'missing' },
          },
        ],
      },
    );
    const result = forecastCampaign({ spec, now: NOW, recipients, recipientsFor: () => [] });
    expect(result.success ? [] : result.error.map((i) => i.code)).toEqual([
      'anchor_not_done',
      'anchor_not_done',
      'anchor_not_done',
    ]);
  });

  it('counts blocked recipients when quiet hours close the whole day', () => {
    const spec = campaignWith(
      { kind: 'immediate' },
      { compliance: { quietHours: { start: '00:00', end: '23:59' } } },
    );
    const result = forecastCampaign({ spec, now: NOW, recipients });
    expect(result.success && result.data).toMatchObject({ total: 0, blocked: 4 });
  });

  it('starts an immediate step once the steps it depends on are done', () => {
    const spec = campaignWith(
      { kind: 'immediate' },
      {
        steps: [
          {
            id: 'post',
            platform: 'x',
            action: 'post',
            timing: { kind: 'absolute', date: '2026-12-01', time: '10:00', zone: 'UTC' },
          },
          {
            id: 'mail',
            platform: 'email',
            action: 'email',
            dependsOn: [{ step: 'post', bind: { link: 'url' } }],
          },
        ],
      },
    );
    const result = forecastCampaign({ spec, now: NOW, recipients: [{ id: 'a', zone: 'UTC' }] });
    expect(result.success && result.data.rows.map((r) => [r.stepId, r.hour])).toEqual([
      ['mail', '2026-12-01T10:00:00.000Z'],
      ['post', '2026-12-01T10:00:00.000Z'],
    ]);
  });
});
