/**
 * Segments benchmark: 1,000,000 profiles and ~10,000,000 events (seeded), the typical
 * segment — age 25-44, five countries, email consent, at least 2 purchases totalling over
 * 100 in the last 90 days, an open or click in the last 30 days, no purchase in the last
 * 7 days — evaluated by the columnar engine, by a hand-tuned columnar pass (the baseline),
 * by a straightforward JavaScript pass over objects and by PostgreSQL (compiled SQL).
 *
 * Env: HERALD_BENCH_PROFILES (default 1000000), HERALD_BENCH_PG=0 skips PostgreSQL,
 * HERALD_BENCH_10M=1 adds a 10,000,000-profile run (engine and baseline only). `loadMs` is
 * generating the rows and building the columnar store; `csvLoad` times the streaming CSV
 * loader on the first 100,000 profiles and their events (wall and CPU time: rows per CPU
 * second is what one core achieves on a shared machine).
 * Run: node --max-old-space-size=8192 --expose-gc --import tsx bench/run.ts segments
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ColumnarStoreBuilder } from '../src/segments/columnar-builder.js';
import { ColumnarEngine } from '../src/segments/columnar-engine.js';
import type { ColumnarStore } from '../src/segments/columnar-store.js';
import {
  createSegmentTables,
  insertEvents,
  insertProfiles,
  querySegmentIds,
} from '../src/segments/postgres-segments.js';
import { loadEvents, loadProfiles } from '../src/segments/profile-loader.js';
import type { Profile, ProfileEvent } from '../src/segments/profile-model.js';
import { compileRuleSql } from '../src/segments/sql-compiler.js';
import type { AudienceRule } from '../src/spec/audience-schema.js';
import { generateAudience } from './generate-audience.js';

const NOW = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;
const FIVE = ['US', 'GB', 'DE', 'FR', 'CA'];

/** The typical segment as a rule tree. */
export const TYPICAL_SEGMENT: AudienceRule = {
  type: 'and',
  rules: [
    { type: 'attribute', field: 'age', op: 'between', value: [25, 44] },
    { type: 'attribute', field: 'country', op: 'in', value: FIVE },
    { type: 'attribute', field: 'consent_email', op: 'eq', value: true },
    {
      type: 'behavior',
      event: 'purchase',
      aggregate: 'count',
      op: 'gte',
      value: 2,
      window: 'P90D',
      where: [],
    },
    {
      type: 'behavior',
      event: 'purchase',
      aggregate: 'sum',
      op: 'gt',
      value: 100,
      window: 'P90D',
      where: [],
    },
    {
      type: 'or',
      rules: [
        {
          type: 'behavior',
          event: 'open',
          aggregate: 'count',
          op: 'gte',
          value: 1,
          window: 'P30D',
          where: [],
        },
        {
          type: 'behavior',
          event: 'click',
          aggregate: 'count',
          op: 'gte',
          value: 1,
          window: 'P30D',
          where: [],
        },
      ],
    },
    {
      type: 'not',
      rule: {
        type: 'behavior',
        event: 'purchase',
        aggregate: 'count',
        op: 'gte',
        value: 1,
        window: 'P7D',
        where: [],
      },
    },
  ],
};

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
const mb = (bytes: number): number => Math.round(bytes / 1048576);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 100) / 100;
}

function time<T>(runs: number, fn: () => T): { ms: number; result: T } {
  let result = fn();
  fn();
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const start = process.hrtime.bigint();
    result = fn();
    times.push(ms(start));
  }
  return { ms: median(times), result };
}

/** The baseline: one hand-written pass over the columns, events scanned once per candidate. */
export function handTuned(store: ColumnarStore, now: number): Uint32Array {
  const { age, consent, offsets, eventType, eventAt, eventValue } = store;
  const country = store.strings.country.codes;
  const lut = new Uint8Array(store.strings.country.dict.length + 1);
  store.strings.country.dict.forEach((c, code) => (lut[code + 1] = FIVE.includes(c) ? 1 : 0));
  const purchase = store.eventTypes.indexOf('purchase');
  const open = store.eventTypes.indexOf('open');
  const click = store.eventTypes.indexOf('click');
  const d90 = now - 90 * DAY;
  const d30 = now - 30 * DAY;
  const d7 = now - 7 * DAY;
  const out = new Uint32Array(store.size);
  let m = 0;
  for (let i = 0; i < store.size; i++) {
    const a = age[i]!;
    if (a < 25 || a > 44 || lut[country[i]! + 1] === 0 || (consent[i]! & 1) === 0) continue;
    let purchases = 0;
    let total = 0;
    let engaged = false;
    let recent = false;
    const end = offsets[i + 1]!;
    for (let k = offsets[i]!; k < end; k++) {
      const at = eventAt[k]!;
      if (at > now) continue;
      const t = eventType[k];
      if (t === purchase) {
        if (at >= d7) {
          recent = true;
          break;
        }
        if (at >= d90) {
          purchases++;
          const v = eventValue[k]!;
          if (v === v) total += v;
        }
      } else if ((t === open || t === click) && at >= d30) engaged = true;
    }
    if (!recent && engaged && purchases >= 2 && total > 100) out[m++] = i;
  }
  return out.subarray(0, m);
}

/** The straightforward implementation: plain objects, array methods. */
function naive(
  profiles: readonly Profile[],
  byProfile: Map<string, ProfileEvent[]>,
  now: number,
): string[] {
  return profiles
    .filter((p) => {
      if (p.age < 25 || p.age > 44 || !FIVE.includes(p.country) || !p.consent.email) return false;
      const events = (byProfile.get(p.id) ?? []).filter((e) => e.at <= now);
      const purchases = events.filter((e) => e.type === 'purchase' && e.at >= now - 90 * DAY);
      const total = purchases.reduce((sum, e) => sum + (e.value ?? 0), 0);
      const engaged = events.some(
        (e) => (e.type === 'open' || e.type === 'click') && e.at >= now - 30 * DAY,
      );
      const recent = events.some((e) => e.type === 'purchase' && e.at >= now - 7 * DAY);
      return purchases.length >= 2 && total > 100 && engaged && !recent;
    })
    .map((p) => p.id);
}

function load(
  profiles: number,
  perProfile: number,
  keep?: { profiles: Profile[]; events: ProfileEvent[] },
) {
  const builder = new ColumnarStoreBuilder();
  const generated = generateAudience(
    { profiles, eventsPerProfile: perProfile, now: NOW },
    (p) => {
      builder.addProfile(p);
      keep?.profiles.push(p);
    },
    (e) => {
      builder.addEvent(e);
      keep?.events.push(e);
    },
  );
  return { store: builder.build(), generated };
}

function buildStore(
  profiles: number,
  perProfile: number,
  keep?: { profiles: Profile[]; events: ProfileEvent[] },
) {
  gc();
  const before = process.memoryUsage();
  const start = process.hrtime.bigint();
  const { store, generated } = load(profiles, perProfile, keep);
  const loadMs = Math.round(ms(start));
  gc();
  const after = process.memoryUsage();
  return {
    store,
    generated,
    loadMs,
    typedArraysMb: mb(store.typedBytes),
    arrayBuffersMb: mb(after.arrayBuffers - before.arrayBuffers),
    heapMb: mb(after.heapUsed - before.heapUsed),
  };
}

/** Times the engine and the baseline alternately, so changing machine load hits both alike. */
function evaluateBoth(store: ColumnarStore) {
  const engine = new ColumnarEngine(store);
  const runBaseline = () => handTuned(store, NOW);
  const runEngine = () => engine.evaluate(TYPICAL_SEGMENT, { now: NOW });
  runBaseline();
  runEngine();
  const baselineTimes: number[] = [];
  const engineTimes: number[] = [];
  let expected = runBaseline();
  let actual = runEngine();
  for (let k = 0; k < 15; k++) {
    let start = process.hrtime.bigint();
    expected = runBaseline();
    baselineTimes.push(ms(start));
    start = process.hrtime.bigint();
    actual = runEngine();
    engineTimes.push(ms(start));
  }
  const same = expected.length === actual.length && expected.every((r, k) => r === actual[k]);
  return {
    engine,
    baseline: { ms: median(baselineTimes), result: expected },
    evaluated: { ms: median(engineTimes), result: actual },
    same,
  };
}

async function postgres(profiles: readonly Profile[], events: readonly ProfileEvent[]) {
  const client = new pg.Client(
    process.env.HERALD_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  );
  await client.connect();
  const schema = `bench_segments_${process.pid}`;
  try {
    const start = process.hrtime.bigint();
    await createSegmentTables(client, schema);
    await insertProfiles(client, schema, profiles);
    await insertEvents(client, schema, events);
    await client.query(`ANALYZE "${schema}".profiles`);
    await client.query(`ANALYZE "${schema}".events`);
    const loadMs = Math.round(ms(start));
    const query = compileRuleSql(TYPICAL_SEGMENT, { now: NOW, schema });
    await querySegmentIds(client, query);
    const times: number[] = [];
    let ids: string[] = [];
    for (let k = 0; k < 3; k++) {
      const t = process.hrtime.bigint();
      ids = await querySegmentIds(client, query);
      times.push(ms(t));
    }
    return { loadMs, queryMs: median(times), ids };
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}

/** Runs the benchmark and returns its figures (see the module comment for the env flags). */
/** Writes the first `count` profiles and their events as CSV and times the streaming loader. */
async function csvLoad(
  profiles: readonly Profile[],
  events: readonly ProfileEvent[],
  count: number,
) {
  const dir = await mkdtemp(join(tmpdir(), 'herald-segments-'));
  try {
    const ids = new Set(profiles.slice(0, count).map((p) => p.id));
    const profileCsv = [
      'id,email,phone,zone,age,country,region,language,loyalty_tier,consent_email,consent_sms,consent_push',
    ];
    for (const p of profiles.slice(0, count)) {
      profileCsv.push(
        [
          p.id,
          p.email ?? '',
          p.phone ?? '',
          p.zone ?? '',
          p.age,
          p.country,
          p.region,
          p.language,
          p.loyalty_tier,
          p.consent.email,
          p.consent.sms,
          p.consent.push,
        ].join(','),
      );
    }
    const eventCsv = ['profile_id,type,at,value'];
    for (const e of events)
      if (ids.has(e.profileId)) eventCsv.push(`${e.profileId},${e.type},${e.at},${e.value ?? ''}`);
    await writeFile(join(dir, 'profiles.csv'), profileCsv.join('\n'));
    await writeFile(join(dir, 'events.csv'), eventCsv.join('\n'));
    const builder = new ColumnarStoreBuilder();
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const p = await loadProfiles(createReadStream(join(dir, 'profiles.csv')), builder, {
      format: 'csv',
    });
    const e = await loadEvents(createReadStream(join(dir, 'events.csv')), builder, {
      format: 'csv',
    });
    builder.build();
    const elapsed = ms(start);
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const rows = p.loaded + e.loaded;
    return {
      cpuMs: Math.round(cpuMs),
      // What one core achieves, whatever else the machine is running.
      rowsPerCpuSecond: Math.round(rows / (cpuMs / 1000)),
      profiles: p.loaded,
      events: e.loaded,
      rejected: p.rejected + e.rejected,
      ms: Math.round(elapsed),
      rowsPerSecond: Math.round(rows / (elapsed / 1000)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export default async function bench(): Promise<Record<string, unknown>> {
  const size = Number(process.env.HERALD_BENCH_PROFILES ?? 1_000_000);
  const kept = { profiles: [] as Profile[], events: [] as ProfileEvent[] };
  const built = buildStore(size, 10, kept);
  const { store } = built;
  const { baseline, evaluated, same } = evaluateBoth(store);
  const engineIds = Array.from(evaluated.result, (r) => store.id(r));

  const byProfile = new Map<string, ProfileEvent[]>();
  for (const e of kept.events) {
    const list = byProfile.get(e.profileId);
    if (list === undefined) byProfile.set(e.profileId, [e]);
    else list.push(e);
  }
  const objects = time(3, () => naive(kept.profiles, byProfile, NOW));
  const naiveSame =
    objects.result.length === engineIds.length &&
    objects.result.every((id, k) => id === engineIds[k]);

  const csv = await csvLoad(kept.profiles, kept.events, Math.min(size, 100_000));

  let sql: Record<string, unknown> = { skipped: 'HERALD_BENCH_PG=0' };
  if (process.env.HERALD_BENCH_PG !== '0') {
    const pgResult = await postgres(kept.profiles, kept.events);
    sql = {
      loadMs: pgResult.loadMs,
      queryMs: pgResult.queryMs,
      members: pgResult.ids.length,
      sameMembers: pgResult.ids.join() === [...engineIds].sort().join(),
      ratioToEngine: Math.round((pgResult.queryMs / evaluated.ms) * 10) / 10,
    };
  }
  byProfile.clear();
  kept.profiles.length = 0;
  kept.events.length = 0;

  const result: Record<string, unknown> = {
    profiles: built.generated.profiles,
    events: built.generated.events,
    segment:
      'age 25-44, 5 countries, email consent, >=2 purchases totalling >100 in 90d, open or click in 30d, no purchase in 7d',
    members: evaluated.result.length,
    loadMs: built.loadMs,
    csvLoad: csv,
    memory: {
      typedArraysMb: built.typedArraysMb,
      arrayBuffersDeltaMb: built.arrayBuffersMb,
      heapDeltaMb: built.heapMb,
    },
    engineMs: evaluated.ms,
    handTunedMs: baseline.ms,
    engineToHandTuned: Math.round((evaluated.ms / baseline.ms) * 100) / 100,
    engineMatchesHandTuned: same,
    objectsMs: objects.ms,
    objectsToEngine: Math.round((objects.ms / evaluated.ms) * 10) / 10,
    objectsMatchEngine: naiveSame,
    postgres: sql,
  };

  if (process.env.HERALD_BENCH_10M === '1') {
    const big = buildStore(10_000_000, 1);
    const run = evaluateBoth(big.store);
    result.tenMillion = {
      profiles: big.generated.profiles,
      events: big.generated.events,
      loadMs: big.loadMs,
      typedArraysMb: big.typedArraysMb,
      heapDeltaMb: big.heapMb,
      engineMs: run.evaluated.ms,
      handTunedMs: run.baseline.ms,
      members: run.evaluated.result.length,
      engineMatchesHandTuned: run.same,
    };
  }
  result.peakRssMb = mb(process.resourceUsage().maxRSS * 1024);
  return result;
}
