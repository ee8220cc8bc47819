/**
 * @module
 * Compiles audience rules to parameterised PostgreSQL with the semantics of
 * `reference-evaluator.ts`. Every leaf is coalesced to a definite boolean, so `not` keeps
 * two-valued logic; strings order with `COLLATE "C"`; traits and event properties are
 * `jsonb` read by type with `CASE` (which fixes evaluation order, so no cast can fail).
 *
 * Tables (see `postgres-segments.ts`): `profiles(id, email, phone, zone, age, country,
 * region, language, loyalty_tier, consent_email, consent_sms, consent_push, traits)` and
 * `events(profile_id, type, at, value, properties)` with `at` in epoch ms.
 */
import type { AudienceRule, CompareOp, RuleValue } from '../spec/audience-schema.js';
import { asList, compareValue, type CompareValue } from './compare-value.js';
import { durationMs, durationValue } from './duration-ms.js';
import { PROFILE_FIELDS, TRAIT_PREFIX, type FieldKind } from './profile-model.js';
import { lookupSegment, type SegmentRegistry } from './segment-registry.js';

/** A parameterised query for `pg`. */
export interface SqlQuery {
  readonly text: string;
  readonly values: readonly unknown[];
}

/** Where the tables live and when rules are evaluated. */
export interface SqlCompileOptions {
  /** Evaluation instant, epoch ms. */
  readonly now: number;
  /** Named segments rules may refer to. @default {} */
  readonly segments?: SegmentRegistry;
  /** Schema holding `profiles` and `events`. @default "public" */
  readonly schema?: string;
}

/** Quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const CAST = { number: 'float8', string: 'text', boolean: 'boolean' } as const;

/** Collects parameters; placeholders are numbered at the end, so only those used count. */
class Params {
  readonly #values: unknown[] = [];

  add(value: unknown, kind?: FieldKind | 'bigint'): string {
    this.#values.push(value);
    const cast = kind === undefined ? '' : `::${kind === 'bigint' ? 'bigint' : CAST[kind]}`;
    return `\u0001${this.#values.length - 1}\u0001${cast}`;
  }

  list(values: readonly RuleValue[], kind: FieldKind): string {
    this.#values.push(values);
    return `\u0001${this.#values.length - 1}\u0001::${CAST[kind]}[]`;
  }

  /** Numbers the placeholders left in `text` as `$1…` and returns their values. */
  finish(text: string): SqlQuery {
    const values: unknown[] = [];
    const numbered = text.replace(
      new RegExp(String.raw`\u0001(\d+)\u0001`, 'g'),
      (_, index: string) => {
        values.push(this.#values[Number(index)]);
        return `$${values.length}`;
      },
    );
    return { text: numbered, values };
  }
}

function same(value: unknown, kind: FieldKind): value is RuleValue {
  return typeof value === kind;
}

/** `expr op value` for a typed, possibly null SQL expression; null yields false. */
function typedCompare(
  expr: string,
  kind: FieldKind,
  op: CompareOp,
  value: CompareValue,
  params: Params,
): string {
  const order = (e: string): string => (kind === 'string' ? `${e} COLLATE "C"` : e);
  switch (op) {
    case 'exists':
      return `(${expr} IS NOT NULL)`;
    case 'not_exists':
      return `(${expr} IS NULL)`;
    case 'in':
    case 'not_in': {
      const list = asList(value).filter((v) => same(v, kind));
      const hit = list.length === 0 ? 'FALSE' : `${expr} = ANY(${params.list(list, kind)})`;
      return op === 'in'
        ? `COALESCE(${hit}, FALSE)`
        : `(${expr} IS NOT NULL AND NOT COALESCE(${hit}, FALSE))`;
    }
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2 || kind === 'boolean') return 'FALSE';
      const [low, high] = value as unknown[];
      if (!same(low, kind) || !same(high, kind)) return 'FALSE';
      return `COALESCE(${order(expr)} BETWEEN ${params.add(low, kind)} AND ${params.add(high, kind)}, FALSE)`;
    }
    case 'neq':
      if (Array.isArray(value)) return 'FALSE';
      if (!same(value, kind)) return `(${expr} IS NOT NULL)`;
      return `COALESCE(${expr} <> ${params.add(value, kind)}, FALSE)`;
    case 'eq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (Array.isArray(value) || !same(value, kind)) return 'FALSE';
      if (op === 'eq') return `COALESCE(${expr} = ${params.add(value, kind)}, FALSE)`;
      if (kind === 'boolean') return 'FALSE';
      const sign = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[op];
      return `COALESCE(${order(expr)} ${sign} ${params.add(value, kind)}, FALSE)`;
    }
  }
}

/** `x op value` for a `jsonb` value of any type (absent when SQL NULL or JSON null). */
function jsonCompare(x: string, op: CompareOp, value: CompareValue, params: Params): string {
  if (op === 'exists' || op === 'not_exists') {
    const present = `COALESCE(jsonb_typeof(${x}) <> 'null', FALSE)`;
    return op === 'exists' ? present : `NOT ${present}`;
  }
  return (
    `(CASE jsonb_typeof(${x})` +
    ` WHEN 'number' THEN ${typedCompare(`(${x})::float8`, 'number', op, value, params)}` +
    ` WHEN 'string' THEN ${typedCompare(`(${x} #>> '{}')`, 'string', op, value, params)}` +
    ` WHEN 'boolean' THEN ${typedCompare(`(${x})::boolean`, 'boolean', op, value, params)}` +
    ' ELSE FALSE END)'
  );
}

class Compiler {
  readonly params = new Params();
  readonly #visiting = new Set<string>();

  constructor(
    readonly now: number,
    readonly segments: SegmentRegistry,
    readonly tables: { readonly profiles: string; readonly events: string },
  ) {}

  rule(rule: AudienceRule): string {
    switch (rule.type) {
      case 'and':
      case 'or': {
        if (rule.rules.length === 0) return rule.type === 'and' ? 'TRUE' : 'FALSE';
        return `(${rule.rules.map((r) => this.rule(r)).join(rule.type === 'and' ? ' AND ' : ' OR ')})`;
      }
      case 'not':
        return `(NOT ${this.rule(rule.rule)})`;
      case 'attribute':
        return this.#attribute(rule.field, rule.op, rule.value);
      case 'reachable':
        return this.#reachable(rule.channel);
      case 'segment': {
        const member = this.#segment(rule.name);
        return rule.op === 'in' ? member : `(NOT ${member})`;
      }
      case 'behavior':
        return this.#behavior(rule);
      case 'sequence': {
        const p = this.params;
        const now = p.add(this.now, 'bigint');
        const from = p.add(this.now - (durationMs(rule.within) ?? 0), 'bigint');
        return (
          `EXISTS (SELECT 1 FROM ${this.tables.events} a WHERE a.profile_id = p.id` +
          ` AND a.type = ${p.add(rule.event, 'string')} AND a.at >= ${from} AND a.at <= ${now}` +
          ` AND NOT EXISTS (SELECT 1 FROM ${this.tables.events} b WHERE b.profile_id = p.id` +
          ` AND b.type = ${p.add(rule.notFollowedBy, 'string')} AND b.at >= a.at AND b.at <= ${now}))`
        );
      }
    }
  }

  #attribute(field: string, op: CompareOp, value: CompareValue): string {
    if (field.startsWith(TRAIT_PREFIX)) {
      return jsonCompare(
        `p.traits -> ${this.params.add(field.slice(TRAIT_PREFIX.length), 'string')}`,
        op,
        value,
        this.params,
      );
    }
    if (!Object.hasOwn(PROFILE_FIELDS, field))
      return compareValue(undefined, op, value) ? 'TRUE' : 'FALSE';
    const kind = PROFILE_FIELDS[field as keyof typeof PROFILE_FIELDS];
    return typedCompare(`p.${quoteIdent(field)}`, kind, op, value, this.params);
  }

  #reachable(channel: 'email' | 'sms' | 'push' | 'social'): string {
    switch (channel) {
      case 'email':
        return `COALESCE(p.email <> '' AND p.consent_email, FALSE)`;
      case 'sms':
        return `COALESCE(p.phone <> '' AND p.consent_sms, FALSE)`;
      case 'push':
        return `COALESCE(p.consent_push, FALSE)`;
      case 'social':
        return `(COALESCE(p.email <> '', FALSE) OR COALESCE(p.phone <> '', FALSE))`;
    }
  }

  #segment(name: string): string {
    const definition = lookupSegment(this.segments, name);
    if (definition === undefined || this.#visiting.has(name)) return 'FALSE';
    if ('members' in definition)
      return `COALESCE(p.id = ANY(${this.params.list(definition.members, 'string')}), FALSE)`;
    this.#visiting.add(name);
    const sql = this.rule(definition.rules);
    this.#visiting.delete(name);
    return sql;
  }

  #eventValue(property: string): string {
    if (property === 'value') return 'e.value';
    const x = `e.properties -> ${this.params.add(property, 'string')}`;
    return `(CASE WHEN jsonb_typeof(${x}) = 'number' THEN (${x})::float8 END)`;
  }

  #behavior(rule: Extract<AudienceRule, { type: 'behavior' }>): string {
    const p = this.params;
    const conditions = [
      'e.profile_id = p.id',
      `e.type = ${p.add(rule.event, 'string')}`,
      `e.at <= ${p.add(this.now, 'bigint')}`,
    ];
    if (rule.window !== undefined) {
      conditions.push(`e.at >= ${p.add(this.now - (durationMs(rule.window) ?? 0), 'bigint')}`);
    }
    for (const f of rule.where) {
      conditions.push(
        f.property === 'value'
          ? typedCompare('e.value', 'number', f.op, f.value, p)
          : jsonCompare(`e.properties -> ${p.add(f.property, 'string')}`, f.op, f.value, p),
      );
    }
    const from = `FROM ${this.tables.events} e WHERE ${conditions.join(' AND ')}`;
    switch (rule.aggregate) {
      case 'count':
        return typedCompare(`(SELECT count(*) ${from})`, 'number', rule.op, rule.value, p);
      case 'sum':
        return typedCompare(
          `(SELECT COALESCE(sum(${this.#eventValue(rule.property ?? 'value')}), 0) ${from})`,
          'number',
          rule.op,
          rule.value,
          p,
        );
      case 'first':
      case 'last': {
        const value = durationValue(rule.value);
        if (value === null && rule.op !== 'exists' && rule.op !== 'not_exists') return 'FALSE';
        const fn = rule.aggregate === 'first' ? 'min' : 'max';
        const age = `(SELECT ${p.add(this.now, 'bigint')} - ${fn}(e.at) ${from})`;
        return typedCompare(age, 'number', rule.op, value ?? undefined, p);
      }
    }
  }
}

/**
 * Compiles `rule` to a query returning the matching profile ids, ordered by id
 * (`COLLATE "C"`).
 *
 * @example
 * const { text, values } = compileRuleSql(rule, { now: Date.parse('2026-01-01'), schema: 'crm' });
 * await client.query(text, values);
 */
export function compileRuleSql(rule: AudienceRule, options: SqlCompileOptions): SqlQuery {
  const schema = quoteIdent(options.schema ?? 'public');
  const compiler = new Compiler(options.now, options.segments ?? {}, {
    profiles: `${schema}.profiles`,
    events: `${schema}.events`,
  });
  const where = compiler.rule(rule);
  return compiler.params.finish(
    `SELECT p.id FROM ${schema}.profiles p WHERE ${where} ORDER BY p.id COLLATE "C"`,
  );
}
