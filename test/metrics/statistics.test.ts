import { seededRandom } from '../../src/seeded-random.js';
import { describe, expect, it } from 'vitest';
import { abVerdict, twoProportionPValue } from '../../src/metrics/ab-test.js';
import {
  computeKpis,
  conditionMetric,
  proportionCounts,
} from '../../src/metrics/kpi-calculator.js';
import { normalCdf, normalQuantile } from '../../src/metrics/normal-distribution.js';
import {
  betaSample,
  constrainShares,
  thompsonAllocation,
} from '../../src/metrics/thompson-bandit.js';
import { poissonInterval, wilsonInterval } from '../../src/metrics/wilson-interval.js';

describe('normal distribution', () => {
  it('matches known quantiles and CDF values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 5);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 5);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe('wilsonInterval', () => {
  it('matches the textbook interval when 15 of 100 succeed', () => {
    const ci = wilsonInterval(15, 100)!;
    expect(ci.low).toBeCloseTo(0.0931, 3);
    expect(ci.high).toBeCloseTo(0.2328, 3);
  });

  it('stays inside [0, 1] at the extremes and is undefined without trials', () => {
    expect(wilsonInterval(0, 10)!.low).toBe(0);
    expect(wilsonInterval(10, 10)!.high).toBe(1);
    expect(wilsonInterval(0, 0)).toBeUndefined();
  });

  it('gives a Poisson interval around a count', () => {
    const ci = poissonInterval(100);
    expect(ci.low).toBeGreaterThan(80);
    expect(ci.high).toBeLessThan(123);
    expect(poissonInterval(0).low).toBe(0);
  });
});

describe('computeKpis', () => {
  it('derives every KPI with intervals from counts', () => {
    const k = computeKpis({
      impressions: 10_000,
      clicks: 250,
      spend: 400,
      conversions: 20,
      revenue: 1200,
      sends: 1000,
      deliveries: 980,
      unique_opens: 196,
      unique_clicks: 49,
      bounces: 20,
      unsubscribes: 2,
    });
    expect(k.ctr.value).toBe(0.025);
    expect(k.ctr.interval!.low).toBeLessThan(0.025);
    expect(k.cpc.value).toBe(1.6);
    expect(k.cpc.interval!.low).toBeLessThan(1.6);
    expect(k.cpm.value).toBe(40);
    expect(k.cpa.value).toBe(20);
    expect(k.roas.value).toBe(3);
    expect(k.open_rate.value).toBe(0.2);
    expect(k.click_rate.value).toBe(0.05);
    expect(k.conversion_rate.value).toBe(0.08);
    expect(k.bounce_rate.value).toBe(0.02);
    expect(k.unsubscribe_rate.value).toBeCloseTo(2 / 980);
    expect(k.cost_per_result.value).toBe(20);
  });

  it('leaves KPIs undefined when their inputs are missing, never zero', () => {
    const k = computeKpis({ spend: 10 });
    expect(k.cpc.value).toBeUndefined();
    expect(k.ctr.value).toBeUndefined();
    expect(k.roas.value).toBeUndefined();
    expect(conditionMetric('open_rate', {})).toBeUndefined();
    expect(conditionMetric('spend', { spend: 3 })).toBe(3);
    expect(proportionCounts('cpa', { clicks: 100, conversions: 5 })).toEqual({
      successes: 5,
      trials: 100,
    });
    expect(proportionCounts('spend', { spend: 1 })).toBeUndefined();
    expect(proportionCounts('ctr', {})).toBeUndefined();
  });
});

describe('abVerdict', () => {
  it('declares no winner when the variants have too few samples', () => {
    const v = abVerdict([
      { id: 'a', successes: 5, trials: 40 },
      { id: 'b', successes: 15, trials: 41 },
    ]);
    expect(v.winner).toBeUndefined();
    expect(v.explanation).toContain('too few samples');
  });

  it('declares no winner when the difference is not significant', () => {
    const v = abVerdict([
      { id: 'a', successes: 200, trials: 1000 },
      { id: 'b', successes: 212, trials: 1000 },
    ]);
    expect(v.winner).toBeUndefined();
    expect(v.pValue).toBeGreaterThan(0.05);
    expect(v.explanation).toContain('not significant at 95%');
  });

  it('declares the winner with its p-value when significant', () => {
    const v = abVerdict([
      { id: 'a', successes: 200, trials: 1000 },
      { id: 'b', successes: 260, trials: 1000 },
    ]);
    expect(v.winner).toBe('b');
    expect(v.pValue).toBeLessThan(0.01);
    const lower = abVerdict(
      [
        { id: 'a', successes: 20, trials: 1000 },
        { id: 'b', successes: 60, trials: 1000 },
      ],
      { better: 'lower' },
    );
    expect(lower.winner).toBe('a');
    expect(
      twoProportionPValue(
        { id: 'x', successes: 0, trials: 0 },
        { id: 'y', successes: 1, trials: 2 },
      ),
    ).toBe(1);
    expect(
      twoProportionPValue(
        { id: 'x', successes: 0, trials: 5 },
        { id: 'y', successes: 0, trials: 5 },
      ),
    ).toBe(1);
  });
});

describe('thompsonAllocation', () => {
  it('is reproducible for a seed and favours the better arm within the floor', () => {
    const arms = [
      { id: 'a', successes: 30, trials: 1000 },
      { id: 'b', successes: 60, trials: 1000 },
    ];
    const one = thompsonAllocation(arms, { seed: 7 });
    expect(thompsonAllocation(arms, { seed: 7 })).toEqual(one);
    expect(one.b).toBeGreaterThan(0.85);
    expect(one.a).toBeCloseTo(0.1, 6);
    expect(one.a! + one.b!).toBeCloseTo(1, 9);
  });

  it('respects per-arm caps', () => {
    const shares = thompsonAllocation(
      [
        { id: 'a', successes: 30, trials: 1000 },
        { id: 'b', successes: 60, trials: 1000 },
      ],
      { seed: 3, maxShare: { b: 0.6 } },
    );
    expect(shares.b).toBeCloseTo(0.6, 6);
    expect(shares.a).toBeCloseTo(0.4, 6);
    expect(constrainShares({ a: 0.5, b: 0.5 }, 0.1, {})).toEqual({ a: 0.5, b: 0.5 });
  });

  it('samples Beta draws with the right mean', () => {
    const random = seededRandom(11);
    let sum = 0;
    for (let i = 0; i < 4000; i++) sum += betaSample(3, 7, random);
    expect(sum / 4000).toBeCloseTo(0.3, 1);
  });
});
