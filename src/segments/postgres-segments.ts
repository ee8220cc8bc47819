/**
 * @module
 * Segments in PostgreSQL: the tables the SQL compiler targets, bulk inserts, streaming the
 * ids of a compiled query through a cursor, and loading a table into a `ColumnarStore`.
 */
import pg, { type ClientBase } from 'pg';
import { ColumnarStoreBuilder } from './columnar-builder.js';
import type { ColumnarStore } from './columnar-store.js';
import type { Profile, ProfileEvent } from './profile-model.js';
import { quoteIdent, type SqlQuery } from './sql-compiler.js';

/** Rows fetched per round trip. @default 10000 */
const BATCH = 10_000;

/** Creates `profiles` and `events` (with the index behaviour predicates use) in `schema`. */
export async function createSegmentTables(client: ClientBase, schema: string): Promise<void> {
  const s = quoteIdent(schema);
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await client.query(
    `CREATE TABLE ${s}.profiles (id text PRIMARY KEY, email text, phone text, zone text,` +
      ' age float8 NOT NULL, country text NOT NULL, region text NOT NULL, language text NOT NULL,' +
      ' loyalty_tier text NOT NULL, consent_email boolean NOT NULL, consent_sms boolean NOT NULL,' +
      " consent_push boolean NOT NULL, traits jsonb NOT NULL DEFAULT '{}')",
  );
  await client.query(
    `CREATE TABLE ${s}.events (profile_id text NOT NULL, type text NOT NULL, at bigint NOT NULL,` +
      " value float8, properties jsonb NOT NULL DEFAULT '{}')",
  );
  await client.query(`CREATE INDEX ON ${s}.events (profile_id, type, at)`);
}

/** Inserts profiles in batches of `batch`. */
export async function insertProfiles(
  client: ClientBase,
  schema: string,
  profiles: readonly Profile[],
  batch = BATCH,
): Promise<void> {
  for (let start = 0; start < profiles.length; start += batch) {
    const rows = profiles.slice(start, start + batch);
    await client.query(
      `INSERT INTO ${quoteIdent(schema)}.profiles SELECT * FROM unnest($1::text[], $2::text[],` +
        ' $3::text[], $4::text[], $5::float8[], $6::text[], $7::text[], $8::text[], $9::text[],' +
        ' $10::boolean[], $11::boolean[], $12::boolean[], $13::jsonb[])',
      [
        rows.map((p) => p.id),
        rows.map((p) => p.email ?? null),
        rows.map((p) => p.phone ?? null),
        rows.map((p) => p.zone ?? null),
        rows.map((p) => p.age),
        rows.map((p) => p.country),
        rows.map((p) => p.region),
        rows.map((p) => p.language),
        rows.map((p) => p.loyalty_tier),
        rows.map((p) => p.consent.email),
        rows.map((p) => p.consent.sms),
        rows.map((p) => p.consent.push),
        rows.map((p) => JSON.stringify(p.traits ?? {})),
      ],
    );
  }
}

/** Inserts events in batches of `batch`. */
export async function insertEvents(
  client: ClientBase,
  schema: string,
  events: readonly ProfileEvent[],
  batch = BATCH * 5,
): Promise<void> {
  for (let start = 0; start < events.length; start += batch) {
    const rows = events.slice(start, start + batch);
    await client.query(
      `INSERT INTO ${quoteIdent(schema)}.events SELECT * FROM unnest($1::text[], $2::text[],` +
        ' $3::bigint[], $4::float8[], $5::jsonb[])',
      [
        rows.map((e) => e.profileId),
        rows.map((e) => e.type),
        rows.map((e) => e.at),
        rows.map((e) => e.value ?? null),
        rows.map((e) => JSON.stringify(e.properties ?? {})),
      ],
    );
  }
}

/** The parts of pg's `Query` a row-limited portal needs to finish after an error. */
interface PortalInternals {
  handleError(error: Error, connection: { sync(): void }): void;
}

async function* cursorRows(
  client: ClientBase,
  query: SqlQuery,
  batch: number,
): AsyncGenerator<Record<string, unknown>[]> {
  // A portal fetched `batch` rows per round trip: pg never holds the whole result.
  const config = { text: query.text, values: [...query.values], rows: batch };
  const submitted = new pg.Query<Record<string, unknown>>(config as pg.QueryConfig);
  // pg sends no Sync after an error in row-limited mode; without one the connection hangs.
  const internal = submitted as unknown as PortalInternals;
  const handleError = internal.handleError.bind(submitted);
  internal.handleError = (error, connection) => {
    connection.sync();
    handleError(error, connection);
  };
  const queue: Record<string, unknown>[][] = [];
  let current: Record<string, unknown>[] = [];
  let done = false;
  let failure: Error | undefined;
  let wake = (): void => undefined;
  submitted.on('row', (row: Record<string, unknown>) => {
    current.push(row);
    if (current.length >= batch) {
      queue.push(current);
      current = [];
      wake();
    }
  });
  submitted.on('end', () => {
    queue.push(current);
    done = true;
    wake();
  });
  submitted.on('error', (error: Error) => {
    failure = error;
    done = true;
    wake();
  });
  client.query(submitted as pg.Submittable);
  for (;;) {
    const next = queue.shift();
    if (next !== undefined) {
      if (next.length > 0) yield next;
      continue;
    }
    if (failure !== undefined) throw failure;
    if (done) return;
    await new Promise<void>((resolve) => (wake = resolve));
  }
}

/**
 * Streams the ids a compiled query returns, `batch` at a time, through a server-side portal.
 *
 * @example
 * for await (const ids of streamSegmentIds(client, compileRuleSql(rule, { now }))) send(ids);
 */
export async function* streamSegmentIds(
  client: ClientBase,
  query: SqlQuery,
  batch = BATCH,
): AsyncGenerator<string[]> {
  for await (const rows of cursorRows(client, query, batch)) yield rows.map((r) => r.id as string);
}

/** Collects every id a compiled query returns. */
export async function querySegmentIds(client: ClientBase, query: SqlQuery): Promise<string[]> {
  const ids: string[] = [];
  for await (const batch of streamSegmentIds(client, query)) ids.push(...batch);
  return ids;
}

/** Loads `schema`'s `profiles` and `events` into a columnar store, reporting rows read. */
export async function loadStoreFromPostgres(
  client: ClientBase,
  schema: string,
  onProgress?: (rows: number) => void,
): Promise<ColumnarStore> {
  const s = quoteIdent(schema);
  const builder = new ColumnarStoreBuilder();
  let read = 0;
  const profiles = { text: `SELECT * FROM ${s}.profiles ORDER BY id COLLATE "C"`, values: [] };
  for await (const rows of cursorRows(client, profiles, BATCH)) {
    for (const r of rows) {
      const optional: Record<string, string> = {};
      for (const f of ['email', 'phone', 'zone'] as const)
        if (r[f] !== null) optional[f] = r[f] as string;
      builder.addProfile({
        id: r.id as string,
        ...optional,
        age: r.age as number,
        country: r.country as string,
        region: r.region as string,
        language: r.language as string,
        loyalty_tier: r.loyalty_tier as string,
        consent: {
          email: r.consent_email as boolean,
          sms: r.consent_sms as boolean,
          push: r.consent_push as boolean,
        },
        traits: r.traits as Record<string, unknown>,
      });
    }
    onProgress?.((read += rows.length));
  }
  const events = {
    text: `SELECT profile_id, type, at::float8 AS at, value, properties FROM ${s}.events`,
    values: [],
  };
  for await (const rows of cursorRows(client, events, BATCH * 5)) {
    for (const r of rows) {
      builder.addEvent({
        profileId: r.profile_id as string,
        type: r.type as string,
        at: r.at as number,
        ...(r.value === null ? {} : { value: r.value as number }),
        properties: r.properties as Record<string, unknown>,
      });
    }
    onProgress?.((read += rows.length));
  }
  return builder.build();
}
