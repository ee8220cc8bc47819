import { describe, expect, it } from 'vitest';
import { buildColumnarStore } from '../../src/segments/columnar-builder.js';
import { ColumnarEngine } from '../../src/segments/columnar-engine.js';
import { explainProfile, previewSegment } from '../../src/segments/explain-segment.js';
import type { SegmentRegistry } from '../../src/segments/segment-registry.js';
import type { AudienceRule } from '../../src/spec/audience-schema.js';
import { EVENTS, NOW, PROFILES } from './fixtures.js';

const engine = new ColumnarEngine(buildColumnarStore(PROFILES, EVENTS));
const segments: SegmentRegistry = {
  buyers: {
    rules: {
      type: 'behavior',
      event: 'purchase',
      aggregate: 'count',
      op: 'gte',
      value: 1,
      where: [],
    },
  },
};
const rule: AudienceRule = {
  type: 'and',
  rules: [
    { type: 'attribute', field: 'age', op: 'lt', value: 50 },
    {
      type: 'or',
      rules: [
        { type: 'reachable', channel: 'email' },
        { type: 'not', rule: { type: 'segment', name: 'buyers', op: 'in' } },
      ],
    },
  ],
};

describe('previewSegment', () => {
  it('sizes the segment and what each node matches and removes', () => {
    const preview = previewSegment(engine, rule, { now: NOW, segments });
    expect(preview.size).toBe(2);
    expect(preview.total).toBe(3);
    expect(preview.nodes.map((n) => [n.path.join('.'), n.type, n.matched, n.removes])).toEqual([
      ['', 'and', 2, undefined],
      ['rules.0', 'attribute', 2, 0],
      ['rules.1', 'or', 2, 0],
      ['rules.1.rules.0', 'reachable', 2, undefined],
      ['rules.1.rules.1', 'not', 1, undefined],
      ['rules.1.rules.1.rule', 'segment', 2, undefined],
    ]);
  });
});

describe('explainProfile', () => {
  it('gives each node its result and compared value for one profile', () => {
    const trace = explainProfile(engine, rule, 'bob', { now: NOW, segments })!;
    expect(trace.matched).toBe(false);
    expect(trace.children![0]).toMatchObject({ path: ['rules', 0], matched: false, actual: 52 });
    expect(trace.children![1]!.children![1]!.children![0]).toMatchObject({
      type: 'segment',
      matched: true,
      actual: true,
    });
    expect(explainProfile(engine, rule, 'cy', { now: NOW, segments })!.matched).toBe(true);
  });

  it('returns undefined for an unknown profile', () => {
    expect(explainProfile(engine, rule, 'nobody', { now: NOW })).toBeUndefined();
  });
});
