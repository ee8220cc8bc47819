import { describe, expect, it } from 'vitest';
import type { MetricsRow } from '../../src/connectors/connector.js';
import { normaliseRow, type NormaliseContext } from '../../src/metrics/normalise-metrics.js';
import type { Platform } from '../../src/spec/platforms.js';
import { FIXTURE_ROWS } from './platform-fixtures.js';

const rates = { base: 'USD', rates: { EUR: 0.8, JPY: 150 } };
const fetchedAt = Date.parse('2026-03-20T12:00:00Z');

function normalise(platform: Platform, row: MetricsRow, extra: Partial<NormaliseContext> = {}) {
  const result = normaliseRow(row, {
    campaignId: 'c',
    stepId: 's',
    platform,
    campaignCurrency: 'USD',
    campaignZone: 'UTC',
    rates,
    fetchedAt,
    ...extra,
  });
  if (!result.success) throw new Error(JSON.stringify(result.error));
  return result.data;
}

describe('normaliseRow', () => {
  it('reads Google Ads micros and int64 strings when the row is in micros', () => {
    const r = normalise('google_ads', FIXTURE_ROWS.google_ads);
    expect(r.values).toMatchObject({
      impressions: 10_000,
      clicks: 250,
      spend: 412.5,
      conversions: 12.5,
      revenue: 980.25,
    });
    expect(r.missing).toEqual([]);
    expect(r.entity).toBe('111');
  });

  it('converts Meta spend from the account currency and maps its account zone to the campaign day', () => {
    const r = normalise('meta_ads', FIXTURE_ROWS.meta_ads, { campaignZone: 'Asia/Tokyo' });
    expect(r.values.spend).toBeCloseTo(5339.5 / 0.8, 6);
    expect(r.values.revenue).toBeCloseTo(12001.1 / 0.8, 6);
    expect(r.values.conversions).toBe(93);
    expect(r.sourceDay).toBe('2026-03-01');
    expect(r.sourceZone).toBe('America/Los_Angeles');
    // Noon in Los Angeles on 1 March is 5am on 2 March in Tokyo.
    expect(r.day).toBe('2026-03-02');
  });

  it('reads minor currency units (Meta budgets) with the currency exponent', () => {
    const mapping = {
      sources: [{ field: 'spend' as const, keys: ['daily_budget'], unit: 'money_minor' as const }],
    };
    const usd = normalise(
      'meta_ads',
      { date: '2026-03-01', currency: 'USD', metrics: { daily_budget: '2550' } },
      { mapping },
    );
    const jpy = normalise(
      'meta_ads',
      { date: '2026-03-01', currency: 'JPY', metrics: { daily_budget: '3000' } },
      { mapping },
    );
    expect(usd.values.spend).toBe(25.5);
    expect(jpy.values.spend).toBe(20);
  });

  it('turns HubSpot percentages into counts when only ratios are given', () => {
    const r = normalise('hubspot', FIXTURE_ROWS.hubspot);
    expect(r.values.sends).toBe(1000);
    expect(r.values.deliveries).toBe(980);
    expect(r.values.unique_opens).toBe(Math.round(980 * 0.62926));
    expect(r.values.unique_clicks).toBe(Math.round(980 * 0.105));
    expect(r.notes.join(' ')).toContain('openratio');
  });

  it('reads TikTok strings, percent CTR, its day format, JPY and ROAS', () => {
    const r = normalise('tiktok', FIXTURE_ROWS.tiktok);
    expect(r.sourceDay).toBe('2026-03-01');
    expect(r.day).toBe('2026-03-01');
    expect(r.values).toMatchObject({
      impressions: 120_000,
      clicks: 1416,
      conversions: 35,
      engagements: 52,
      video_views: 5000,
    });
    expect(r.values.spend).toBeCloseTo(6865 / 150, 6);
    expect(r.values.revenue).toBeCloseTo((6865 / 150) * 2.5, 4);
  });

  it('derives TikTok clicks from the percent CTR when the count is absent', () => {
    const r = normalise('tiktok', {
      date: '2026-03-01',
      currency: 'USD',
      metrics: { impressions: '10000', ctr: '1.18', spend: '10' },
    });
    expect(r.values.clicks).toBe(118);
  });

  it('reads GA4 string values and YYYYMMDD dates in the property zone', () => {
    const r = normalise('ga4', FIXTURE_ROWS.ga4);
    expect(r.sourceDay).toBe('2026-03-01');
    expect(r.values).toMatchObject({ reach: 380, engagements: 290, conversions: 17 });
    expect(r.values.revenue).toBeCloseTo(1234.5 / 0.8, 6);
  });

  it('derives Mailchimp deliveries and unique opens from its 0–1 rate', () => {
    const r = normalise('mailchimp', FIXTURE_ROWS.mailchimp);
    expect(r.values.bounces).toBe(40);
    expect(r.values.deliveries).toBe(1960);
    expect(r.values.unique_opens).toBe(Math.round(1960 * 0.27));
    expect(r.values.unique_clicks).toBe(90);
  });

  it('reads Twilio negative prices as spend and counts failures as bounces', () => {
    const r = normalise('twilio', FIXTURE_ROWS.twilio);
    expect(r.values).toMatchObject({ sends: 500, deliveries: 480, bounces: 20, spend: 3.95 });
  });

  it('maps organic social platforms', () => {
    expect(normalise('facebook', FIXTURE_ROWS.facebook).values).toMatchObject({
      impressions: 5000,
      reach: 3100,
      engagements: 420,
    });
    expect(normalise('facebook', FIXTURE_ROWS.facebook).sourceZone).toBe('America/Los_Angeles');
    expect(normalise('instagram', FIXTURE_ROWS.instagram).values.engagements).toBe(96);
    expect(normalise('x', FIXTURE_ROWS.x).values).toMatchObject({
      impressions: 512,
      clicks: 7,
      engagements: 13,
    });
    expect(normalise('linkedin', FIXTURE_ROWS.linkedin).values).toMatchObject({
      impressions: 300,
      reach: 120,
      engagements: 12,
    });
  });

  it('marks absent fields missing, never zero, and notes unreadable values', () => {
    const r = normalise('sendgrid', {
      date: '2026-03-01',
      metrics: { requests: 100, delivered: 'n/a', opens: null },
    });
    expect(r.values).toEqual({ sends: 100 });
    expect(r.values.deliveries).toBeUndefined();
    expect(r.missing).toContain('deliveries');
    expect(r.missing).toContain('unique_opens');
    expect(r.notes[0]).toContain('not a number');
  });

  it('marks money missing when the rate table lacks the currency', () => {
    const r = normalise('meta_ads', { ...FIXTURE_ROWS.meta_ads, currency: 'BRL' });
    expect(r.values.spend).toBeUndefined();
    expect(r.missing).toContain('spend');
    expect(r.notes.join(' ')).toContain('no rate from BRL to USD');
  });

  it('flags days within the settle window as provisional', () => {
    const recent = normalise('sendgrid', { date: '2026-03-20', metrics: { requests: 1 } });
    const settled = normalise('sendgrid', { date: '2026-03-10', metrics: { requests: 1 } });
    expect(recent.provisional).toBe(true);
    expect(settled.provisional).toBe(false);
  });

  it('fails as a value on an unreadable date or an unmapped platform', () => {
    const bad = normaliseRow(
      { date: 'yesterday', metrics: {} },
      {
        campaignId: 'c',
        stepId: 's',
        platform: 'email',
        campaignCurrency: 'USD',
        campaignZone: 'UTC',
        rates,
        fetchedAt,
      },
    );
    expect(bad.success).toBe(false);
    if (!bad.success)
      expect(bad.error.map((i) => i.code)).toEqual(['unknown_platform', 'invalid_date']);
  });
});
