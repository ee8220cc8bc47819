/**
 * @module
 * Money conversion with a supplied rate table, and currency minor units (cents, or none for
 * zero-decimal currencies such as JPY). Pure: rates are given, never fetched.
 */

/** Exchange rates: one unit of `base` buys `rates[X]` units of X. */
export interface CurrencyRates {
  /** ISO 4217 code, e.g. `USD`. */
  readonly base: string;
  /** Units of each currency per one `base`; `base` itself is 1 whether listed or not. */
  readonly rates: Readonly<Record<string, number>>;
}

/** Currencies with no minor unit in platform APIs (Meta's offset-1 list, ISO 4217). */
const ZERO_DECIMAL = new Set([
  'JPY',
  'KRW',
  'TWD',
  'CLP',
  'COP',
  'CRC',
  'HUF',
  'ISK',
  'IDR',
  'PYG',
  'VND',
  'UGX',
  'XAF',
  'XOF',
]);
/** Currencies with three decimals (ISO 4217). */
const THREE_DECIMAL = new Set(['BHD', 'KWD', 'OMR', 'JOD', 'TND', 'IQD', 'LYD']);

/** Minor units per major unit: 100 for USD, 1 for JPY, 1000 for KWD. */
export function minorUnitFactor(currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return 1;
  if (THREE_DECIMAL.has(currency)) return 1000;
  return 100;
}

/**
 * Converts `amount` from one currency into another; undefined when the table lacks a rate
 * (the caller marks the value missing rather than guessing).
 * @example
 * convertMoney(10, 'EUR', 'USD', { base: 'USD', rates: { EUR: 0.8 } }); // 12.5
 */
export function convertMoney(
  amount: number,
  from: string,
  to: string,
  table: CurrencyRates,
): number | undefined {
  if (from === to) return amount;
  const rateOf = (currency: string): number | undefined =>
    currency === table.base ? 1 : table.rates[currency];
  const fromRate = rateOf(from);
  const toRate = rateOf(to);
  if (fromRate === undefined || toRate === undefined || fromRate <= 0) return undefined;
  return (amount / fromRate) * toRate;
}
