import { describe, expect, it } from 'vitest';
import { buildColumnarStore, ColumnarStoreBuilder } from '../../src/segments/columnar-builder.js';
import { ColumnarEngine } from '../../src/segments/columnar-engine.js';
import { ColumnarStore, readValue } from '../../src/segments/columnar-store.js';
import { durationMs, durationValue } from '../../src/segments/duration-ms.js';
import { compareValue } from '../../src/segments/compare-value.js';
import { readField } from '../../src/segments/profile-model.js';
import type { AudienceRule } from '../../src/spec/audience-schema.js';
import { EVENTS, NOW, PROFILES } from './fixtures.js';

describe('ColumnarStoreBuilder', () => {
  it('round-trips profiles and events when built column-wise', () => {
    const store = buildColumnarStore(PROFILES, EVENTS);
    expect(store.size).toBe(3);
    expect(store.eventCount).toBe(6);
    expect(store.profile(0)).toEqual({ ...PROFILES[0], traits: PROFILES[0]!.traits });
    expect(store.profile(1)).toEqual({ ...PROFILES[1], traits: {} });
    expect(store.eventsOf(0).map((e) => [e.type, e.value, e.properties])).toEqual([
      ['purchase', 80, { channel: 'web', qty: 2 }],
      ['purchase', 40, {}],
      ['open', undefined, { list: [1] }],
    ]);
    expect(store.rowOf('cy')).toBe(2);
    expect(store.rowOf('nobody')).toBeUndefined();
    expect(store.typedBytes).toBeGreaterThan(0);
    expect(readValue(undefined, 0)).toBeUndefined();
  });

  it('drops repeated profiles and events of unknown profiles and counts them', () => {
    const builder = new ColumnarStoreBuilder();
    expect(builder.addProfile(PROFILES[0]!)).toBe(true);
    expect(builder.addProfile(PROFILES[0]!)).toBe(false);
    expect(builder.addEvent(EVENTS[6]!)).toBe(false);
    expect(builder.stats).toEqual({
      profiles: 1,
      events: 0,
      orphanEvents: 1,
      duplicateProfiles: 1,
    });
  });

  it('finds nobody when an age range has text bounds', () => {
    const engine = new ColumnarEngine(buildColumnarStore(PROFILES, EVENTS));
    expect(
      engine.evaluateIds(
        { type: 'attribute', field: 'age', op: 'between', value: ['a', 'z'] },
        { now: 0 },
      ),
    ).toEqual([]);
  });

  it('sums event values within a window', () => {
    const engine = new ColumnarEngine(buildColumnarStore(PROFILES, EVENTS));
    const rule: AudienceRule = {
      type: 'behavior',
      event: 'purchase',
      aggregate: 'sum',
      op: 'gt',
      value: 100,
      window: 'P30D',
      where: [],
    };
    expect(engine.evaluateIds(rule, { now: NOW })).toEqual(['ada']);
  });

  it('grows past its initial capacity', () => {
    const builder = new ColumnarStoreBuilder();
    for (let k = 0; k < 1500; k++) builder.addProfile({ ...PROFILES[2]!, id: `p${k}` });
    for (let k = 0; k < 1500; k++)
      builder.addEvent({ profileId: `p${k % 7}`, type: 'open', at: k });
    const store = builder.build();
    expect(store.size).toBe(1500);
    expect(store.offsets[7]).toBe(1500);
  });

  it('stores a column of mostly unique values without a dictionary and still finds them', () => {
    const builder = new ColumnarStoreBuilder();
    const rows = 6000;
    for (let k = 0; k < rows; k++) {
      builder.addProfile({ ...PROFILES[0]!, id: `p${k}`, email: `p${k % (rows - 1)}@x.io` });
    }
    const store = builder.build();
    // Emails are appended, not looked up: the repeated one is stored twice; countries are coded.
    expect(store.strings.email.dict).toHaveLength(rows);
    expect(store.strings.country.dict).toEqual(['GB']);
    expect(store.profile(rows - 1).email).toBe('p0@x.io');
    const rule: AudienceRule = { type: 'attribute', field: 'email', op: 'eq', value: 'p0@x.io' };
    expect(new ColumnarEngine(store).evaluateIds(rule, { now: NOW })).toEqual([
      'p0',
      `p${rows - 1}`,
    ]);
  });

  it('indexes rows by id when built from parts without an index', () => {
    const built = buildColumnarStore(PROFILES, []);
    const {
      strings,
      age,
      consent,
      traits,
      offsets,
      eventType,
      eventTypes,
      eventAt,
      eventValue,
      eventProperties,
    } = built;
    const copy = new ColumnarStore({
      strings,
      age,
      consent,
      traits,
      offsets,
      eventType,
      eventTypes,
      eventAt,
      eventValue,
      eventProperties,
    });
    expect(copy.rowOf('bob')).toBe(1);
  });
});

describe('profile model helpers', () => {
  it('reads fixed fields, consent and traits, and nothing else', () => {
    expect(readField(PROFILES[0]!, 'consent_sms')).toBe(false);
    expect(readField(PROFILES[1]!, 'consent_push')).toBe(true);
    expect(readField(PROFILES[0]!, 'traits.vip')).toBe(true);
    expect(readField(PROFILES[1]!, 'traits.vip')).toBeUndefined();
    expect(readField(PROFILES[0]!, 'nope')).toBeUndefined();
  });

  it('converts ISO durations to milliseconds', () => {
    expect(durationMs('P1Y2M1W1DT1H1M1S')).toBe((365 + 60 + 7 + 1) * 86_400_000 + 3_661_000);
    expect(durationMs('7 days')).toBeUndefined();
    expect(durationMs(7)).toBeUndefined();
    expect(durationValue(undefined)).toBeUndefined();
    expect(durationValue(['P1D', 'PT1H'])).toEqual([86_400_000, 3_600_000]);
    expect(durationValue('P1D')).toBe(86_400_000);
    expect(durationValue(['P1D', 'x'])).toBeNull();
  });

  it('compares values by the documented rules', () => {
    expect(compareValue(5, 'neq', 'a')).toBe(true);
    expect(compareValue(5, 'neq', [5])).toBe(false);
    expect(compareValue({}, 'eq', 5)).toBe(false);
    expect(compareValue(true, 'gt', false)).toBe(false);
    expect(compareValue('b', 'between', ['a', 'c'])).toBe(true);
    expect(compareValue(5, 'in', 5)).toBe(true);
    expect(compareValue(5, 'in', undefined)).toBe(false);
    expect(compareValue(5, 'lte', 5)).toBe(true);
    expect(compareValue(5, 'lt', 5)).toBe(false);
    expect(compareValue(5, 'gte', 6)).toBe(false);
  });
});
