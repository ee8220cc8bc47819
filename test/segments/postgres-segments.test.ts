import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildColumnarStore } from '../../src/segments/columnar-builder.js';
import {
  createSegmentTables,
  insertEvents,
  insertProfiles,
  loadStoreFromPostgres,
  querySegmentIds,
  streamSegmentIds,
} from '../../src/segments/postgres-segments.js';
import { compileRuleSql } from '../../src/segments/sql-compiler.js';
import { serviceUrl } from '../services.js';
import { EVENTS, NOW, PROFILES } from './fixtures.js';

const url = await serviceUrl('postgres');
const schema = `seg_pg_${process.pid}_${Date.now()}`;
let client: pg.Client | undefined;

beforeAll(async () => {
  if (url === undefined) return;
  client = new pg.Client(url);
  await client.connect();
  await createSegmentTables(client, schema);
  await insertProfiles(client, schema, PROFILES, 2);
  await insertEvents(client, schema, EVENTS, 4);
});

afterAll(async () => {
  if (client === undefined) return;
  await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  await client.end();
});

describe.runIf(url !== undefined)('PostgreSQL segments', () => {
  it('loads a table into a columnar store equal to one built from the objects', async () => {
    const progress: number[] = [];
    const store = await loadStoreFromPostgres(client!, schema, (n) => progress.push(n));
    const expected = buildColumnarStore(PROFILES, EVENTS);
    expect(progress).toEqual([3, 10]);
    expect(Array.from({ length: store.size }, (_, row) => store.profile(row))).toEqual(
      Array.from({ length: expected.size }, (_, row) => expected.profile(row)),
    );
    const events = (s: typeof store) =>
      Array.from({ length: s.size }, (_, row) => s.eventsOf(row).sort((a, b) => a.at - b.at));
    expect(events(store)).toEqual(events(expected));
  });

  it('streams ids in batches through a portal', async () => {
    const query = compileRuleSql(
      { type: 'attribute', field: 'age', op: 'gt', value: 0 },
      { now: NOW, schema },
    );
    const batches: string[][] = [];
    for await (const batch of streamSegmentIds(client!, query, 2)) batches.push(batch);
    expect(batches).toEqual([['ada', 'bob'], ['cy']]);
    expect(
      await querySegmentIds(
        client!,
        compileRuleSql({ type: 'or', rules: [] }, { now: NOW, schema }),
      ),
    ).toEqual([]);
  });

  it('rejects with the database error when a query fails, and the connection stays usable', async () => {
    await expect(
      querySegmentIds(client!, {
        text: 'SELECT 1 / (count(*) - count(*)) AS id FROM pg_class',
        values: [],
      }),
    ).rejects.toThrow(/division by zero/);
    expect((await client!.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});
