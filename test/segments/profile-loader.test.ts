import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildColumnarStore, ColumnarStoreBuilder } from '../../src/segments/columnar-builder.js';
import { loadEvents, loadProfiles } from '../../src/segments/profile-loader.js';
import type { Profile, ProfileEvent } from '../../src/segments/profile-model.js';

const PROFILES_CSV = [
  'id,email,phone,zone,age,country,region,language,loyalty_tier,consent_email,consent_sms,consent_push,traits.vip,traits.note',
  'a,a@x.io,,UTC,30,US,US-CA,en,gold,true,0,yes,true,hello',
  'b,,+1555,,41,DE,DE-BE,de,none,false,1,no,,',
  'c,,,,,US,US-CA,en,gold,true,true,true,,',
  'a,a@x.io,,UTC,30,US,US-CA,en,gold,true,0,yes,true,hello',
].join('\n');

const EVENTS_CSV = [
  'profile_id,type,at,value,properties.channel',
  'a,purchase,1700000000000,12.5,"""web"""',
  'b,open,2026-01-01T00:00:00Z,,',
  'a,open,soon,,',
  'zed,open,1,,',
].join('\n');

describe('loadProfiles and loadEvents', () => {
  it('streams CSV rows into the builder and reports bad rows with their line and field', async () => {
    const builder = new ColumnarStoreBuilder();
    const progress: number[] = [];
    const profiles = await loadProfiles(Readable.from([PROFILES_CSV]), builder, {
      format: 'csv',
      onProgress: (n) => progress.push(n),
      progressEvery: 2,
    });
    expect(profiles).toMatchObject({
      loaded: 2,
      rejected: 2,
      issues: [
        { code: 'invalid_row', path: ['line', 4, 'age'] },
        { code: 'rejected_row', path: ['line', 5] },
      ],
    });
    expect(progress).toEqual([2, 4, 4]);
    const events = await loadEvents(Readable.from([EVENTS_CSV]), builder, { format: 'csv' });
    expect(events).toMatchObject({
      loaded: 2,
      rejected: 2,
      issues: [{ path: ['line', 4, 'at'] }, { code: 'rejected_row', path: ['line', 5] }],
    });
    const store = builder.build();
    expect(store.profile(0)).toEqual({
      id: 'a',
      email: 'a@x.io',
      zone: 'UTC',
      age: 30,
      country: 'US',
      region: 'US-CA',
      language: 'en',
      loyalty_tier: 'gold',
      consent: { email: true, sms: false, push: true },
      traits: { vip: true, note: 'hello' },
    });
    expect(store.eventsOf(0)).toEqual([
      {
        profileId: 'a',
        type: 'purchase',
        at: 1700000000000,
        value: 12.5,
        properties: { channel: 'web' },
      },
    ]);
    expect(store.eventsOf(1)[0]!.at).toBe(Date.UTC(2026, 0, 1));
  });

  it('streams JSON lines and rejects lines that are not objects or lack fields', async () => {
    const builder = new ColumnarStoreBuilder();
    const lines = [
      JSON.stringify({
        id: 'a',
        email: 'a@x.io',
        age: 30,
        country: 'US',
        region: 'US-CA',
        language: 'en',
        loyalty_tier: 'gold',
        consent: { email: true },
        traits: { n: 1 },
      }),
      '',
      JSON.stringify({
        id: 'b',
        age: 30,
        country: 'US',
        region: 'US-CA',
        language: 'en',
        loyalty_tier: 'gold',
      }),
      JSON.stringify({
        id: 'c',
        phone: 5,
        age: 30,
        country: 'US',
        region: 'US-CA',
        language: 'en',
        loyalty_tier: 'gold',
      }),
      JSON.stringify({ id: '', age: 1 }),
      JSON.stringify({
        id: 'd',
        age: 'old',
        country: 'US',
        region: 'R',
        language: 'en',
        loyalty_tier: 'x',
      }),
      '[1]',
      '{oops',
    ].join('\n');
    const report = await loadProfiles(Readable.from([lines]), builder, { format: 'jsonl' });
    expect(report.loaded).toBe(2);
    expect(report.issues.map((i) => i.path)).toEqual([
      ['line', 4, 'phone'],
      ['line', 5, 'id'],
      ['line', 6, 'age'],
      ['line', 7],
      ['line', 8],
    ]);
    const events = [
      JSON.stringify({ profileId: 'a', type: 'open', at: 5, value: 3 }),
      JSON.stringify({ profileId: 'a', type: 'open', at: 5, value: 'x' }),
      JSON.stringify({ profileId: 'a', at: 5 }),
      JSON.stringify({ profileId: 'b', type: 'open', at: '7' }),
      JSON.stringify({ profileId: 'b', type: 'open', at: 'soon' }),
      JSON.stringify({ profileId: 'zed', type: 'open', at: 1 }),
    ].join('\n');
    const loaded = await loadEvents(Readable.from([events]), builder, { format: 'jsonl' });
    expect(loaded.issues.map((i) => i.path)).toEqual([
      ['line', 2, 'value'],
      ['line', 3, 'type'],
      ['line', 5, 'at'],
      ['line', 6],
    ]);
    const store = builder.build();
    expect(store.profile(1).consent).toEqual({ email: false, sms: false, push: false });
    expect(store.eventsOf(1)[0]!.at).toBe(7);
  });

  it('reports CSV rows that do not fit, by line: shape, quoting, empty and unreadable fields', async () => {
    const builder = new ColumnarStoreBuilder();
    const header =
      'id,email,phone,zone,age,country,region,language,loyalty_tier,consent_email,consent_sms,consent_push';
    const long = 'x'.repeat(80);
    const profiles = [
      header,
      `${long},,,,30,US,US-CA,en,gold,,,`,
      'b,,,,30,,US-CA,en,gold,y,n,n',
    ].join('\n');
    const loaded = await loadProfiles(Readable.from([profiles]), builder, { format: 'csv' });
    expect(loaded.issues.map((i) => [i.path, i.message, i.suggestions])).toEqual([
      [['line', 3, 'country'], '"country" must be a non-empty string', ['fix "country" on line 3']],
    ]);
    for (const [bad, message] of [
      ['c,,,,30,US', 'Invalid Record Length: line 2 has 6 fields, the header 12'],
      ['"d"x,,,,30,US,US-CA,en,gold,,,', 'Invalid Closing Quote: a quoted field on line 2 is'],
    ] as const) {
      const load = loadProfiles(Readable.from([`${header}\n${bad}`]), builder, { format: 'csv' });
      await expect(load).rejects.toMatchObject({ code: 'malformed_csv', lines: 2 });
      await expect(
        loadProfiles(Readable.from([`${header}\n${bad}`]), builder, { format: 'csv' }),
      ).rejects.toThrow(message);
    }
    const events = [
      'profile_id,type,at,value',
      `${long},open,1,`,
      `${long},open,2,`,
      `${long},click,3,1.5`,
      ',open,1,',
      `${long},,1,`,
      `${long},open,1,cheap`,
    ].join('\r\n');
    const report = await loadEvents(Readable.from([events]), builder, { format: 'csv' });
    expect(report.loaded).toBe(3);
    expect(report.issues.map((i) => i.path)).toEqual([
      ['line', 5, 'profile_id'],
      ['line', 6, 'type'],
      ['line', 7, 'value'],
    ]);
    await expect(
      loadEvents(Readable.from(['profile_id,type,at,value\np,open']), builder, { format: 'csv' }),
    ).rejects.toMatchObject({ code: 'malformed_csv', lines: 2 });
    expect(
      builder
        .build()
        .eventsOf(0)
        .map((e) => [e.type, e.at, e.value]),
    ).toEqual([
      ['open', 1, undefined],
      ['open', 2, undefined],
      ['click', 3, 1.5],
    ]);
  });

  it('loads the same store from CSV as from the objects written into it', async () => {
    const profiles: Profile[] = Array.from({ length: 300 }, (_, k) => ({
      id: `p${k}`,
      ...(k % 3 === 0 ? {} : { email: `p${k}@x.io` }),
      age: 18 + (k % 60),
      country: ['US', 'GB', 'DE'][k % 3]!,
      region: 'R-1',
      language: 'en',
      loyalty_tier: 'gold',
      consent: { email: k % 2 === 0, sms: k % 5 === 0, push: false },
      traits: {},
    }));
    const events: ProfileEvent[] = profiles.flatMap((p, k) =>
      Array.from({ length: k % 4 }, (_, j) => ({
        profileId: p.id,
        type: ['open', 'click', 'purchase'][j % 3]!,
        at: 1_700_000_000_000 + j,
        ...(j % 3 === 2 ? { value: j + 0.25 } : {}),
        properties: {},
      })),
    );
    const csv = (rows: string[]) => Readable.from(rows.map((r) => `${r}\n`));
    const builder = new ColumnarStoreBuilder();
    await loadProfiles(
      csv([
        'id,email,phone,zone,age,country,region,language,loyalty_tier,consent_email,consent_sms,consent_push',
        ...profiles.map((p) =>
          [p.id, p.email ?? '', '', '', p.age, p.country, p.region, p.language, p.loyalty_tier]
            .concat([p.consent.email, p.consent.sms, p.consent.push].map(String))
            .join(','),
        ),
      ]),
      builder,
      { format: 'csv' },
    );
    await loadEvents(
      csv([
        'profile_id,type,at,value',
        ...events.map((e) => `${e.profileId},${e.type},${e.at},${e.value ?? ''}`),
      ]),
      builder,
      { format: 'csv' },
    );
    const loaded = builder.build();
    const built = buildColumnarStore(profiles, events);
    expect(Array.from({ length: loaded.size }, (_, r) => loaded.profile(r))).toEqual(
      profiles.map((_, r) => built.profile(r)),
    );
    expect(Array.from({ length: loaded.size }, (_, r) => loaded.eventsOf(r))).toEqual(
      profiles.map((_, r) => built.eventsOf(r)),
    );
  });

  it('keeps only the first 100 issues', async () => {
    const builder = new ColumnarStoreBuilder();
    const report = await loadEvents(
      Readable.from([Array.from({ length: 150 }, () => '{}').join('\n')]),
      builder,
      { format: 'jsonl' },
    );
    expect(report).toMatchObject({ loaded: 0, rejected: 150 });
    expect(report.issues).toHaveLength(100);
  });

  it('keeps columns it does not know as traits of their own name, for merge fields', async () => {
    const builder = new ColumnarStoreBuilder();
    const csv = [
      'id,age,country,region,language,loyalty_tier,first_name,orders',
      'a,30,US,US-CA,en,gold,Ana,3',
      'b,41,DE,DE-BE,de,none,,',
    ].join('\n');
    expect(await loadProfiles(Readable.from([csv]), builder, { format: 'csv' })).toMatchObject({
      loaded: 2,
    });
    const store = builder.build();
    expect(store.profile(0).traits).toEqual({ first_name: 'Ana', orders: 3 });
    expect(store.profile(1).traits).toEqual({});
  });

  it('reads rows as a database returns them: typed values, NULLs and dates', async () => {
    const builder = new ColumnarStoreBuilder();
    const row = {
      id: 'a',
      email: null,
      phone: '+15550100',
      zone: null,
      age: 30,
      country: 'US',
      region: 'US-CA',
      language: 'en',
      loyalty_tier: 'gold',
      consent_email: true,
      consent_sms: false,
      consent_push: null,
      first_name: 'Ana',
      orders: 3,
      nickname: null,
    };
    const loaded = await loadProfiles(
      Readable.from([row, { ...row, id: 'b', age: null }, row]),
      builder,
      {
        format: 'rows',
      },
    );
    expect(loaded).toMatchObject({
      loaded: 1,
      rejected: 2,
      issues: [{ path: ['row', 2, 'age'] }, { code: 'rejected_row', path: ['row', 3] }],
    });
    const events = await loadEvents(
      Readable.from([
        {
          profile_id: 'a',
          type: 'purchase',
          at: new Date('2026-01-01T00:00:00Z'),
          value: 12,
          properties: null,
        },
        { profile_id: 'a', type: 'open', at: '2026-01-02T00:00:00Z', value: null },
      ]),
      builder,
      { format: 'rows' },
    );
    expect(events.loaded).toBe(2);
    const store = builder.build();
    expect(store.profile(0)).toMatchObject({
      id: 'a',
      phone: '+15550100',
      consent: { email: true, sms: false, push: false },
      traits: { first_name: 'Ana', orders: 3 },
    });
    expect(store.profile(0).email).toBeUndefined();
    expect(store.eventsOf(0).map((e) => [e.type, e.at, e.value])).toEqual([
      ['purchase', Date.parse('2026-01-01T00:00:00Z'), 12],
      ['open', Date.parse('2026-01-02T00:00:00Z'), undefined],
    ]);
  });
});
