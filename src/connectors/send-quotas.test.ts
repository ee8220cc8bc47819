import { describe, expect, it } from 'vitest';
import { describeQuota, SEND_QUOTAS, sendQuotaForecast } from './send-quotas.js';

describe('sendQuotaForecast', () => {
  it('names the quotas and the least time the calls take at their pace', () => {
    expect(sendQuotaForecast('sendgrid', 1)).toEqual({ quotas: ['600 per minute'], minimumMs: 0 });
    expect(sendQuotaForecast('twilio', 181).minimumMs).toBe(3 * 60_000);
    expect(sendQuotaForecast('ga4', 10)).toEqual({ quotas: [], minimumMs: 0 });
  });

  it('flags calls that would exhaust a daily quota before launch', () => {
    expect(sendQuotaForecast('instagram', 25).exceedsDaily).toBeUndefined();
    expect(sendQuotaForecast('instagram', 26).exceedsDaily).toBe('25 per day');
    expect(sendQuotaForecast('linkedin', 151).exceedsDaily).toBe('150 per day');
  });

  it('describes windows in words', () => {
    expect(describeQuota({ limit: 4, windowMs: 1000 })).toBe('4 per second');
    expect(describeQuota({ limit: 150, windowMs: 7_200_000 })).toBe('150 per 2 hours');
    expect(describeQuota({ limit: 3, windowMs: 1500 })).toBe('3 per 1500 ms');
    expect(Object.keys(SEND_QUOTAS)).toHaveLength(16);
  });
});
