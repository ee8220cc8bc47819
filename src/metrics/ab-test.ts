/**
 * @module
 * A/B significance: a two-sided two-proportion z-test between the best arm and each other
 * arm. A winner is declared only when every comparison is significant at the stated
 * confidence and each arm has a minimum sample; otherwise the verdict says why there is none
 * yet. Pure.
 */
import { normalCdf } from './normal-distribution.js';

/** One arm's counts. */
export interface AbArm {
  readonly id: string;
  readonly successes: number;
  readonly trials: number;
}

/** Settings of {@link abVerdict}. */
export interface AbTestOptions {
  /** Confidence required to call a winner. @default 0.95 */
  readonly confidence?: number;
  /** Trials each arm needs before any test. @default 100 */
  readonly minimumTrials?: number;
  /** `higher` for rates to maximise (open rate), `lower` for ones to minimise (bounce rate). @default "higher" */
  readonly better?: 'higher' | 'lower';
}

/** The outcome of an A/B test. */
export type AbVerdict =
  | {
      readonly winner: string;
      /** Largest p-value among the winner's comparisons. */
      readonly pValue: number;
      readonly confidence: number;
      readonly explanation: string;
    }
  | {
      readonly winner: undefined;
      readonly pValue: number | undefined;
      readonly confidence: number;
      readonly explanation: string;
    };

/** Two-sided p-value of the pooled two-proportion z-test; 1 when either arm has no trials. */
export function twoProportionPValue(a: AbArm, b: AbArm): number {
  if (a.trials <= 0 || b.trials <= 0) return 1;
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (se === 0) return 1;
  const z = (a.successes / a.trials - b.successes / b.trials) / se;
  return 2 * (1 - normalCdf(Math.abs(z)));
}

const pct = (arm: AbArm): string =>
  arm.trials > 0 ? `${((arm.successes / arm.trials) * 100).toFixed(2)}%` : 'n/a';

/**
 * Picks a winner only with statistical confidence.
 * @example
 * abVerdict([{ id: 'a', successes: 5, trials: 40 }, { id: 'b', successes: 9, trials: 41 }]);
 * // { winner: undefined, explanation: 'No winner yet: …' }
 */
export function abVerdict(arms: readonly AbArm[], options: AbTestOptions = {}): AbVerdict {
  const confidence = options.confidence ?? 0.95;
  const minimum = options.minimumTrials ?? 100;
  const sign = options.better === 'lower' ? -1 : 1;
  const summary = arms.map((a) => `${a.id} ${pct(a)} of ${String(a.trials)}`).join(', ');
  const small = arms.filter((a) => a.trials < minimum);
  if (arms.length < 2 || small.length > 0) {
    return {
      winner: undefined,
      pValue: undefined,
      confidence,
      explanation: `No winner yet: too few samples (${summary}; each variant needs at least ${String(minimum)}).`,
    };
  }
  const rate = (a: AbArm): number => (sign * a.successes) / a.trials;
  const sorted = [...arms].sort((x, y) => rate(y) - rate(x));
  const best = sorted[0]!;
  const pValue = Math.max(...sorted.slice(1).map((other) => twoProportionPValue(best, other)));
  const level = `${String(Math.round(confidence * 100))}%`;
  if (pValue > 1 - confidence) {
    return {
      winner: undefined,
      pValue,
      confidence,
      explanation: `No winner yet: ${summary}; the difference is not significant at ${level} (two-proportion z-test, p = ${pValue.toFixed(3)}).`,
    };
  }
  return {
    winner: best.id,
    pValue,
    confidence,
    explanation: `${best.id} wins: ${summary}; significant at ${level} (two-proportion z-test, p = ${pValue.toFixed(4)}).`,
  };
}
