/**
 * @module
 * Confidence intervals of rates: Wilson's score interval for a proportion (sound at small
 * counts and at 0 % or 100 %, unlike the normal approximation), and a Poisson interval for a
 * count, used for cost per click or per conversion. Pure.
 */
import { normalQuantile } from './normal-distribution.js';

/** A two-sided interval at `level` (0.95 = 95 %). */
export interface ConfidenceInterval {
  readonly low: number;
  readonly high: number;
  readonly level: number;
}

/**
 * Wilson score interval of `successes` out of `trials`; undefined when there are no trials.
 * @example
 * wilsonInterval(15, 100); // { low: 0.093, high: 0.233, level: 0.95 }
 */
export function wilsonInterval(
  successes: number,
  trials: number,
  level = 0.95,
): ConfidenceInterval | undefined {
  if (trials <= 0) return undefined;
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = Math.min(1, Math.max(0, successes / trials));
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half =
    (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half), level };
}

/**
 * Interval of a Poisson count's mean by the variance-stabilising square root
 * (`(√x ∓ z/2)²`, the upper end from x + 1), good from a handful of events.
 */
export function poissonInterval(count: number, level = 0.95): ConfidenceInterval {
  const z = normalQuantile(1 - (1 - level) / 2);
  const root = Math.sqrt(Math.max(0, count));
  return {
    low: root > z / 2 ? (root - z / 2) ** 2 : 0,
    high: (Math.sqrt(Math.max(0, count) + 1) + z / 2) ** 2,
    level,
  };
}
