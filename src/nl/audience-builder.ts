/**
 * @module
 * Turns audience facts into the spec's rule tree and back. Lists of the same field merge
 * ("in the US" … "and Canada" is one `country in [US, CA]`); rules that no one can satisfy
 * together (aged 18–24 and 30 or over) are reported as `contradictory_audience`.
 */
import type { Issue } from '../errors.js';
import type { AudienceRule } from '../spec/audience-schema.js';
import type { AudienceFact } from './audience-matcher.js';

/** An audience fact without token positions: the facts-view form. */
export type AudienceFilter = Omit<AudienceFact, 'first' | 'last' | 'only'> & {
  readonly only?: boolean;
};

const SETS = new Set(['country', 'region', 'language', 'loyalty_tier', 'segment']);
const ATTRIBUTES = new Set([
  'age',
  'country',
  'region',
  'language',
  'loyalty_tier',
  'consent_email',
  'consent_sms',
]);

/** Merges set-valued filters of the same field and operator, keeping first-mention order. */
export function mergeFilters(
  facts: readonly (AudienceFilter & { span?: readonly [number, number] })[],
): AudienceFilter[] {
  const out: AudienceFilter[] = [];
  for (const f of facts) {
    const fact: AudienceFilter =
      f.window === undefined
        ? { field: f.field, op: f.op, value: f.value }
        : { field: f.field, op: f.op, value: f.value, window: f.window };
    const same = out.findIndex(
      (f) => SETS.has(f.field) && f.field === fact.field && f.op === fact.op,
    );
    if (same >= 0 && Array.isArray(fact.value)) {
      const merged = [...(out[same]!.value as readonly string[])];
      for (const v of fact.value as readonly string[]) if (!merged.includes(v)) merged.push(v);
      out[same] = { ...out[same]!, value: merged };
    } else if (!out.some((f) => JSON.stringify(f) === JSON.stringify(fact))) out.push(fact);
  }
  return out;
}

/** The age interval a filter allows, inclusive. */
function ageRange(f: AudienceFilter): [number, number] {
  const v = f.value as number | [number, number];
  switch (f.op) {
    case 'between':
      return v as [number, number];
    case 'gt':
      return [(v as number) + 1, Infinity];
    case 'gte':
      return [v as number, Infinity];
    case 'lt':
      return [0, (v as number) - 1];
    default:
      return [0, v as number];
  }
}

/** Issues for filters that exclude each other. */
export function contradictions(
  facts: readonly (AudienceFilter & { span: readonly [number, number] })[],
): Issue[] {
  const issues: Issue[] = [];
  const ages = facts.filter((f) => f.field === 'age');
  let lo = 0;
  let hi = Infinity;
  for (const age of ages) {
    const [a, b] = ageRange(age);
    lo = Math.max(lo, a);
    hi = Math.min(hi, b);
    if (lo > hi) {
      issues.push({
        code: 'contradictory_audience',
        path: ['audience'],
        span: age.span,
        message: 'no one can match all the age rules together',
        suggestions: ['keep one age range', 'or say which rule applies to which step'],
      });
      break;
    }
  }
  for (const only of facts.filter((x) => x.only === true)) {
    const wider = facts.find(
      (g) =>
        g.field === only.field &&
        g.op === 'in' &&
        (g.value as string[]).some((v) => !(only.value as string[]).includes(v)),
    );
    if (wider !== undefined)
      issues.push({
        code: 'contradictory_audience',
        path: ['audience'],
        span: wider.span,
        message: `the text says only ${(only.value as string[]).join(', ')}, and also names others`,
        suggestions: ['keep the one list that applies'],
      });
  }
  for (const f of facts.filter((x) => x.op === 'in')) {
    const clash = facts.find(
      (g) =>
        g.field === f.field &&
        g.op === 'not_in' &&
        (g.value as string[]).some((v) => (f.value as string[]).includes(v)),
    );
    if (clash !== undefined)
      issues.push({
        code: 'contradictory_audience',
        path: ['audience'],
        span: clash.span,
        message: `the same ${f.field} is both included and excluded`,
        suggestions: ['remove the inclusion or the exclusion'],
      });
  }
  return issues;
}

/** One filter as a spec rule. */
export function toRule(f: AudienceFilter): AudienceRule {
  const window = f.window === undefined ? {} : { window: f.window };
  if (f.field === 'segment') {
    return {
      type: 'segment',
      name: (f.value as string[])[0]!,
      op: f.op === 'not_in' ? 'not_in' : 'in',
    };
  }
  if (ATTRIBUTES.has(f.field))
    return { type: 'attribute', field: f.field, op: f.op as 'eq', value: f.value as string };
  if (f.field === 'purchase_count')
    return {
      type: 'behavior',
      event: 'purchase',
      aggregate: 'count',
      op: f.op as 'eq',
      value: f.value as number,
      where: [],
      ...window,
    };
  if (f.field === 'purchase_total')
    return {
      type: 'behavior',
      event: 'purchase',
      aggregate: 'sum',
      property: 'value',
      op: f.op as 'eq',
      value: f.value as number,
      where: [],
      ...window,
    };
  if (f.field === 'cart_abandoned' && f.op === 'within_last')
    return {
      type: 'sequence',
      event: 'cart_add',
      within: f.value as string,
      notFollowedBy: 'purchase',
    };
  if (f.field === 'cart_abandoned')
    return {
      type: 'behavior',
      event: 'cart_abandon',
      aggregate: 'count',
      op: 'gte',
      value: 1,
      where: [],
    };
  const event = f.field === 'last_open' ? 'open' : 'click';
  return {
    type: 'behavior',
    event,
    aggregate: 'last',
    op: f.op === 'within_last' ? 'lte' : 'gt',
    value: f.value as string,
    where: [],
  };
}

/** Filters as a spec rule list; segments split into one rule per name. */
export function toRules(filters: readonly AudienceFilter[]): AudienceRule[] {
  return filters.flatMap((f) =>
    f.field === 'segment'
      ? (f.value as string[]).map((name) => toRule({ ...f, value: [name] }))
      : [toRule(f)],
  );
}

/** A spec rule back as a filter of the facts view. */
export function fromRule(rule: AudienceRule): AudienceFilter | undefined {
  switch (rule.type) {
    case 'segment':
      return { field: 'segment', op: rule.op, value: [rule.name] };
    case 'attribute':
      return { field: rule.field, op: rule.op, value: rule.value as AudienceFilter['value'] };
    case 'sequence':
      return { field: 'cart_abandoned', op: 'within_last', value: rule.within };
    case 'behavior': {
      if (rule.event === 'cart_abandon')
        return { field: 'cart_abandoned', op: 'exists', value: true };
      if (rule.aggregate === 'last') {
        return {
          field: rule.event === 'open' ? 'last_open' : 'last_click',
          op: rule.op === 'lte' ? 'within_last' : 'not_within_last',
          value: rule.value as string,
        };
      }
      const field = rule.aggregate === 'sum' ? 'purchase_total' : 'purchase_count';
      const base = { field, op: rule.op, value: rule.value as number };
      return rule.window === undefined ? base : { ...base, window: rule.window };
    }
    default:
      return undefined;
  }
}
