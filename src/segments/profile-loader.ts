/**
 * @module
 * Streams profiles and events from CSV or JSON lines into a `ColumnarStoreBuilder`, with a
 * progress callback. A bad row is skipped and reported (its line, field and fix); the rest load.
 *
 * CSV columns: profiles `id,email,phone,zone,age,country,region,language,loyalty_tier,
 * consent_email,consent_sms,consent_push` plus `traits.<name>` (JSON values or text); any other
 * column is a trait of its own name (`first_name` → `traits.first_name`). Events
 * `profile_id,type,at,value` plus `properties.<name>`. `at` is epoch ms or ISO-8601.
 * JSON lines hold `Profile` and `ProfileEvent` objects. Rows (`rows`) are objects with the CSV
 * columns, as a database returns them.
 *
 * CSV is scanned as bytes (`CsvScanner`): numbers are read from the bytes, an event's profile
 * id is decoded only when it differs from the previous row's, and events go into the builder's
 * columns without an object per row. Memory stays bounded by the stream's chunks.
 */
import type { Readable } from 'node:stream';
import { HeraldError, type Issue } from '../errors.js';
import type { ColumnarStoreBuilder } from './columnar-builder.js';
import { CsvScanner, type CsvRecord } from './csv-scanner.js';
import type { Profile, ProfileEvent } from './profile-model.js';

/** A format the loader reads: CSV text, JSON lines, or an object stream of CSV-shaped rows. */
export type LoadFormat = 'csv' | 'jsonl' | 'rows';

/** The columns of a profiles CSV that are not traits. */
export const PROFILE_COLUMNS: readonly string[] = [
  'id',
  'email',
  'phone',
  'zone',
  'age',
  'country',
  'region',
  'language',
  'loyalty_tier',
  'consent_email',
  'consent_sms',
  'consent_push',
];

/**
 * A CSV file whose shape is broken (a record with more or fewer fields than the header, a
 * quote not closed properly): code `malformed_csv`, `lines` the line it starts on.
 */
export class MalformedCsvError extends HeraldError {
  constructor(
    message: string,
    readonly lines: number,
  ) {
    super('malformed_csv', message);
    this.name = 'MalformedCsvError';
  }
}

/** How a load went. */
export interface LoadReport {
  /** Rows added to the builder. */
  readonly loaded: number;
  /** Rows skipped (bad, duplicate profile or unknown profile). */
  readonly rejected: number;
  /**
   * Why rows were skipped, the first 100; `path` is `['line', n]` or `['line', n, field]`
   * (files) or `['row', n]`, `['row', n, field]` (rows).
   */
  readonly issues: readonly Issue[];
}

/** Options of a load. */
export interface LoadOptions {
  readonly format: LoadFormat;
  /** Called with rows read so far every `progressEvery` rows and at the end. */
  readonly onProgress?: (rowsRead: number) => void;
  /** @default 100000 */
  readonly progressEvery?: number;
}

const MAX_ISSUES = 100;
type Row = Record<string, unknown>;
type Parsed<T> = { readonly item: T } | { readonly field: string; readonly message: string };

/** Counts rows and keeps the first issues. */
class Tally {
  read = 0;
  loaded = 0;
  readonly issues: Issue[] = [];
  readonly #every: number;

  constructor(
    readonly options: LoadOptions,
    readonly unit: 'line' | 'row' = 'line',
  ) {
    this.#every = options.progressEvery ?? 100_000;
  }

  row(): void {
    if (++this.read % this.#every === 0) this.options.onProgress?.(this.read);
  }

  reject(line: number, field: string | undefined, message: string, code = 'invalid_row'): void {
    if (this.issues.length >= MAX_ISSUES) return;
    const unit = this.unit;
    const fix = field === undefined ? {} : { suggestions: [`fix "${field}" on ${unit} ${line}`] };
    this.issues.push({
      code,
      path: field === undefined ? [unit, line] : [unit, line, field],
      message,
      ...fix,
    });
  }

  report(): LoadReport {
    this.options.onProgress?.(this.read);
    return { loaded: this.loaded, rejected: this.read - this.loaded, issues: this.issues };
  }
}

const DUPLICATE = 'a profile with this id was already loaded';
const ORPHAN = 'no profile with this id was loaded; load profiles first';
const TRUTHY = new Set(['true', '1', 'yes', 'y']);

/** Columns starting with `prefix` (or, with `others`, also every column `others` accepts). */
function nestedRow(
  row: Row,
  prefix: string,
  others: (key: string) => boolean = () => false,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(row)) {
    const prefixed = key.startsWith(prefix);
    if ((!prefixed && !others(key)) || raw === '' || raw === null) continue;
    const name = prefixed ? key.slice(prefix.length) : key;
    if (typeof raw !== 'string') {
      out[name] = raw;
      continue;
    }
    try {
      out[name] = JSON.parse(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

const isTraitColumn = (key: string): boolean => !PROFILE_COLUMNS.includes(key);

const truthy = (v: unknown): boolean =>
  v === true || (typeof v === 'string' && /^(true|1|yes|y)$/i.test(v));

/** A database row in the shape of a JSON profile. */
function profileFromCsv(row: Row): Row {
  const optional: Row = {};
  for (const f of ['email', 'phone', 'zone'])
    if (row[f] !== undefined && row[f] !== '' && row[f] !== null) optional[f] = row[f];
  return {
    ...row,
    ...optional,
    email: optional.email,
    phone: optional.phone,
    zone: optional.zone,
    age: row.age === '' || row.age == null ? undefined : Number(row.age),
    consent: {
      email: truthy(row.consent_email),
      sms: truthy(row.consent_sms),
      push: truthy(row.consent_push),
    },
    traits: nestedRow(row, 'traits.', isTraitColumn),
  };
}

/** A database row in the shape of a JSON event. */
function eventFromCsv(row: Row): Row {
  return {
    profileId: row.profile_id,
    type: row.type,
    at: row.at,
    value: row.value === '' || row.value == null ? undefined : Number(row.value),
    properties: nestedRow(row, 'properties.'),
  };
}

function toProfile(row: Row): Parsed<Profile> {
  for (const f of ['id', 'country', 'region', 'language', 'loyalty_tier']) {
    if (typeof row[f] !== 'string' || row[f] === '')
      return { field: f, message: `"${f}" must be a non-empty string` };
  }
  if (typeof row.age !== 'number' || !Number.isFinite(row.age))
    return { field: 'age', message: '"age" must be a number' };
  const consent = (row.consent ?? {}) as Row;
  const optional: Record<string, string> = {};
  for (const f of ['email', 'phone', 'zone']) {
    if (row[f] === undefined || row[f] === null) continue;
    if (typeof row[f] !== 'string') return { field: f, message: `"${f}" must be a string` };
    optional[f] = row[f];
  }
  const item: Profile = {
    id: row.id as string,
    ...optional,
    age: row.age,
    country: row.country as string,
    region: row.region as string,
    language: row.language as string,
    loyalty_tier: row.loyalty_tier as string,
    consent: {
      email: consent.email === true,
      sms: consent.sms === true,
      push: consent.push === true,
    },
    traits: (row.traits ?? {}) as Record<string, unknown>,
  };
  return { item };
}

function toEvent(row: Row): Parsed<ProfileEvent> {
  for (const f of ['profileId', 'type']) {
    if (typeof row[f] !== 'string' || row[f] === '')
      return { field: f, message: `"${f}" must be a non-empty string` };
  }
  const at = typeof row.at === 'string' ? instant(row.at) : Number(row.at);
  if (row.at === undefined || row.at === '' || !Number.isFinite(at)) {
    return { field: 'at', message: AT_MESSAGE };
  }
  if (row.value !== undefined && (typeof row.value !== 'number' || !Number.isFinite(row.value))) {
    return { field: 'value', message: '"value" must be a number' };
  }
  const item: ProfileEvent = {
    profileId: row.profileId as string,
    type: row.type as string,
    at,
    ...(row.value === undefined ? {} : { value: row.value }),
    properties: (row.properties ?? {}) as Record<string, unknown>,
  };
  return { item };
}

const AT_MESSAGE = '"at" must be epoch milliseconds or an ISO-8601 instant';

/** Epoch ms from digits, else from an ISO-8601 text; `NaN` when neither. */
function instant(text: string): number {
  return /^\d+$/.test(text) ? Number(text) : Date.parse(text);
}

/** Values of `prefix`ed columns (`traits.vip`), each parsed as JSON or kept as text. */
function nested(record: CsvRecord, columns: readonly (readonly [string, number])[]): Row {
  const out: Row = {};
  for (const [name, k] of columns) {
    if (record.empty(k)) continue;
    const text = record.text(k);
    try {
      out[name] = JSON.parse(text);
    } catch {
      out[name] = text;
    }
  }
  return out;
}

function prefixed(names: readonly string[], prefix: string): (readonly [string, number])[] {
  return names.flatMap((name, k) =>
    name.startsWith(prefix) ? [[name.slice(prefix.length), k] as const] : [],
  );
}

/** Feeds a CSV stream to `onHeader`'s row handler, header first. */
async function scanCsv(
  source: Readable,
  onHeader: (names: string[]) => (record: CsvRecord) => void,
): Promise<void> {
  const scanner = new CsvScanner();
  let handle: ((record: CsvRecord) => void) | undefined;
  const onRecord = (record: CsvRecord): void => {
    if (handle !== undefined) handle(record);
    else handle = onHeader(Array.from({ length: record.count }, (_, k) => record.text(k)));
  };
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    scanner.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, onRecord);
  }
  scanner.end(onRecord);
}

/** Throws `MalformedCsvError` when the record's shape does not match the header's. */
function checkShape(record: CsvRecord, width: number): void {
  if (record.malformed) {
    throw new MalformedCsvError(
      `Invalid Closing Quote: a quoted field on line ${record.line} is not closed properly`,
      record.line,
    );
  }
  if (record.count !== width) {
    throw new MalformedCsvError(
      `Invalid Record Length: line ${record.line} has ${record.count} fields, the header ${width}`,
      record.line,
    );
  }
}

function csvProfiles(builder: ColumnarStoreBuilder, tally: Tally) {
  return (names: string[]) => {
    const column = (name: string): number => names.indexOf(name);
    // PROFILE_COLUMNS starts with these nine, in this order.
    const [id, email, phone, zone, age, country, region, language, tier] = PROFILE_COLUMNS.slice(
      0,
      9,
    ).map(column) as [number, number, number, number, number, number, number, number, number];
    const required = (['id', 'country', 'region', 'language', 'loyalty_tier'] as const).map(
      (name) => [name, column(name)] as const,
    );
    const [consentEmail, consentSms, consentPush] = ['email', 'sms', 'push'].map((channel) =>
      column(`consent_${channel}`),
    ) as [number, number, number];
    const traits = [
      ...prefixed(names, 'traits.'),
      ...names.flatMap((name, k) =>
        name.startsWith('traits.') || PROFILE_COLUMNS.includes(name) ? [] : [[name, k] as const],
      ),
    ];
    const text = (record: CsvRecord, k: number): string | undefined =>
      k < 0 || record.empty(k) ? undefined : record.text(k);
    const yes = (record: CsvRecord, k: number): boolean =>
      k >= 0 && !record.empty(k) && TRUTHY.has(record.text(k).toLowerCase());
    return (record: CsvRecord): void => {
      tally.row();
      checkShape(record, names.length);
      const line = record.line;
      for (const [name, k] of required) {
        if (k < 0 || record.empty(k)) {
          tally.reject(line, name, `"${name}" must be a non-empty string`);
          return;
        }
      }
      const years = age < 0 || record.empty(age) ? Number.NaN : record.number(age);
      if (!Number.isFinite(years)) {
        tally.reject(line, 'age', '"age" must be a number');
        return;
      }
      const profile: { -readonly [K in keyof Profile]: Profile[K] } = {
        id: record.text(id),
        age: years,
        country: record.text(country),
        region: record.text(region),
        language: record.text(language),
        loyalty_tier: record.text(tier),
        consent: {
          email: yes(record, consentEmail),
          sms: yes(record, consentSms),
          push: yes(record, consentPush),
        },
        traits: nested(record, traits),
      };
      const emailText = text(record, email);
      const phoneText = text(record, phone);
      const zoneText = text(record, zone);
      if (emailText !== undefined) profile.email = emailText;
      if (phoneText !== undefined) profile.phone = phoneText;
      if (zoneText !== undefined) profile.zone = zoneText;
      if (builder.addProfile(profile)) tally.loaded++;
      else tally.reject(line, undefined, DUPLICATE, 'rejected_row');
    };
  };
}

/** Byte copies of a few recent field values and what they mapped to, replaced in turn. */
class RecentValues {
  readonly #bytes: Uint8Array[];
  readonly #lengths: Int32Array;
  readonly #codes: Int32Array;
  #size = 0;
  #next = 0;

  constructor(capacity: number) {
    this.#bytes = Array.from({ length: capacity }, () => new Uint8Array(64));
    this.#lengths = new Int32Array(capacity);
    this.#codes = new Int32Array(capacity);
  }

  /** The code remembered for field `k`'s bytes, or -1. */
  find(record: CsvRecord, k: number): number {
    for (let j = 0; j < this.#size; j++) {
      if (record.same(k, this.#bytes[j]!, this.#lengths[j]!)) return this.#codes[j]!;
    }
    return -1;
  }

  remember(record: CsvRecord, k: number, code: number): void {
    const j = this.#next;
    const start = record.starts[k]!;
    const length = record.ends[k]! - start;
    if (this.#bytes[j]!.length < length) this.#bytes[j] = new Uint8Array(length * 2);
    this.#bytes[j]!.set(record.bytes.subarray(start, start + length));
    this.#lengths[j] = length;
    this.#codes[j] = code;
    this.#next = (j + 1) % this.#codes.length;
    this.#size = Math.max(this.#size, j + 1);
  }
}

function csvEvents(builder: ColumnarStoreBuilder, tally: Tally) {
  return (names: string[]) => {
    const id = names.indexOf('profile_id');
    const type = names.indexOf('type');
    const at = names.indexOf('at');
    const value = names.indexOf('value');
    const properties = prefixed(names, 'properties.');
    // Events usually arrive grouped by profile and share a handful of types: match bytes
    // against the last profile id and the recent types before decoding any text.
    const lastProfile = new RecentValues(1);
    const types = new RecentValues(32);
    return (record: CsvRecord): void => {
      tally.row();
      checkShape(record, names.length);
      const line = record.line;
      if (id < 0 || record.empty(id)) {
        tally.reject(line, 'profile_id', '"profile_id" must be a non-empty string');
        return;
      }
      if (type < 0 || record.empty(type)) {
        tally.reject(line, 'type', '"type" must be a non-empty string');
        return;
      }
      let when = Number.NaN;
      if (at >= 0) when = record.digits(at) ? record.number(at) : instant(record.text(at));
      if (!Number.isFinite(when)) {
        tally.reject(line, 'at', AT_MESSAGE);
        return;
      }
      let amount = Number.NaN;
      if (value >= 0 && !record.empty(value)) {
        amount = record.number(value);
        if (!Number.isFinite(amount)) {
          tally.reject(line, 'value', '"value" must be a number');
          return;
        }
      }
      let row = lastProfile.find(record, id);
      if (row < 0) {
        row = builder.rowOf(record.text(id)) ?? -1;
        if (row < 0) {
          builder.orphan();
          tally.reject(line, undefined, ORPHAN, 'rejected_row');
          return;
        }
        lastProfile.remember(record, id, row);
      }
      let code = types.find(record, type);
      if (code < 0) {
        code = builder.typeCode(record.text(type));
        types.remember(record, type, code);
      }
      const bag = properties.length === 0 ? undefined : nested(record, properties);
      builder.appendEvent(row, code, when, amount, bag);
      tally.loaded++;
    };
  };
}

/** Feeds each JSON line's object (or why it is not one) to `onRow`, with its line number. */
async function scanJsonLines(
  source: Readable,
  onRow: (row: Row | Error, line: number) => void,
): Promise<void> {
  let rest: Buffer | undefined;
  let line = 0;
  const each = (text: string): void => {
    line++;
    if (text.trim() === '') return;
    try {
      const value: unknown = JSON.parse(text);
      onRow(
        typeof value === 'object' && value !== null && !Array.isArray(value)
          ? (value as Row)
          : new Error('expected a JSON object'),
        line,
      );
    } catch (error) {
      onRow(error as Error, line);
    }
  };
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    const fresh = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const bytes = rest === undefined ? fresh : Buffer.concat([rest, fresh]);
    let start = 0;
    for (let end = bytes.indexOf(0x0a); end >= 0; end = bytes.indexOf(0x0a, start)) {
      each(bytes.toString('utf8', start, end));
      start = end + 1;
    }
    rest = start === bytes.length ? undefined : bytes.subarray(start);
  }
  if (rest !== undefined) each(rest.toString('utf8'));
}

async function loadJsonLines<T>(
  source: Readable,
  tally: Tally,
  convert: (row: Row) => Parsed<T>,
  add: (item: T) => boolean,
  rejectedMessage: string,
): Promise<LoadReport> {
  await scanJsonLines(source, (row, line) => {
    tally.row();
    if (row instanceof Error) {
      tally.reject(line, undefined, `${row.message}; write one JSON object per line`);
      return;
    }
    const parsed = convert(row);
    if (!('item' in parsed)) tally.reject(line, parsed.field, parsed.message);
    else if (add(parsed.item)) tally.loaded++;
    else tally.reject(line, undefined, rejectedMessage, 'rejected_row');
  });
  return tally.report();
}

async function loadRows<T>(
  source: Readable,
  tally: Tally,
  convert: (row: Row) => Parsed<T>,
  add: (item: T) => boolean,
  rejectedMessage: string,
): Promise<LoadReport> {
  for await (const row of source as AsyncIterable<Row>) {
    tally.row();
    const parsed = convert(row);
    if (!('item' in parsed)) tally.reject(tally.read, parsed.field, parsed.message);
    else if (add(parsed.item)) tally.loaded++;
    else tally.reject(tally.read, undefined, rejectedMessage, 'rejected_row');
  }
  return tally.report();
}

/**
 * Streams profiles into `builder`.
 *
 * @example await loadProfiles(createReadStream('profiles.csv'), builder, { format: 'csv' });
 */
export async function loadProfiles(
  source: Readable,
  builder: ColumnarStoreBuilder,
  options: LoadOptions,
): Promise<LoadReport> {
  const add = (p: Profile): boolean => builder.addProfile(p);
  if (options.format === 'rows') {
    const convert = (row: Row) => toProfile(profileFromCsv(row));
    return loadRows(source, new Tally(options, 'row'), convert, add, DUPLICATE);
  }
  const tally = new Tally(options);
  if (options.format === 'jsonl') return loadJsonLines(source, tally, toProfile, add, DUPLICATE);
  await scanCsv(source, csvProfiles(builder, tally));
  return tally.report();
}

/** Streams events into `builder` (load their profiles first). */
export async function loadEvents(
  source: Readable,
  builder: ColumnarStoreBuilder,
  options: LoadOptions,
): Promise<LoadReport> {
  const add = (e: ProfileEvent): boolean => builder.addEvent(e);
  if (options.format === 'rows') {
    const convert = (row: Row) => toEvent(eventFromCsv(row));
    return loadRows(source, new Tally(options, 'row'), convert, add, ORPHAN);
  }
  const tally = new Tally(options);
  if (options.format === 'jsonl') return loadJsonLines(source, tally, toEvent, add, ORPHAN);
  await scanCsv(source, csvEvents(builder, tally));
  return tally.report();
}
