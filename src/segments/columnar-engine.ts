/**
 * @module
 * Evaluates audience rules over a `ColumnarStore`. A rule is compiled into a plan of
 * selection-vector filters: each `and` runs its children cheapest and most selective first
 * (rank `cost / (1 - selectivity)`, selectivity measured on a sample of rows), so behaviour
 * predicates, which scan events, only see the candidates that survived the attribute
 * predicates; `or` runs each child only on the rows no earlier child matched and unions
 * them in a bitset. Semantics are those of `reference-evaluator.ts`.
 */
import type { AudienceRule, CompareOp } from '../spec/audience-schema.js';
import { compareValue, type CompareValue } from './compare-value.js';
import {
  CONSENT_BIT,
  MISSING,
  NUMBER,
  type ColumnarStore,
  type ValueColumn,
} from './columnar-store.js';
import { durationMs, durationValue } from './duration-ms.js';
import { PROFILE_FIELDS, TRAIT_PREFIX } from './profile-model.js';
import { RowBitset } from './row-bitset.js';
import { lookupSegment, type SegmentRegistry } from './segment-registry.js';

/** When and against which named segments rules are evaluated. */
export interface EvaluateOptions {
  /** Evaluation instant, epoch ms. */
  readonly now: number;
  /** Named segments rules may refer to. @default {} */
  readonly segments?: SegmentRegistry;
}

/** A compiled node: filters ascending rows down to those satisfying it. */
export interface PlanNode {
  readonly rule: AudienceRule;
  /** Estimated work per input row. */
  readonly cost: number;
  /** Estimated fraction of input rows kept. */
  readonly selectivity: number;
  /** Children in execution order (composites only). */
  readonly children: readonly PlanNode[];
  /**
   * The rows of `rows` satisfying the node, ascending. Filters work in place: `rows` is
   * overwritten (pass a copy to keep it).
   */
  filter(rows: Uint32Array): Uint32Array;
  /** Whether one row satisfies the node. */
  test(row: number): boolean;
}

/** A vectorised filter over rows, with the same predicate for one row. */
type Filter = ((rows: Uint32Array) => Uint32Array) & { readonly test: (row: number) => boolean };

function withTest(
  filter: (rows: Uint32Array) => Uint32Array,
  test: (row: number) => boolean,
): Filter {
  return Object.assign(filter, { test });
}

const SAMPLE = 1024;

function minus(rows: Uint32Array, removed: Uint32Array): Uint32Array {
  const out = rows;
  let m = 0;
  let r = 0;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k]!;
    if (r < removed.length && removed[r] === row) r++;
    else out[m++] = row;
  }
  return out.subarray(0, m);
}

function byLut(codes: Int32Array, lut: Uint8Array): Filter {
  return withTest(
    (rows) => {
      let m = 0;
      for (let k = 0; k < rows.length; k++) {
        const row = rows[k]!;
        if (lut[codes[row]! + 1] === 1) rows[m++] = row;
      }
      return rows.subarray(0, m);
    },
    (row) => lut[codes[row]! + 1] === 1,
  );
}

function lutOf(dict: readonly unknown[], test: (value: unknown) => boolean): Uint8Array {
  const lut = new Uint8Array(dict.length + 1);
  lut[0] = test(undefined) ? 1 : 0;
  dict.forEach((value, code) => (lut[code + 1] = test(value) ? 1 : 0));
  return lut;
}

function numericRange(
  op: CompareOp,
  value: CompareValue,
): [number, number, boolean, boolean] | undefined {
  if (op === 'between' && Array.isArray(value) && value.length === 2) {
    const [low, high] = value as unknown[];
    if (typeof low === 'number' && typeof high === 'number') return [low, high, false, false];
    return undefined;
  }
  if (typeof value !== 'number') return undefined;
  switch (op) {
    case 'eq':
      return [value, value, false, false];
    case 'gt':
      return [value, Infinity, true, false];
    case 'gte':
      return [value, Infinity, false, false];
    case 'lt':
      return [-Infinity, value, false, true];
    case 'lte':
      return [-Infinity, value, false, false];
    case 'neq':
    case 'between':
    case 'in':
    case 'not_in':
    case 'exists':
    case 'not_exists':
      return undefined;
  }
}

function byNumber(numbers: Float64Array, op: CompareOp, value: CompareValue): Filter {
  const range = numericRange(op, value);
  if (range === undefined) return byTest((row) => compareValue(numbers[row], op, value));
  const [low, high, lowOpen, highOpen] = range;
  return withTest(
    (rows) => {
      let m = 0;
      for (let k = 0; k < rows.length; k++) {
        const row = rows[k]!;
        const x = numbers[row]!;
        if ((lowOpen ? x > low : x >= low) && (highOpen ? x < high : x <= high)) rows[m++] = row;
      }
      return rows.subarray(0, m);
    },
    (row) => {
      const x = numbers[row]!;
      return (lowOpen ? x > low : x >= low) && (highOpen ? x < high : x <= high);
    },
  );
}

function byTest(test: (row: number) => boolean): Filter {
  return withTest((rows) => {
    let m = 0;
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k]!;
      if (test(row)) rows[m++] = row;
    }
    return rows.subarray(0, m);
  }, test);
}

function byBit(bits: Uint8Array, mask: number, yes: boolean, no: boolean): Filter {
  return withTest(
    (rows) => {
      let m = 0;
      for (let k = 0; k < rows.length; k++) {
        const row = rows[k]!;
        if ((bits[row]! & mask) !== 0 ? yes : no) rows[m++] = row;
      }
      return rows.subarray(0, m);
    },
    (row) => ((bits[row]! & mask) !== 0 ? yes : no),
  );
}

/** Columns and bounds of a `count` or `sum` (of `value`) compared with a numeric range. */
interface RangeScan {
  readonly offsets: Uint32Array;
  readonly eventType: Uint16Array;
  readonly eventAt: Float64Array;
  /** Summed when given; counted otherwise. */
  readonly eventValue: Float64Array | undefined;
  readonly type: number;
  readonly from: number;
  readonly now: number;
  readonly range: [number, number, boolean, boolean];
}

/** The hot path of behaviour predicates: one tight loop per profile, no per-event callbacks. */
function byRangeScan(scan: RangeScan): Filter {
  const { offsets, eventType, eventAt, eventValue, type, from, now } = scan;
  const [low, high, lowOpen, highOpen] = scan.range;
  return byTest((row) => {
    let total = 0;
    const end = offsets[row + 1]!;
    for (let k = offsets[row]!; k < end; k++) {
      if (eventType[k] !== type) continue;
      const at = eventAt[k]!;
      if (at > now || at < from) continue;
      if (eventValue === undefined) total++;
      else {
        const v = eventValue[k]!;
        if (v === v) total += v;
      }
    }
    return (lowOpen ? total > low : total >= low) && (highOpen ? total < high : total <= high);
  });
}

/** A row test for a value column (traits, event properties). */
function valueTest(
  column: ValueColumn | undefined,
  op: CompareOp,
  value: CompareValue,
): (row: number) => boolean {
  if (column === undefined) {
    const absent = compareValue(undefined, op, value);
    return () => absent;
  }
  const lut = lutOf(column.dict, (v) => compareValue(v, op, value));
  const other = compareValue({}, op, value);
  const { codes, numbers } = column;
  return (row) => {
    const code = codes[row]!;
    if (code >= MISSING) return lut[code + 1] === 1;
    return code === NUMBER ? compareValue(numbers[row], op, value) : other;
  };
}

/** Compiles rules into plans over one store. */
export class ColumnarEngine {
  readonly #sample: Uint32Array;
  readonly #avgEvents: number;

  constructor(readonly store: ColumnarStore) {
    const step = Math.max(1, Math.floor(store.size / SAMPLE));
    const sample: number[] = [];
    for (let row = 0; row < store.size; row += step) sample.push(row);
    this.#sample = Uint32Array.from(sample);
    this.#avgEvents = store.eventCount / Math.max(1, store.size);
  }

  /** All rows, ascending. */
  allRows(): Uint32Array {
    const rows = new Uint32Array(this.store.size);
    for (let k = 0; k < rows.length; k++) rows[k] = k;
    return rows;
  }

  /**
   * Compiles `rule` into an evaluation plan.
   *
   * @example engine.compile(rule, { now }).filter(engine.allRows())
   */
  compile(rule: AudienceRule, options: EvaluateOptions): PlanNode {
    const memberships = new Map<string, RowBitset>();
    return this.#node(rule, options.now, options.segments ?? {}, memberships);
  }

  /** Rows (ascending) of the profiles satisfying `rule`. */
  evaluate(rule: AudienceRule, options: EvaluateOptions): Uint32Array {
    return this.compile(rule, options).filter(this.allRows());
  }

  /** Ids (in row order) of the profiles satisfying `rule`. */
  evaluateIds(rule: AudienceRule, options: EvaluateOptions): string[] {
    return Array.from(this.evaluate(rule, options), (row) => this.store.id(row));
  }

  #leaf(rule: AudienceRule, cost: number, filter: Filter): PlanNode {
    const selectivity = filter(this.#sample.slice()).length / Math.max(1, this.#sample.length);
    return { rule, cost, selectivity, children: [], filter, test: filter.test };
  }

  #orFilter(children: readonly PlanNode[]): Filter {
    return withTest(
      (rows) => {
        const hit = new RowBitset(this.store.size);
        let left: Uint32Array = rows.slice();
        for (const c of children) {
          if (left.length === 0) break;
          const matched = c.filter(left.slice());
          for (let k = 0; k < matched.length; k++) hit.add(matched[k]!);
          left = minus(left, matched);
        }
        return byTest((row) => hit.has(row))(rows);
      },
      (row) => children.some((c) => c.test(row)),
    );
  }

  #node(
    rule: AudienceRule,
    now: number,
    segments: SegmentRegistry,
    memberships: Map<string, RowBitset>,
  ): PlanNode {
    const sel = this.#sample.length;
    switch (rule.type) {
      case 'and':
      case 'or': {
        const children = rule.rules.map((r) => this.#node(r, now, segments, memberships));
        const isAnd = rule.type === 'and';
        const rank = (c: PlanNode): number => {
          const drop = isAnd ? 1 - c.selectivity : c.selectivity;
          return drop <= 0 ? Infinity : c.cost / drop;
        };
        children.sort((a, b) => rank(a) - rank(b));
        let pass = 1;
        let cost = 0;
        for (const c of children) {
          cost += pass * c.cost;
          pass *= isAnd ? c.selectivity : 1 - c.selectivity;
        }
        const filter = isAnd ? andFilter(children) : this.#orFilter(children);
        const selectivity = filter(this.#sample.slice()).length / Math.max(1, sel);
        return { rule, cost: cost + 1, selectivity, children, filter, test: filter.test };
      }
      case 'not': {
        const child = this.#node(rule.rule, now, segments, memberships);
        return {
          rule,
          cost: child.cost + 1,
          selectivity: 1 - child.selectivity,
          children: [child],
          filter: (rows) => minus(rows, child.filter(rows.slice())),
          test: (row) => !child.test(row),
        };
      }
      case 'attribute':
        return this.#leaf(rule, rule.field.startsWith(TRAIT_PREFIX) ? 3 : 1, this.#attribute(rule));
      case 'reachable':
        return this.#leaf(rule, 2, this.#reachable(rule.channel));
      case 'segment': {
        const set = this.#membership(rule.name, now, segments, memberships);
        const want = rule.op === 'in';
        return this.#leaf(
          rule,
          1,
          byTest((row) => set.has(row) === want),
        );
      }
      case 'behavior':
        return this.#leaf(rule, 4 + this.#avgEvents, this.#behavior(rule, now));
      case 'sequence':
        return this.#leaf(rule, 4 + 2 * this.#avgEvents, this.#sequence(rule, now));
    }
  }

  #membership(
    name: string,
    now: number,
    segments: SegmentRegistry,
    memberships: Map<string, RowBitset>,
  ): RowBitset {
    let set = memberships.get(name);
    if (set === undefined) {
      // A segment that refers back to itself sees itself empty (validation reports the cycle).
      memberships.set(name, new RowBitset(this.store.size));
      const definition = lookupSegment(segments, name);
      const rows: number[] = [];
      if (definition !== undefined && 'members' in definition) {
        for (const id of definition.members) {
          const row = this.store.rowOf(id);
          if (row !== undefined) rows.push(row);
        }
      } else if (definition !== undefined) {
        rows.push(
          ...this.#node(definition.rules, now, segments, memberships).filter(this.allRows()),
        );
      }
      set = RowBitset.of(this.store.size, rows);
      memberships.set(name, set);
    }
    return set;
  }

  #attribute(rule: Extract<AudienceRule, { type: 'attribute' }>): Filter {
    const { store } = this;
    const { field, op, value } = rule;
    if (field.startsWith(TRAIT_PREFIX)) {
      return byTest(valueTest(store.traits.get(field.slice(TRAIT_PREFIX.length)), op, value));
    }
    switch (field) {
      case 'age':
        return byNumber(store.age, op, value);
      case 'consent_email':
      case 'consent_sms':
      case 'consent_push': {
        const bit = CONSENT_BIT[field.slice('consent_'.length) as 'email' | 'sms' | 'push'];
        const yes = compareValue(true, op, value);
        const no = compareValue(false, op, value);
        return byBit(store.consent, bit, yes, no);
      }
    }
    if (Object.hasOwn(PROFILE_FIELDS, field)) {
      const column = store.strings[field as 'id'];
      return byLut(
        column.codes,
        lutOf(column.dict, (v) => compareValue(v, op, value)),
      );
    }
    const absent = compareValue(undefined, op, value);
    return byTest(() => absent);
  }

  #reachable(channel: 'email' | 'sms' | 'push' | 'social'): Filter {
    const { store } = this;
    const has = (field: 'email' | 'phone'): Uint8Array =>
      lutOf(store.strings[field].dict, (v) => typeof v === 'string' && v.length > 0);
    const email = has('email');
    const phone = has('phone');
    const emailCodes = store.strings.email.codes;
    const phoneCodes = store.strings.phone.codes;
    const consent = store.consent;
    switch (channel) {
      case 'email':
        return byTest(
          (row) => email[emailCodes[row]! + 1] === 1 && (consent[row]! & CONSENT_BIT.email) !== 0,
        );
      case 'sms':
        return byTest(
          (row) => phone[phoneCodes[row]! + 1] === 1 && (consent[row]! & CONSENT_BIT.sms) !== 0,
        );
      case 'push':
        return byTest((row) => (consent[row]! & CONSENT_BIT.push) !== 0);
      case 'social':
        return byTest(
          (row) => email[emailCodes[row]! + 1] === 1 || phone[phoneCodes[row]! + 1] === 1,
        );
    }
  }

  #eventTest(
    rule: Extract<AudienceRule, { type: 'behavior' }>,
  ): ((k: number) => boolean) | undefined {
    if (rule.where.length === 0) return undefined;
    const tests = rule.where.map((f) =>
      f.property === 'value'
        ? (k: number) => compareValue(numberOrUndefined(this.store.eventValue[k]!), f.op, f.value)
        : valueTest(this.store.eventProperties.get(f.property), f.op, f.value),
    );
    return (k) => tests.every((t) => t(k));
  }

  #behavior(rule: Extract<AudienceRule, { type: 'behavior' }>, now: number): Filter {
    const { offsets, eventType, eventAt, eventValue } = this.store;
    const type = this.store.eventTypes.indexOf(rule.event);
    const from = rule.window === undefined ? -Infinity : now - (durationMs(rule.window) ?? 0);
    const where = this.#eventTest(rule);
    const aggregate = rule.aggregate;
    const property = rule.property ?? 'value';
    const column = property === 'value' ? undefined : this.store.eventProperties.get(property);
    const amount = (k: number): number => {
      if (property === 'value') {
        const v = eventValue[k]!;
        return Number.isNaN(v) ? 0 : v;
      }
      const v = readNumber(column, k);
      return v ?? 0;
    };
    let compare: (actual: number | undefined) => boolean;
    if (aggregate === 'count' || aggregate === 'sum') {
      const range = numericRange(rule.op, rule.value);
      if (range !== undefined && where === undefined && property === 'value') {
        const summed = aggregate === 'sum' ? eventValue : undefined;
        return byRangeScan({
          offsets,
          eventType,
          eventAt,
          eventValue: summed,
          type,
          from,
          now,
          range,
        });
      }
      compare =
        range === undefined
          ? (actual) => compareValue(actual, rule.op, rule.value)
          : (actual) => {
              const x = actual!;
              return (
                (range[2] ? x > range[0] : x >= range[0]) &&
                (range[3] ? x < range[1] : x <= range[1])
              );
            };
    } else {
      const value = durationValue(rule.value);
      const constant = rule.op !== 'exists' && rule.op !== 'not_exists' && value === null;
      compare = (actual) => !constant && compareValue(actual, rule.op, value ?? undefined);
    }
    return byTest((row) => {
      let count = 0;
      let sum = 0;
      let first = Infinity;
      let last = -Infinity;
      const end = offsets[row + 1]!;
      for (let k = offsets[row]!; k < end; k++) {
        if (eventType[k] !== type) continue;
        const at = eventAt[k]!;
        if (at > now || at < from) continue;
        if (where !== undefined && !where(k)) continue;
        count++;
        if (aggregate === 'sum') sum += amount(k);
        if (at < first) first = at;
        if (at > last) last = at;
      }
      switch (aggregate) {
        case 'count':
          return compare(count);
        case 'sum':
          return compare(sum);
        case 'first':
          return compare(count === 0 ? undefined : now - first);
        case 'last':
          return compare(count === 0 ? undefined : now - last);
      }
    });
  }

  #sequence(rule: Extract<AudienceRule, { type: 'sequence' }>, now: number): Filter {
    const { offsets, eventType, eventAt, eventTypes } = this.store;
    const first = eventTypes.indexOf(rule.event);
    const then = eventTypes.indexOf(rule.notFollowedBy);
    const from = now - (durationMs(rule.within) ?? 0);
    return byTest((row) => {
      let latest = -Infinity;
      let follow = -Infinity;
      const end = offsets[row + 1]!;
      for (let k = offsets[row]!; k < end; k++) {
        const at = eventAt[k]!;
        if (at > now) continue;
        const t = eventType[k];
        if (t === first && at >= from && at > latest) latest = at;
        if (t === then && at > follow) follow = at;
      }
      return latest !== -Infinity && follow < latest;
    });
  }
}

/**
 * An `and`: predicates on profile columns run first as vectorised passes; the rest (event
 * scans, composites) then run row by row, so each surviving profile's events are read
 * while they are in cache and later predicates stop at the first that fails.
 */
function andFilter(children: readonly PlanNode[]): Filter {
  const scansEvents = (c: PlanNode): boolean =>
    c.children.length > 0 || c.rule.type === 'behavior' || c.rule.type === 'sequence';
  const head = children.filter((c) => !scansEvents(c));
  const tail = children.filter(scansEvents);
  const rest = byTest((row) => {
    for (const c of tail) if (!c.test(row)) return false;
    return true;
  });
  return withTest(
    (rows) => {
      let left = rows;
      for (const c of head) left = c.filter(left);
      return tail.length === 0 ? left : rest(left);
    },
    (row) => children.every((c) => c.test(row)),
  );
}

function numberOrUndefined(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value;
}

function readNumber(column: ValueColumn | undefined, k: number): number | undefined {
  return column !== undefined && column.codes[k] === NUMBER ? column.numbers[k] : undefined;
}
