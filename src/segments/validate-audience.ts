/**
 * @module
 * Validates audience rules beyond their shape: unknown fields, values of the wrong type,
 * impossible ranges, `and`s that are empty by construction ("age > 40 and age < 30") and
 * references to missing or cyclic named segments. Each issue names the node's path and how
 * to fix it.
 */
import type { ZodType } from 'zod';
import type { Issue, Result } from '../errors.js';
import { Audience, AudienceRule, type CompareOp } from '../spec/audience-schema.js';
import { asList, type CompareValue } from './compare-value.js';
import { durationMs } from './duration-ms.js';
import { PROFILE_FIELDS, TRAIT_PREFIX, isProfileField, type FieldKind } from './profile-model.js';
import { lookupSegment, type SegmentRegistry } from './segment-registry.js';

type Path = readonly (string | number)[];

/** What rules are checked against. */
export interface ValidateOptions {
  /** Named segments rules may refer to; omit to skip reference checks. */
  readonly segments?: SegmentRegistry;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** Names within edit distance 3 of `name`, closest first. */
function closest(name: string, candidates: Iterable<string>): string[] {
  return [...candidates]
    .map((c) => [c, distance(name, c)] as const)
    .filter(([, d]) => d <= 3)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .map(([c]) => c);
}

function describe(value: unknown): string {
  return JSON.stringify(value);
}

/** Checks an operator's value: presence, list or pair shape, element type and order. */
function checkValue(
  op: CompareOp,
  value: CompareValue,
  kind: FieldKind | 'duration' | undefined,
  path: Path,
  what: string,
): Issue[] {
  const at = [...path, 'value'];
  if (op === 'exists' || op === 'not_exists') {
    return value === undefined
      ? []
      : [
          {
            code: 'unexpected_value',
            path: at,
            message: `"${op}" takes no value`,
            suggestions: ['remove "value"'],
          },
        ];
  }
  if (value === undefined) {
    return [
      {
        code: 'missing_value',
        path: at,
        message: `"${op}" on ${what} needs a value`,
        suggestions: ['add "value"'],
      },
    ];
  }
  const list = op === 'in' || op === 'not_in' || op === 'between';
  if (!list && Array.isArray(value)) {
    return [
      {
        code: 'wrong_type',
        path: at,
        message: `"${op}" compares with one value, not a list`,
        suggestions: ['use "in" for a list'],
      },
    ];
  }
  if (op === 'between' && (!Array.isArray(value) || value.length !== 2)) {
    return [
      {
        code: 'invalid_range',
        path: at,
        message: '"between" needs [low, high]',
        suggestions: ['e.g. [25, 44]'],
      },
    ];
  }
  const issues: Issue[] = [];
  if (kind !== undefined) {
    for (const v of asList(value)) {
      const ok = kind === 'duration' ? durationMs(v) !== undefined : typeof v === kind;
      if (!ok) {
        const expected = kind === 'duration' ? 'an ISO-8601 duration such as P7D' : `a ${kind}`;
        issues.push({
          code: 'wrong_type',
          path: at,
          message: `${what} is compared with ${describe(v)}; expected ${expected}`,
          suggestions: [kind === 'duration' ? 'P7D' : `a ${kind} value`],
        });
      }
    }
    if (kind === 'boolean' && ['gt', 'gte', 'lt', 'lte', 'between'].includes(op)) {
      issues.push({
        code: 'wrong_type',
        path: [...path, 'op'],
        message: `${what} is a boolean and has no order`,
        suggestions: ['use "eq"'],
      });
    }
  }
  if (issues.length === 0 && op === 'between') {
    const [low, high] = value as readonly unknown[];
    const key = (v: unknown): unknown => (kind === 'duration' ? durationMs(v) : v);
    if ((key(low) as number) > (key(high) as number)) {
      issues.push({
        code: 'impossible_range',
        path: at,
        message: `${describe(low)} is above ${describe(high)}, so nothing is between them`,
        suggestions: [`[${describe(high)}, ${describe(low)}]`],
      });
    }
  }
  return issues;
}

/** A numeric interval or a set of allowed values one `and` child imposes on a subject. */
interface Constraint {
  readonly path: Path;
  readonly low: number;
  readonly high: number;
  readonly allowed?: readonly unknown[];
  readonly excluded?: readonly unknown[];
  /** `true` for `exists`, `false` for `not_exists`. */
  readonly present?: boolean;
}

function constraint(op: CompareOp, value: CompareValue, path: Path): Constraint | undefined {
  const n = typeof value === 'number' ? value : Number.NaN;
  switch (op) {
    case 'gt':
      return Number.isNaN(n)
        ? undefined
        : { path, low: n + Number.EPSILON * Math.max(1, Math.abs(n)), high: Infinity };
    case 'gte':
      return Number.isNaN(n) ? undefined : { path, low: n, high: Infinity };
    case 'lt':
      return Number.isNaN(n)
        ? undefined
        : { path, low: -Infinity, high: n - Number.EPSILON * Math.max(1, Math.abs(n)) };
    case 'lte':
      return Number.isNaN(n) ? undefined : { path, low: -Infinity, high: n };
    case 'between': {
      const [low, high] = Array.isArray(value) ? (value as readonly unknown[]) : [];
      return typeof low === 'number' && typeof high === 'number' ? { path, low, high } : undefined;
    }
    case 'eq':
    case 'in':
      return { path, low: -Infinity, high: Infinity, allowed: asList(value) };
    case 'neq':
    case 'not_in':
      return { path, low: -Infinity, high: Infinity, excluded: asList(value) };
    case 'exists':
    case 'not_exists':
      return { path, low: -Infinity, high: Infinity, present: op === 'exists' };
  }
}

/** Reports an `and` whose children constrain one subject to nothing. */
function contradictions(rules: readonly AudienceRule[], path: Path): Issue[] {
  const bySubject = new Map<string, Constraint[]>();
  rules.forEach((rule, k) => {
    let subject: string | undefined;
    if (rule.type === 'attribute') subject = `the field "${rule.field}"`;
    if (rule.type === 'behavior' && (rule.aggregate === 'count' || rule.aggregate === 'sum')) {
      subject = `the ${rule.aggregate} of "${rule.event}" ${describe({ window: rule.window, where: rule.where, property: rule.property })}`;
    }
    if (subject === undefined) return;
    const { op, value } = rule as Extract<AudienceRule, { type: 'attribute' }>;
    const c = constraint(op, value, [...path, 'rules', k]);
    if (c !== undefined) bySubject.set(subject, [...(bySubject.get(subject) ?? []), c]);
  });
  const issues: Issue[] = [];
  for (const [subject, list] of bySubject) {
    let low = -Infinity;
    let high = Infinity;
    let allowed: readonly unknown[] | undefined;
    const excluded = list.flatMap((c) => c.excluded ?? []);
    const presence = new Set(list.map((c) => c.present).filter((p) => p !== undefined));
    const absent = presence.has(false);
    for (const c of list) {
      low = Math.max(low, c.low);
      high = Math.min(high, c.high);
      if (c.allowed !== undefined)
        allowed = allowed === undefined ? c.allowed : allowed.filter((v) => c.allowed!.includes(v));
    }
    const inRange = (v: unknown): boolean => typeof v !== 'number' || (v >= low && v <= high);
    const possible = (v: unknown): boolean => inRange(v) && !excluded.includes(v);
    const constrained =
      allowed !== undefined || excluded.length > 0 || low > -Infinity || high < Infinity;
    const empty =
      low > high ||
      presence.size === 2 ||
      (absent && constrained) ||
      (allowed !== undefined && !allowed.some(possible));
    if (empty) {
      issues.push({
        code: 'contradiction',
        path,
        message: `no profile can match: the conditions on ${subject} at ${list.map((c) => c.path.join('.')).join(', ')} exclude each other`,
        suggestions: ['widen or drop one of the conditions', 'use "or" if either should qualify'],
      });
    }
  }
  return issues;
}

function checkRule(rule: AudienceRule, path: Path, options: ValidateOptions): Issue[] {
  switch (rule.type) {
    case 'and':
    case 'or': {
      const issues = rule.rules.flatMap((r, k) => checkRule(r, [...path, 'rules', k], options));
      return rule.type === 'and' ? [...issues, ...contradictions(rule.rules, path)] : issues;
    }
    case 'not':
      return checkRule(rule.rule, [...path, 'rule'], options);
    case 'attribute': {
      const { field } = rule;
      if (field.startsWith(TRAIT_PREFIX) && field.length > TRAIT_PREFIX.length) {
        return checkValue(rule.op, rule.value, undefined, path, `"${field}"`);
      }
      if (!isProfileField(field)) {
        return [
          {
            code: 'unknown_field',
            path: [...path, 'field'],
            message: `"${field}" is not a profile field`,
            suggestions: [
              ...closest(field, Object.keys(PROFILE_FIELDS)),
              `${TRAIT_PREFIX}${field}`,
            ],
          },
        ];
      }
      const issues = checkValue(rule.op, rule.value, PROFILE_FIELDS[field], path, `"${field}"`);
      const negative = asList(rule.value).some((v) => typeof v === 'number' && v < 0);
      if (field === 'age' && negative && rule.op !== 'gt' && rule.op !== 'gte') {
        issues.push({
          code: 'impossible_range',
          path: [...path, 'value'],
          message: 'an age is never negative',
          suggestions: ['use an age of 0 or more'],
        });
      }
      return issues;
    }
    case 'behavior': {
      const timed = rule.aggregate === 'first' || rule.aggregate === 'last';
      const what = `the ${rule.aggregate} of "${rule.event}"`;
      const issues = checkValue(rule.op, rule.value, timed ? 'duration' : 'number', path, what);
      rule.where.forEach((f, k) =>
        issues.push(
          ...checkValue(f.op, f.value, undefined, [...path, 'where', k], `"${f.property}"`),
        ),
      );
      if (
        rule.aggregate === 'count' &&
        (rule.op === 'lt' || rule.op === 'lte') &&
        typeof rule.value === 'number' &&
        rule.value < (rule.op === 'lt' ? 1 : 0)
      ) {
        issues.push({
          code: 'impossible_range',
          path: [...path, 'value'],
          message: `a count is never ${rule.op === 'lt' ? 'below' : 'at most'} ${rule.value}`,
          suggestions: ['use "eq" 0 for "never"'],
        });
      }
      return issues;
    }
    case 'segment': {
      if (
        options.segments === undefined ||
        lookupSegment(options.segments, rule.name) !== undefined
      )
        return [];
      return [
        {
          code: 'unknown_segment',
          path: [...path, 'name'],
          message: `no segment is named "${rule.name}"`,
          suggestions: closest(rule.name, Object.keys(options.segments)),
        },
      ];
    }
    case 'sequence':
    case 'reachable':
      return [];
  }
}

/** Segment cycles reachable from `names`, each reported once. */
function cycles(registry: SegmentRegistry, names: Iterable<string>): Issue[] {
  const issues: Issue[] = [];
  const done = new Set<string>();
  const refs = (rule: AudienceRule): string[] => {
    switch (rule.type) {
      case 'and':
      case 'or':
        return rule.rules.flatMap(refs);
      case 'not':
        return refs(rule.rule);
      case 'segment':
        return [rule.name];
      case 'attribute':
      case 'behavior':
      case 'sequence':
      case 'reachable':
        return [];
    }
  };
  const visit = (name: string, stack: string[]): void => {
    const at = stack.indexOf(name);
    if (at >= 0) {
      const loop = [...stack.slice(at), name];
      issues.push({
        code: 'segment_cycle',
        path: ['segments', name],
        message: `segments refer to each other in a cycle: ${loop.join(' → ')}`,
        suggestions: [`remove the reference to "${name}" from "${stack[stack.length - 1]!}"`],
      });
      return;
    }
    if (done.has(name)) return;
    done.add(name);
    const definition = lookupSegment(registry, name);
    if (definition === undefined || !('rules' in definition)) return;
    for (const next of refs(definition.rules)) visit(next, [...stack, name]);
  };
  for (const name of names) visit(name, []);
  return issues;
}

function parse<T>(schema: ZodType<T>, input: unknown): Result<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { success: true, data: parsed.data };
  return {
    success: false,
    error: parsed.error.issues.map((i) => ({
      code: 'invalid_rule',
      path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      message: i.message,
    })),
  };
}

/**
 * Parses and checks one rule tree.
 *
 * @example
 * const checked = validateAudienceRule({ type: 'attribute', field: 'age', op: 'gt', value: 40 });
 * if (!checked.success) console.error(formatIssues(checked.error));
 */
export function validateAudienceRule(
  input: unknown,
  options: ValidateOptions = {},
): Result<AudienceRule> {
  const parsed = parse(AudienceRule, input);
  if (!parsed.success) return parsed;
  const issues = checkRule(parsed.data, [], options);
  return issues.length === 0 ? parsed : { success: false, error: issues };
}

/** Parses and checks an audience: its rules, and the segments it names or excludes. */
export function validateAudience(input: unknown, options: ValidateOptions = {}): Result<Audience> {
  const parsed = parse(Audience, input);
  if (!parsed.success) return parsed;
  const audience = parsed.data;
  const issues = audience.rules === undefined ? [] : checkRule(audience.rules, ['rules'], options);
  const { segments } = options;
  if (segments !== undefined) {
    const named: [string, Path][] =
      audience.segment === undefined ? [] : [[audience.segment, ['segment']]];
    audience.exclude.forEach((name, k) => named.push([name, ['exclude', k]]));
    for (const [name, path] of named) {
      if (lookupSegment(segments, name) === undefined) {
        issues.push({
          code: 'unknown_segment',
          path,
          message: `no segment is named "${name}"`,
          suggestions: closest(name, Object.keys(segments)),
        });
      }
    }
    issues.push(
      ...cycles(
        segments,
        named.map(([name]) => name),
      ),
    );
  }
  return issues.length === 0 ? parsed : { success: false, error: issues };
}

/** Checks every rule of a registry of named segments, and that none refers to itself. */
export function validateSegmentRegistry(registry: SegmentRegistry): Result<SegmentRegistry> {
  const issues: Issue[] = [];
  for (const [name, definition] of Object.entries(registry)) {
    if ('rules' in definition) {
      const checked = validateAudienceRule(definition.rules, { segments: registry });
      if (!checked.success)
        issues.push(
          ...checked.error.map((i) => ({ ...i, path: ['segments', name, 'rules', ...i.path] })),
        );
    }
  }
  issues.push(...cycles(registry, Object.keys(registry)));
  return issues.length === 0
    ? { success: true, data: registry }
    : { success: false, error: issues };
}
