/**
 * @module
 * Builds a `ColumnarStore` from profiles and events appended one at a time (from objects,
 * files or a database). Profiles come first; an event whose profile is unknown is dropped
 * and counted, as is a repeated profile id (the first one wins).
 */
import {
  CONSENT_BIT,
  ColumnarStore,
  MISSING,
  NUMBER,
  OTHER,
  STRING_FIELDS,
  type DictColumn,
  type StringField,
  type ValueColumn,
} from './columnar-store.js';
import type { Profile, ProfileEvent } from './profile-model.js';

const OTHER_STRING_FIELDS = STRING_FIELDS.filter(
  (f): f is Exclude<StringField, 'id'> => f !== 'id',
);

class Dictionary<K> {
  readonly values: K[] = [];
  readonly #codes = new Map<K, number>();

  code(value: K): number {
    let code = this.#codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.#codes.set(value, code);
    }
    return code;
  }
}

type Typed = Float64Array | Uint32Array | Uint16Array | Int32Array | Uint8Array;

/** A copy of `array` with room for `needed` entries (callers ask only when it is full). */
function grow<T extends Typed>(array: T, needed: number): T {
  const next = new (array.constructor as new (n: number) => T)(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

/** Distinct values a string column holds before it may stop keeping a dictionary. */
const UNIQUE_AFTER = 4096;

/**
 * A string column under construction: dictionary-encoded while values repeat; once more than
 * a quarter of its rows bring a new value (emails, phone numbers), it drops the dictionary and
 * appends each value, as a dictionary of unique values would only cost a hash per row.
 */
class StringColumnBuilder {
  codes = new Int32Array(1024);
  readonly values: string[] = [];
  #known: Map<string, number> | undefined = new Map();

  set(row: number, value: string | undefined): void {
    if (row >= this.codes.length) this.codes = grow(this.codes, row + 1);
    if (value === undefined) {
      this.codes[row] = MISSING;
      return;
    }
    const known = this.#known;
    if (known === undefined) {
      this.codes[row] = this.values.push(value) - 1;
      return;
    }
    let code = known.get(value);
    if (code === undefined) {
      code = this.values.push(value) - 1;
      known.set(value, code);
      if (code >= UNIQUE_AFTER && code * 4 > row) this.#known = undefined;
    }
    this.codes[row] = code;
  }
}

class SparseColumn {
  readonly rows: number[] = [];
  readonly values: unknown[] = [];

  dense(size: number): ValueColumn {
    const codes = new Int32Array(size).fill(MISSING);
    const numbers = new Float64Array(
      this.rows.some((_, k) => typeof this.values[k] === 'number') ? size : 0,
    );
    const dict = new Dictionary<string | boolean>();
    const others = new Map<number, unknown>();
    this.rows.forEach((row, k) => {
      const value = this.values[k];
      if (typeof value === 'number') {
        codes[row] = NUMBER;
        numbers[row] = value;
      } else if (typeof value === 'string' || typeof value === 'boolean') {
        codes[row] = dict.code(value);
      } else {
        codes[row] = OTHER;
        others.set(row, value);
      }
    });
    return { codes, numbers, dict: dict.values, others };
  }
}

function addSparse(
  columns: Map<string, SparseColumn>,
  bag: Readonly<Record<string, unknown>> | undefined,
  row: number,
): void {
  if (bag === undefined) return;
  for (const [name, value] of Object.entries(bag)) {
    if (value === undefined || value === null) continue;
    let column = columns.get(name);
    if (column === undefined) {
      column = new SparseColumn();
      columns.set(name, column);
    }
    column.rows.push(row);
    column.values.push(value);
  }
}

/** Counts of what a build dropped. */
export interface BuildStats {
  readonly profiles: number;
  readonly events: number;
  /** Events whose profile was not added (dropped). */
  readonly orphanEvents: number;
  /** Profiles whose id was already added (dropped). */
  readonly duplicateProfiles: number;
}

/**
 * Appends profiles, then events, and builds the store.
 *
 * @example
 * const builder = new ColumnarStoreBuilder();
 * profiles.forEach((p) => builder.addProfile(p));
 * events.forEach((e) => builder.addEvent(e));
 * const store = builder.build();
 */
export class ColumnarStoreBuilder {
  readonly #strings = Object.fromEntries(
    OTHER_STRING_FIELDS.map((f) => [f, new StringColumnBuilder()]),
  ) as Record<Exclude<StringField, 'id'>, StringColumnBuilder>;
  #age = new Float64Array(1024);
  #consent = new Uint8Array(1024);
  readonly #traits = new Map<string, SparseColumn>();
  readonly #rows = new Map<string, number>();
  readonly #ids: string[] = [];
  #eventRow = new Uint32Array(1024);
  #eventType = new Uint16Array(1024);
  #eventAt = new Float64Array(1024);
  #eventValue = new Float64Array(1024);
  readonly #eventProperties = new Map<string, SparseColumn>();
  readonly #types = new Dictionary<string>();
  #events = 0;
  #orphans = 0;
  #duplicates = 0;
  /** The profile of the last event added: a profile's events usually come together. */
  #lastId: string | undefined;
  #lastRow = 0;

  /** Adds a profile; returns false (and counts it) when its id was already added. */
  addProfile(profile: Profile): boolean {
    if (this.#rows.has(profile.id)) {
      this.#duplicates++;
      return false;
    }
    const row = this.#rows.size;
    this.#rows.set(profile.id, row);
    this.#ids.push(profile.id);
    for (const field of OTHER_STRING_FIELDS) this.#strings[field].set(row, profile[field]);
    if (row >= this.#age.length) {
      this.#age = grow(this.#age, row + 1);
      this.#consent = grow(this.#consent, row + 1);
    }
    this.#age[row] = profile.age;
    this.#consent[row] =
      (profile.consent.email ? CONSENT_BIT.email : 0) |
      (profile.consent.sms ? CONSENT_BIT.sms : 0) |
      (profile.consent.push ? CONSENT_BIT.push : 0);
    addSparse(this.#traits, profile.traits, row);
    return true;
  }

  /** Adds an event; returns false (and counts it) when its profile is unknown. */
  addEvent(event: ProfileEvent): boolean {
    const row = this.rowOf(event.profileId);
    if (row === undefined) {
      this.#orphans++;
      return false;
    }
    this.appendEvent(
      row,
      this.typeCode(event.type),
      event.at,
      event.value ?? Number.NaN,
      event.properties,
    );
    return true;
  }

  /** The row of profile `id`, or `undefined` (counted as an orphan event by the caller). */
  rowOf(id: string): number | undefined {
    if (id === this.#lastId) return this.#lastRow;
    const row = this.#rows.get(id);
    if (row !== undefined) {
      this.#lastId = id;
      this.#lastRow = row;
    }
    return row;
  }

  /** Counts an event dropped because its profile is unknown. */
  orphan(): void {
    this.#orphans++;
  }

  /** The code of event type `type`, for `appendEvent`. */
  typeCode(type: string): number {
    return this.#types.code(type);
  }

  /**
   * Adds an event of profile `row` (from `rowOf`) without building an object: `type` from
   * `typeCode`, `value` `NaN` when there is none. Loaders use it straight from file bytes.
   */
  appendEvent(
    row: number,
    type: number,
    at: number,
    value: number,
    properties?: Readonly<Record<string, unknown>>,
  ): void {
    const k = this.#events++;
    if (k === this.#eventAt.length) {
      this.#eventRow = grow(this.#eventRow, k + 1);
      this.#eventType = grow(this.#eventType, k + 1);
      this.#eventAt = grow(this.#eventAt, k + 1);
      this.#eventValue = grow(this.#eventValue, k + 1);
    }
    this.#eventRow[k] = row;
    this.#eventType[k] = type;
    this.#eventAt[k] = at;
    this.#eventValue[k] = value;
    if (properties !== undefined) addSparse(this.#eventProperties, properties, k);
  }

  /** What was added and dropped so far. */
  get stats(): BuildStats {
    return {
      profiles: this.#rows.size,
      events: this.#events,
      orphanEvents: this.#orphans,
      duplicateProfiles: this.#duplicates,
    };
  }

  /** Builds the store: events grouped per profile (counting sort, stable in arrival order). */
  build(): ColumnarStore {
    const size = this.#rows.size;
    const count = this.#events;
    const offsets = new Uint32Array(size + 1);
    for (let k = 0; k < count; k++) offsets[this.#eventRow[k]! + 1]!++;
    for (let i = 0; i < size; i++) offsets[i + 1]! += offsets[i]!;
    const next = offsets.slice(0, size);
    const position = new Uint32Array(count);
    const eventType = new Uint16Array(count);
    const eventAt = new Float64Array(count);
    const eventValue = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const to = next[this.#eventRow[k]!]!++;
      position[k] = to;
      eventType[to] = this.#eventType[k]!;
      eventAt[to] = this.#eventAt[k]!;
      eventValue[to] = this.#eventValue[k]!;
    }
    const eventProperties = new Map<string, ValueColumn>();
    for (const [name, sparse] of this.#eventProperties) {
      const moved = new SparseColumn();
      sparse.rows.forEach((k, j) => {
        moved.rows.push(position[k]!);
        moved.values.push(sparse.values[j]);
      });
      eventProperties.set(name, moved.dense(count));
    }
    const ids = new Int32Array(size);
    for (let k = 0; k < size; k++) ids[k] = k;
    const strings = Object.fromEntries(
      OTHER_STRING_FIELDS.map((f): [StringField, DictColumn] => [
        f,
        { codes: this.#strings[f].codes.slice(0, size), dict: this.#strings[f].values },
      ]),
    ) as Record<StringField, DictColumn>;
    strings.id = { codes: ids, dict: this.#ids };
    return new ColumnarStore({
      strings,
      age: this.#age.slice(0, size),
      consent: this.#consent.slice(0, size),
      traits: new Map([...this.#traits].map(([name, sparse]) => [name, sparse.dense(size)])),
      offsets,
      eventType,
      eventTypes: this.#types.values,
      eventAt,
      eventValue,
      eventProperties,
      rows: this.#rows,
    });
  }
}

/** Builds a store from plain objects. */
export function buildColumnarStore(
  profiles: Iterable<Profile>,
  events: Iterable<ProfileEvent>,
): ColumnarStore {
  const builder = new ColumnarStoreBuilder();
  for (const p of profiles) builder.addProfile(p);
  for (const e of events) builder.addEvent(e);
  return builder.build();
}
