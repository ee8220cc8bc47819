/**
 * @module
 * A seeded Thompson-sampling bandit over variants: each arm's conversion rate has a
 * Beta(1 + successes, 1 + failures) posterior; the share of budget an arm gets is the share of
 * posterior draws in which it is best, floored so no arm starves and capped per arm. Pure and
 * reproducible for a seed.
 */
import type { AbArm } from './ab-test.js';
import { seededRandom } from '../seeded-random.js';

/** Settings of {@link thompsonAllocation}. */
export interface BanditOptions {
  /** Seed of the draws: the same seed and counts give the same allocation. @default 1 */
  readonly seed?: number;
  /** Posterior draws. @default 10_000 */
  readonly draws?: number;
  /** Smallest share any arm keeps, so it can still prove itself. @default 0.1 */
  readonly minShare?: number;
  /** Largest share of the total any arm may get, per arm id. @default 1 for every arm */
  readonly maxShare?: Readonly<Record<string, number>>;
}

/** Budget shares per arm id, summing to 1. */
export type Allocation = Readonly<Record<string, number>>;

function normal(random: () => number): number {
  const u = Math.max(random(), Number.MIN_VALUE);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Marsaglia–Tsang gamma sampler (shape ≥ 1, which Beta(1 + s, 1 + f) always has). */
function gamma(shape: number, random: () => number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(random);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = random();
    if (Math.log(Math.max(u, Number.MIN_VALUE)) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
      return d * v;
    }
  }
}

/** One draw from Beta(a, b). */
export function betaSample(a: number, b: number, random: () => number): number {
  const x = gamma(a, random);
  const y = gamma(b, random);
  return x / (x + y);
}

/**
 * Shares of budget per arm by Thompson sampling.
 * @example
 * thompsonAllocation([{ id: 'a', successes: 30, trials: 1000 }, { id: 'b', successes: 60, trials: 1000 }], { seed: 7 });
 * // { a: 0.1, b: 0.9 }
 */
export function thompsonAllocation(
  arms: readonly AbArm[],
  options: BanditOptions = {},
): Allocation {
  const random = seededRandom(options.seed ?? 1);
  const draws = options.draws ?? 10_000;
  const wins = new Map<string, number>(arms.map((a) => [a.id, 0]));
  for (let i = 0; i < draws; i++) {
    let best = '';
    let bestValue = -1;
    for (const arm of arms) {
      const failures = Math.max(0, arm.trials - arm.successes);
      const value = betaSample(1 + arm.successes, 1 + failures, random);
      if (value > bestValue) {
        bestValue = value;
        best = arm.id;
      }
    }
    wins.set(best, (wins.get(best) ?? 0) + 1);
  }
  const raw = Object.fromEntries(arms.map((a) => [a.id, (wins.get(a.id) ?? 0) / draws]));
  return constrainShares(raw, options.minShare ?? 0.1, options.maxShare ?? {});
}

/** Applies floors and caps, then hands what is left over to arms still under their cap. */
export function constrainShares(
  shares: Readonly<Record<string, number>>,
  minShare: number,
  maxShare: Readonly<Record<string, number>>,
): Allocation {
  const ids = Object.keys(shares);
  const floor = Math.min(minShare, 1 / Math.max(1, ids.length));
  const out: Record<string, number> = {};
  for (const id of ids) {
    out[id] = Math.min(maxShare[id] ?? 1, Math.max(floor, shares[id] ?? 0));
  }
  for (let pass = 0; pass < ids.length; pass++) {
    const total = ids.reduce((sum, id) => sum + (out[id] ?? 0), 0);
    const excess = total - 1;
    if (Math.abs(excess) < 1e-12) break;
    const adjustable = ids.filter((id) =>
      excess > 0 ? (out[id] ?? 0) > floor : (out[id] ?? 0) < (maxShare[id] ?? 1),
    );
    if (adjustable.length === 0) break;
    const weight = adjustable.reduce((sum, id) => sum + (out[id] ?? 0), 0) || adjustable.length;
    for (const id of adjustable) {
      const share = (out[id] ?? 0) / weight || 1 / adjustable.length;
      const next = (out[id] ?? 0) - excess * share;
      out[id] = Math.min(maxShare[id] ?? 1, Math.max(floor, next));
    }
  }
  return out;
}
