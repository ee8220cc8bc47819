/**
 * @module
 * The one definition of how a predicate compares a value, shared by every evaluator.
 *
 * - `exists` / `not_exists` test presence (`undefined` and `null` are absent).
 * - Every other operator is false for an absent or non-scalar value.
 * - `eq`, ordering and `between` need the rule value to have the value's type; ordering
 *   applies to numbers and strings (strings by code unit, PostgreSQL `COLLATE "C"`).
 * - `neq` and `not_in` are true for a present scalar that equals none of the values.
 * - `in` / `not_in` accept a scalar as a one-element list; `between` needs `[low, high]`
 *   and is inclusive; any other operator with a list is false.
 */
import type { CompareOp, RuleValue } from '../spec/audience-schema.js';

/** A rule's comparison value: a scalar or a list. */
export type CompareValue = RuleValue | readonly RuleValue[] | undefined;

/** True for strings, numbers and booleans. */
export function isScalar(value: unknown): value is RuleValue {
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean';
}

/** The rule value as a list (`in` / `not_in`). */
export function asList(value: CompareValue): readonly RuleValue[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly RuleValue[]) : [value as RuleValue];
}

function ordered(actual: RuleValue, bound: unknown): boolean {
  return typeof bound === typeof actual && typeof actual !== 'boolean';
}

/**
 * Whether `actual` satisfies `op value`.
 *
 * @example compareValue(30, 'between', [25, 44]) // true
 */
export function compareValue(actual: unknown, op: CompareOp, value: CompareValue): boolean {
  const present = actual !== undefined && actual !== null;
  if (op === 'exists') return present;
  if (op === 'not_exists') return !present;
  if (!isScalar(actual)) return false;
  if (op === 'in') return asList(value).includes(actual);
  if (op === 'not_in') return !asList(value).includes(actual);
  if (op === 'between') {
    if (!Array.isArray(value) || value.length !== 2) return false;
    const [low, high] = value as [RuleValue, RuleValue];
    return ordered(actual, low) && ordered(actual, high) && low <= actual && actual <= high;
  }
  if (Array.isArray(value)) return false;
  switch (op) {
    case 'eq':
      return actual === value;
    case 'neq':
      return actual !== value;
    case 'gt':
      return ordered(actual, value) && actual > value!;
    case 'gte':
      return ordered(actual, value) && actual >= value!;
    case 'lt':
      return ordered(actual, value) && actual < value!;
    case 'lte':
      return ordered(actual, value) && actual <= value!;
  }
}
