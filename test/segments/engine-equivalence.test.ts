import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildColumnarStore } from '../../src/segments/columnar-builder.js';
import { ColumnarEngine } from '../../src/segments/columnar-engine.js';
import {
  createSegmentTables,
  insertEvents,
  insertProfiles,
  querySegmentIds,
} from '../../src/segments/postgres-segments.js';
import { evaluateReference } from '../../src/segments/reference-evaluator.js';
import type { SegmentRegistry } from '../../src/segments/segment-registry.js';
import { compileRuleSql } from '../../src/segments/sql-compiler.js';
import { serviceUrl } from '../services.js';
import { dataArb, NOW, ruleArb, SEGMENTS } from './segment-arbitraries.js';

const segments = SEGMENTS as unknown as SegmentRegistry;
const url = await serviceUrl('postgres');
const schema = `seg_eq_${process.pid}_${Date.now()}`;
let client: pg.Client | undefined;

beforeAll(async () => {
  if (url === undefined) return;
  client = new pg.Client(url);
  await client.connect();
  await createSegmentTables(client, schema);
});

afterAll(async () => {
  if (client === undefined) return;
  await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  await client.end();
});

describe('segment evaluators', () => {
  it('agree with the reference evaluator when rules and data are random', () => {
    fc.assert(
      fc.property(dataArb, fc.array(ruleArb, { minLength: 1, maxLength: 5 }), (data, rules) => {
        const engine = new ColumnarEngine(buildColumnarStore(data.profiles, data.events));
        for (const rule of rules) {
          const expected = evaluateReference(rule, data, { now: NOW, segments });
          expect(engine.evaluateIds(rule, { now: NOW, segments }).sort()).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it.runIf(url !== undefined)('agree with PostgreSQL when rules and data are random', async () => {
    const db = client!;
    await fc.assert(
      fc.asyncProperty(
        dataArb,
        fc.array(ruleArb, { minLength: 1, maxLength: 6 }),
        async (data, rules) => {
          await db.query(`TRUNCATE "${schema}".profiles, "${schema}".events`);
          await insertProfiles(db, schema, data.profiles);
          await insertEvents(db, schema, data.events);
          for (const rule of rules) {
            const expected = evaluateReference(rule, data, { now: NOW, segments });
            const actual = await querySegmentIds(
              db,
              compileRuleSql(rule, { now: NOW, segments, schema }),
            );
            expect(actual, JSON.stringify(rule)).toEqual(expected);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
