/**
 * @module
 * `planBudgetShift`: how a `shift_budget` rule splits the variants' total budget — all to the
 * best variant (the others paused), or by a seeded Thompson-sampling bandit within floors and
 * per-variant spend caps. Pure: returns the changes and their description.
 */
import type { ActionChange } from './automatic-action.js';
import type { MetricValues } from './metric-fields.js';
import { formatMoney } from './metric-format.js';
import { armOf } from './rule-decisions.js';
import { thompsonAllocation } from './thompson-bandit.js';

/** Settings of the optional bandit used by `shift_budget` rules. */
export interface BanditSettings {
  /** Seed of the posterior draws. */
  readonly seed: number;
  /** Most recent days left out, so late conversions are in before arms are judged. @default 1 */
  readonly lateConversionDays?: number;
  /** Smallest budget share any variant keeps. @default 0.1 */
  readonly minShare?: number;
  /** Largest daily budget per step, campaign currency (spend caps). @default none */
  readonly maxBudget?: Readonly<Record<string, number>>;
}

/** One variant: its totals and its current budget (campaign currency). */
export interface BudgetVariant {
  readonly id: string;
  readonly values: MetricValues;
  readonly budget: number;
}

/**
 * Splits the total budget of `variants` (best first); a variant left with nothing is paused.
 * @example
 * planBudgetShift([{ id: 'b', values, budget: 50 }, { id: 'a', values, budget: 100 }], 'USD');
 * // b → 150, a paused
 */
export function planBudgetShift(
  variants: readonly BudgetVariant[],
  currency: string,
  bandit?: BanditSettings,
): { readonly changes: ActionChange[]; readonly explanation: string } {
  const total = variants.reduce((sum, v) => sum + v.budget, 0);
  let shares: Readonly<Record<string, number>>;
  let how: string;
  if (bandit) {
    const arms = variants.map(
      (v) => armOf(v.id, 'conversion_rate', v.values) ?? { id: v.id, successes: 0, trials: 0 },
    );
    const maxShare = Object.fromEntries(
      variants.map((v) => [v.id, Math.min(1, (bandit.maxBudget?.[v.id] ?? Infinity) / total)]),
    );
    shares = thompsonAllocation(arms, {
      seed: bandit.seed,
      minShare: bandit.minShare ?? 0.1,
      maxShare,
    });
    how = `Thompson sampling (seed ${String(bandit.seed)}, last ${String(bandit.lateConversionDays ?? 1)} day(s) left out for late conversions)`;
  } else {
    shares = Object.fromEntries(variants.map((v, i) => [v.id, i === 0 ? 1 : 0]));
    how = 'all to the best variant';
  }
  const changes: ActionChange[] = [];
  const moves: string[] = [];
  for (const v of variants) {
    const next = Math.round(total * (shares[v.id] ?? 0) * 100) / 100;
    if (next > 0) {
      changes.push({ stepId: v.id, field: 'budget', previous: v.budget, applied: next });
      moves.push(`${v.id} ${formatMoney(v.budget, currency)} → ${formatMoney(next, currency)}`);
    } else {
      changes.push({ stepId: v.id, field: 'paused', previous: false, applied: true });
      moves.push(`${v.id} paused (was ${formatMoney(v.budget, currency)})`);
    }
  }
  return { changes, explanation: `Shifted budget (${how}): ${moves.join(', ')}` };
}
