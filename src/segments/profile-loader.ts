/**
 * @module
 * Streams profiles and events from CSV or JSON lines into a `ColumnarStoreBuilder`, with a
 * progress callback. A bad row is skipped and reported (line, field, fix); the rest load.
 *
 * CSV columns: profiles `id,email,phone,zone,age,country,region,language,loyalty_tier,
 * consent_email,consent_sms,consent_push` plus `traits.<name>` (JSON values or text); any other
 * column is a trait of its own name (`first_name` → `traits.first_name`). Events
 * `profile_id,type,at,value` plus `properties.<name>`. `at` is epoch ms or ISO-8601.
 * JSON lines hold `Profile` and `ProfileEvent` objects. Rows (`rows`) are objects with the CSV
 * columns, as a database returns them.
 */
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import type { Issue } from '../errors.js';
import type { ColumnarStoreBuilder } from './columnar-builder.js';
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

/** How a load went. */
export interface LoadReport {
  /** Rows added to the builder. */
  readonly loaded: number;
  /** Rows skipped (bad, duplicate profile or unknown profile). */
  readonly rejected: number;
  /** Why rows were skipped, the first 100. */
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

/** Columns starting with `prefix` (or, with `others`, also every column `others` accepts). */
function nested(
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

/** A CSV row in the shape of a JSON profile. */
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
    traits: nested(row, 'traits.', isTraitColumn),
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

function eventFromCsv(row: Row): Row {
  return {
    profileId: row.profile_id,
    type: row.type,
    at: row.at,
    value: row.value === '' || row.value == null ? undefined : Number(row.value),
    properties: nested(row, 'properties.'),
  };
}

function toEvent(row: Row): Parsed<ProfileEvent> {
  for (const f of ['profileId', 'type']) {
    if (typeof row[f] !== 'string' || row[f] === '')
      return { field: f, message: `"${f}" must be a non-empty string` };
  }
  const at =
    typeof row.at === 'string' && !/^\d+$/.test(row.at) ? Date.parse(row.at) : Number(row.at);
  if (row.at === undefined || row.at === '' || !Number.isFinite(at)) {
    return { field: 'at', message: '"at" must be epoch milliseconds or an ISO-8601 instant' };
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

async function* rows(source: Readable, format: LoadFormat): AsyncGenerator<Row | Error> {
  if (format === 'rows') {
    for await (const row of source) yield row as Row;
    return;
  }
  if (format === 'csv') {
    for await (const row of source.pipe(
      parse({ columns: true, skip_empty_lines: true, bom: true }),
    ))
      yield row as Row;
    return;
  }
  for await (const line of createInterface({ input: source, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      yield typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Row)
        : new Error('expected a JSON object');
    } catch (error) {
      yield error as Error;
    }
  }
}

async function load<T>(
  source: Readable,
  options: LoadOptions,
  convert: (row: Row) => Parsed<T>,
  add: (item: T) => boolean,
  rejectedMessage: string,
): Promise<LoadReport> {
  const every = options.progressEvery ?? 100_000;
  const issues: Issue[] = [];
  let read = 0;
  let loaded = 0;
  const reject = (issue: Issue): void => {
    if (issues.length < MAX_ISSUES) issues.push(issue);
  };
  for await (const row of rows(source, options.format)) {
    read++;
    if (read % every === 0) options.onProgress?.(read);
    if (row instanceof Error) {
      reject({
        code: 'invalid_row',
        path: ['row', read],
        message: row.message,
        suggestions: ['write one JSON object per line'],
      });
      continue;
    }
    const parsed = convert(row);
    if (!('item' in parsed)) {
      reject({ code: 'invalid_row', path: ['row', read, parsed.field], message: parsed.message });
    } else if (add(parsed.item)) {
      loaded++;
    } else {
      reject({ code: 'rejected_row', path: ['row', read], message: rejectedMessage });
    }
  }
  options.onProgress?.(read);
  return { loaded, rejected: read - loaded, issues };
}

/**
 * Streams profiles into `builder`.
 *
 * @example await loadProfiles(createReadStream('profiles.csv'), builder, { format: 'csv' });
 */
export function loadProfiles(
  source: Readable,
  builder: ColumnarStoreBuilder,
  options: LoadOptions,
): Promise<LoadReport> {
  return load(
    source,
    options,
    (row) => toProfile(options.format === 'jsonl' ? row : profileFromCsv(row)),
    (p) => builder.addProfile(p),
    'a profile with this id was already loaded',
  );
}

/** Streams events into `builder` (load their profiles first). */
export function loadEvents(
  source: Readable,
  builder: ColumnarStoreBuilder,
  options: LoadOptions,
): Promise<LoadReport> {
  return load(
    source,
    options,
    (row) => toEvent(options.format === 'jsonl' ? row : eventFromCsv(row)),
    (e) => builder.addEvent(e),
    'no profile with this id was loaded; load profiles first',
  );
}
