/**
 * A week of metrics of one campaign on three platforms, with a gap and an automatic action,
 * for the report tests and the PNG rendering.
 */
import type { MetricsDatabase } from '../../src/metrics/metrics-database.js';
import { rec } from './rule-fixtures.js';

/** Seven days of two ad variants on Google Ads, Meta on five of them, and an email step. */
export function seedCampaign(db: MetricsDatabase): void {
  for (let d = 1; d <= 7; d++) {
    const day = `2026-03-0${String(d)}`;
    db.upsert([
      rec('ad-a', day, {
        impressions: 5000 + d * 100,
        clicks: 100 + d,
        spend: 150 + d * 5,
        conversions: 4 + (d % 3),
        revenue: 400 + d * 10,
      }),
      rec('ad-b', day, {
        impressions: 4000,
        clicks: 140,
        spend: 120,
        conversions: 7,
        revenue: 520,
      }),
      rec('mail', day, {
        sends: 1000,
        deliveries: 980,
        unique_opens: 250 + d,
        unique_clicks: 40,
        bounces: 20,
      }),
    ]);
    if (d !== 3 && d !== 4) {
      db.upsert([
        rec(
          'meta',
          day,
          { impressions: 8000, clicks: 90, spend: 80 + d, conversions: 2 },
          'meta_ads',
        ),
      ]);
    }
  }
  db.saveAction({
    id: 'c1:cpc-cap',
    campaignId: 'c1',
    ruleId: 'cpc-cap',
    kind: 'pause',
    explanation: 'Paused step ad-b because the CPC of step ad-b is USD 2.40, above USD 2.00.',
    numbers: { value: 2.4, threshold: 2 },
    changes: [{ stepId: 'ad-b', field: 'paused', previous: false, applied: true }],
    status: 'done',
    at: Date.parse('2026-03-05T10:00:00Z'),
    revertedAt: Date.parse('2026-03-06T10:00:00Z'),
    revertExplanation: 'Reverted: resumed step ad-b.',
  });
}
