/**
 * @module
 * `AdLedger`: what a fake ad platform delivers for the campaigns a client switched on. A
 * campaign spends only while live (from the status change that enabled it to the one that
 * paused it, never before), at most its daily budget prorated over the part of each day it was
 * live and not beyond the sandbox clock; clicks, impressions, conversions and their value
 * follow from the spend at a seeded cost per click, click-through and conversion rate per
 * campaign. The same seed and the same calls give the same figures.
 */
import { DateTime } from 'luxon';
import { fnv1a, seededRandom } from '../seeded-random.js';

const DAY_MS = 86_400_000;

/** One campaign's delivery on one reporting day, in the account currency (major units). */
export interface AdDay {
  readonly spend: number;
  readonly impressions: number;
  readonly clicks: number;
  readonly conversions: number;
  /** Conversion value (revenue). */
  readonly value: number;
}

interface Period {
  readonly from: number;
  to: number | undefined;
  readonly dailyBudget: number;
}

/** Ranges a platform's campaigns draw their rates from. */
export interface AdRates {
  /** Cost per click, major units: [min, max). */
  readonly cpc: readonly [number, number];
  /** Click-through rate: [min, max). */
  readonly ctr: readonly [number, number];
  /** Conversions per click: [min, max). */
  readonly cvr: readonly [number, number];
  /** Value of a conversion, major units: [min, max). */
  readonly orderValue: readonly [number, number];
}

/** Rates most ad platforms see. */
export const DEFAULT_AD_RATES: AdRates = {
  cpc: [0.4, 3],
  ctr: [0.008, 0.04],
  cvr: [0.02, 0.08],
  orderValue: [20, 120],
};

/** The live periods and budgets of one fake ad account's campaigns. */
export class AdLedger {
  readonly #periods = new Map<string, Period[]>();
  readonly #budgets = new Map<string, number>();
  readonly #seed: number;
  readonly #zone: string;
  readonly #now: () => number;
  readonly #rates: AdRates;

  /**
   * @param seed the sandbox seed and the platform's name make each campaign's rates.
   * @param zone the account's reporting zone (reporting days are its dates).
   */
  constructor(
    seed: number,
    platform: string,
    zone: string,
    now: () => number,
    rates: AdRates = DEFAULT_AD_RATES,
  ) {
    this.#seed = seed ^ fnv1a(platform);
    this.#zone = zone;
    this.#now = now;
    this.#rates = rates;
  }

  /** The campaign's daily budget from now on (major units); splits a live period. */
  setBudget(campaign: string, dailyBudget: number): void {
    this.#budgets.set(campaign, dailyBudget);
    if (this.#open(campaign)) {
      this.setLive(campaign, false);
      this.setLive(campaign, true);
    }
  }

  /** Switches the campaign on (a new live period starts now) or off. */
  setLive(campaign: string, live: boolean): void {
    const open = this.#open(campaign);
    const now = this.#now();
    if (live && !open) {
      const list = this.#periods.get(campaign) ?? [];
      list.push({ from: now, to: undefined, dailyBudget: this.#budgets.get(campaign) ?? 0 });
      this.#periods.set(campaign, list);
    } else if (!live && open) {
      open.to = now;
    }
  }

  /** Campaigns that have been live at some point. */
  campaigns(): string[] {
    return [...this.#periods.keys()];
  }

  /** Days (`YYYY-MM-DD`, account zone) on which the campaign was live, up to now. */
  liveDays(campaign: string): string[] {
    const days = new Set<string>();
    const now = this.#now();
    for (const p of this.#periods.get(campaign) ?? []) {
      const end = Math.min(p.to ?? now, now);
      let day = DateTime.fromMillis(p.from, { zone: this.#zone }).startOf('day');
      while (day.toMillis() <= Math.max(end - 1, p.from)) {
        days.add(day.toISODate()!);
        day = day.plus({ days: 1 });
      }
    }
    return [...days].sort();
  }

  /** What the campaign delivered on `day`; undefined when it was not live that day. */
  day(campaign: string, day: string): AdDay | undefined {
    const start = DateTime.fromISO(day, { zone: this.#zone }).startOf('day');
    const from = start.toMillis();
    const to = Math.min(start.plus({ days: 1 }).toMillis(), this.#now());
    let budgetShare = 0;
    let live = false;
    for (const p of this.#periods.get(campaign) ?? []) {
      const overlap = Math.min(p.to ?? Infinity, to) - Math.max(p.from, from);
      if (overlap < 0 || (overlap === 0 && p.from !== from)) continue;
      live = true;
      budgetShare += (p.dailyBudget * overlap) / DAY_MS;
    }
    if (!live) return undefined;
    const random = seededRandom(this.#seed ^ fnv1a(`${campaign}:${day}`));
    const rate = seededRandom(this.#seed ^ fnv1a(campaign));
    const pick = ([min, max]: readonly [number, number], r: number) => min + (max - min) * r;
    const cpc = pick(this.#rates.cpc, rate());
    const ctr = pick(this.#rates.ctr, rate());
    const cvr = pick(this.#rates.cvr, rate());
    const orderValue = pick(this.#rates.orderValue, rate());
    // Pacing: a campaign spends 85–100% of what its budget allows.
    const spend = Math.floor(budgetShare * (0.85 + 0.15 * random()) * 100) / 100;
    const clicks = Math.floor(spend / cpc);
    const impressions = clicks === 0 ? Math.floor(spend * 200) : Math.floor(clicks / ctr);
    const conversions = Math.min(clicks, Math.floor(clicks * cvr + random()));
    const value = Math.round(conversions * orderValue * 100) / 100;
    return { spend, impressions, clicks, conversions, value };
  }

  #open(campaign: string): Period | undefined {
    return this.#periods.get(campaign)?.find((p) => p.to === undefined);
  }
}
