/**
 * @module
 * ISO-8601 durations as milliseconds, for rule windows and event ages. Segments work on
 * UTC instants, so calendar units are fixed: a year is 365 days, a month 30 days, a week
 * 7 days, a day 24 hours (read by the one ISO-duration module, schedule/iso-duration.ts).
 */
import { durationToMs, parseIsoDuration } from '../schedule/iso-duration.js';

/**
 * Milliseconds in an ISO-8601 duration, or `undefined` when `text` is not one.
 *
 * @example durationMs('P7D') // 604800000
 */
export function durationMs(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = parseIsoDuration(text);
  return parts === undefined ? undefined : durationToMs(parts);
}

/**
 * A `first` / `last` rule value as milliseconds: each duration converted, or `null` when any
 * is not a duration (the predicate is then false, except `exists` / `not_exists`).
 */
export function durationValue(
  value: string | number | boolean | readonly (string | number | boolean)[] | undefined,
): number | readonly number[] | undefined | null {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  const ms = list.map((v) => durationMs(v));
  if (ms.some((v) => v === undefined)) return null;
  return Array.isArray(value) ? (ms as number[]) : ms[0]!;
}
