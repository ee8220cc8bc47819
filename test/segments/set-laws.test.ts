import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildColumnarStore } from '../../src/segments/columnar-builder.js';
import { ColumnarEngine } from '../../src/segments/columnar-engine.js';
import { evaluateReference } from '../../src/segments/reference-evaluator.js';
import type { SegmentRegistry } from '../../src/segments/segment-registry.js';
import { validateAudienceRule } from '../../src/segments/validate-audience.js';
import { dataArb, NOW, ruleArb, SEGMENTS } from './segment-arbitraries.js';

const segments = SEGMENTS as unknown as SegmentRegistry;

describe('segment set laws', () => {
  it('and is intersection, or is union and not is complement when rules are random', () => {
    fc.assert(
      fc.property(dataArb, ruleArb, ruleArb, (data, a, b) => {
        const engine = new ColumnarEngine(buildColumnarStore(data.profiles, data.events));
        const ids = (rule: Parameters<typeof engine.evaluateIds>[0]) =>
          new Set(engine.evaluateIds(rule, { now: NOW, segments }));
        const all = new Set(data.profiles.map((p) => p.id));
        const sa = ids(a);
        const sb = ids(b);
        const and = ids({ type: 'and', rules: [a, b] });
        const or = ids({ type: 'or', rules: [a, b] });
        const notA = ids({ type: 'not', rule: a });
        expect([...and].sort()).toEqual([...sa].filter((id) => sb.has(id)).sort());
        expect([...or].sort()).toEqual([...new Set([...sa, ...sb])].sort());
        expect([...notA].sort()).toEqual([...all].filter((id) => !sa.has(id)).sort());
        expect(ids({ type: 'not', rule: { type: 'and', rules: [a, b] } })).toEqual(
          ids({
            type: 'or',
            rules: [
              { type: 'not', rule: a },
              { type: 'not', rule: b },
            ],
          }),
        );
        expect(ids({ type: 'and', rules: [a, b] })).toEqual(ids({ type: 'and', rules: [b, a] }));
        expect(ids({ type: 'not', rule: { type: 'not', rule: a } })).toEqual(sa);
      }),
      { numRuns: 200 },
    );
  });
});

describe('contradiction detection', () => {
  it('flags only ands that no profile can satisfy', () => {
    const ops = [
      'eq',
      'neq',
      'gt',
      'gte',
      'lt',
      'lte',
      'between',
      'in',
      'not_in',
      'exists',
      'not_exists',
    ] as const;
    const leaf = fc.oneof(
      fc.record({
        type: fc.constant('attribute' as const),
        field: fc.constant('age'),
        op: fc.constantFrom(...ops),
        value: fc.oneof(
          fc.integer({ min: 15, max: 60 }),
          fc.array(fc.integer({ min: 15, max: 60 }), { minLength: 2, maxLength: 2 }),
        ),
      }),
      fc.record({
        type: fc.constant('attribute' as const),
        field: fc.constant('country'),
        op: fc.constantFrom(...ops),
        value: fc.oneof(
          fc.constantFrom('US', 'CA', 'DE'),
          fc.array(fc.constantFrom('US', 'CA', 'DE'), { maxLength: 3 }),
        ),
      }),
    );
    let flagged = 0;
    fc.assert(
      fc.property(dataArb, fc.array(leaf, { minLength: 2, maxLength: 3 }), (data, rules) => {
        const rule = { type: 'and' as const, rules };
        const result = validateAudienceRule(rule);
        if (!result.success && result.error.some((i) => i.code === 'contradiction')) {
          flagged++;
          expect(evaluateReference(rule, data, { now: NOW, segments })).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
    expect(flagged).toBeGreaterThan(10);
  });
});
