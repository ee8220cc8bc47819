/**
 * @module
 * Profiles and events held column-wise in typed arrays: strings dictionary-encoded, events
 * grouped per profile in CSR form (`offsets[i]`..`offsets[i + 1]` are profile `i`'s events).
 * Build one with `ColumnarStoreBuilder`.
 */
import type { Profile, ProfileEvent } from './profile-model.js';

/** Code of an absent value in a column. */
export const MISSING = -1;
/** Code of a number (read it from `numbers`) in a value column. */
export const NUMBER = -2;
/** Code of a present non-scalar (object, array) in a value column. */
export const OTHER = -3;

/** A dictionary-encoded string column: `dict[codes[i]]`, or `MISSING`. */
export interface DictColumn {
  readonly codes: Int32Array;
  readonly dict: readonly string[];
}

/** A column of values of any type: a dictionary code, `NUMBER`, `OTHER` or `MISSING`. */
export interface ValueColumn {
  readonly codes: Int32Array;
  /** The number when the code is `NUMBER`. */
  readonly numbers: Float64Array;
  /** Strings and booleans by code. */
  readonly dict: readonly (string | boolean)[];
  /** Non-scalar values by row, kept for explanations. */
  readonly others: ReadonlyMap<number, unknown>;
}

/** The string fields of a profile, each a dictionary column. */
export const STRING_FIELDS = [
  'id',
  'email',
  'phone',
  'zone',
  'country',
  'region',
  'language',
  'loyalty_tier',
] as const;
/** A string field of a profile. */
export type StringField = (typeof STRING_FIELDS)[number];

/** Consent bits in `ColumnarStore.consent`. */
export const CONSENT_BIT = { email: 1, sms: 2, push: 4 } as const;

/** The parts of a columnar store. */
export interface ColumnarParts {
  readonly strings: Readonly<Record<StringField, DictColumn>>;
  readonly age: Float64Array;
  readonly consent: Uint8Array;
  readonly traits: ReadonlyMap<string, ValueColumn>;
  readonly offsets: Uint32Array;
  readonly eventType: Uint16Array;
  readonly eventTypes: readonly string[];
  readonly eventAt: Float64Array;
  /** `NaN` where an event has no value. */
  readonly eventValue: Float64Array;
  readonly eventProperties: ReadonlyMap<string, ValueColumn>;
  /** Row by profile id; built from the id column when omitted. */
  readonly rows?: Map<string, number>;
}

/** Reads row `row` of a value column back into a JavaScript value. */
export function readValue(column: ValueColumn | undefined, row: number): unknown {
  if (column === undefined) return undefined;
  const code = column.codes[row]!;
  if (code >= 0) return column.dict[code];
  if (code === NUMBER) return column.numbers[row];
  return code === OTHER ? column.others.get(row) : undefined;
}

function typedBytes(columns: Iterable<ValueColumn>): number {
  let total = 0;
  for (const c of columns) total += c.codes.byteLength + c.numbers.byteLength;
  return total;
}

/** Profiles and their events, column-wise. */
export class ColumnarStore implements ColumnarParts {
  readonly strings: Readonly<Record<StringField, DictColumn>>;
  readonly age: Float64Array;
  readonly consent: Uint8Array;
  readonly traits: ReadonlyMap<string, ValueColumn>;
  readonly offsets: Uint32Array;
  readonly eventType: Uint16Array;
  readonly eventTypes: readonly string[];
  readonly eventAt: Float64Array;
  readonly eventValue: Float64Array;
  readonly eventProperties: ReadonlyMap<string, ValueColumn>;
  readonly #rows: Map<string, number>;

  constructor(parts: ColumnarParts) {
    this.strings = parts.strings;
    this.age = parts.age;
    this.consent = parts.consent;
    this.traits = parts.traits;
    this.offsets = parts.offsets;
    this.eventType = parts.eventType;
    this.eventTypes = parts.eventTypes;
    this.eventAt = parts.eventAt;
    this.eventValue = parts.eventValue;
    this.eventProperties = parts.eventProperties;
    this.#rows = parts.rows ?? new Map(parts.strings.id.dict.map((id, row) => [id, row]));
  }

  /** Number of profiles. */
  get size(): number {
    return this.age.length;
  }

  /** Number of events. */
  get eventCount(): number {
    return this.eventAt.length;
  }

  /** The id of row `row`. */
  id(row: number): string {
    return this.strings.id.dict[row]!;
  }

  /** The row of profile `id`, or `undefined`. */
  rowOf(id: string): number | undefined {
    return this.#rows.get(id);
  }

  /** Reads string field `field` of row `row`. */
  string(field: StringField, row: number): string | undefined {
    const column = this.strings[field];
    const code = column.codes[row]!;
    return code === MISSING ? undefined : column.dict[code];
  }

  /** Profile `row` as an object. */
  profile(row: number): Profile {
    const traits: Record<string, unknown> = {};
    for (const [name, column] of this.traits) {
      const value = readValue(column, row);
      if (value !== undefined) traits[name] = value;
    }
    const bits = this.consent[row]!;
    const optional: { email?: string; phone?: string; zone?: string } = {};
    for (const field of ['email', 'phone', 'zone'] as const) {
      const value = this.string(field, row);
      if (value !== undefined) optional[field] = value;
    }
    return {
      id: this.id(row),
      ...optional,
      age: this.age[row]!,
      country: this.string('country', row)!,
      region: this.string('region', row)!,
      language: this.string('language', row)!,
      loyalty_tier: this.string('loyalty_tier', row)!,
      consent: {
        email: (bits & CONSENT_BIT.email) !== 0,
        sms: (bits & CONSENT_BIT.sms) !== 0,
        push: (bits & CONSENT_BIT.push) !== 0,
      },
      traits,
    };
  }

  /** Events of profile `row` as objects. */
  eventsOf(row: number): ProfileEvent[] {
    const events: ProfileEvent[] = [];
    for (let k = this.offsets[row]!; k < this.offsets[row + 1]!; k++) {
      const properties: Record<string, unknown> = {};
      for (const [name, column] of this.eventProperties) {
        const value = readValue(column, k);
        if (value !== undefined) properties[name] = value;
      }
      const value = this.eventValue[k]!;
      events.push({
        profileId: this.id(row),
        type: this.eventTypes[this.eventType[k]!]!,
        at: this.eventAt[k]!,
        ...(Number.isNaN(value) ? {} : { value }),
        properties,
      });
    }
    return events;
  }

  /** Bytes held in typed arrays (dictionaries and ids excluded). */
  get typedBytes(): number {
    let total = this.age.byteLength + this.consent.byteLength + this.offsets.byteLength;
    for (const field of STRING_FIELDS) total += this.strings[field].codes.byteLength;
    total += this.eventType.byteLength + this.eventAt.byteLength + this.eventValue.byteLength;
    return total + typedBytes(this.traits.values()) + typedBytes(this.eventProperties.values());
  }
}
