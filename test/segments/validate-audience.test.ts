import { describe, expect, it } from 'vitest';
import type { SegmentRegistry } from '../../src/segments/segment-registry.js';
import {
  validateAudience,
  validateAudienceRule,
  validateSegmentRegistry,
} from '../../src/segments/validate-audience.js';

const codes = (result: {
  success: boolean;
  error?: readonly { code: string; path: readonly unknown[] }[];
}) => (result.success ? [] : result.error!.map((i) => [i.code, i.path.join('.')]));

describe('validateAudienceRule', () => {
  it('accepts a well-formed rule', () => {
    const rule = {
      type: 'and',
      rules: [
        { type: 'attribute', field: 'age', op: 'between', value: [25, 44] },
        { type: 'attribute', field: 'traits.vip', op: 'exists' },
        { type: 'behavior', event: 'purchase', aggregate: 'last', op: 'lt', value: 'P7D' },
        { type: 'sequence', event: 'cart_add', within: 'PT24H', notFollowedBy: 'purchase' },
        { type: 'reachable', channel: 'email' },
        { type: 'not', rule: { type: 'segment', name: 'vip' } },
      ],
    };
    expect(validateAudienceRule(rule, { segments: { vip: { members: [] } } }).success).toBe(true);
  });

  it('names the path of a malformed node', () => {
    expect(
      codes(validateAudienceRule({ type: 'and', rules: [{ type: 'attribute', op: 'eq' }] })),
    ).toEqual([['invalid_rule', 'rules.0.field']]);
  });

  it('suggests the closest field when a field is unknown', () => {
    const result = validateAudienceRule({
      type: 'attribute',
      field: 'contry',
      op: 'eq',
      value: 'US',
    });
    expect(result).toMatchObject({
      success: false,
      error: [
        { code: 'unknown_field', path: ['field'], suggestions: ['country', 'traits.contry'] },
      ],
    });
  });

  it('reports values of the wrong type, shape or presence', () => {
    const rule = {
      type: 'or',
      rules: [
        { type: 'attribute', field: 'age', op: 'gt', value: 'forty' },
        { type: 'attribute', field: 'age', op: 'eq', value: [1, 2] },
        { type: 'attribute', field: 'age', op: 'between', value: [1] },
        { type: 'attribute', field: 'country', op: 'eq' },
        { type: 'attribute', field: 'country', op: 'exists', value: 'US' },
        { type: 'attribute', field: 'consent_email', op: 'gt', value: true },
        { type: 'behavior', event: 'open', op: 'gte', value: '2' },
        { type: 'behavior', event: 'open', aggregate: 'last', op: 'lt', value: 7 },
        {
          type: 'behavior',
          event: 'open',
          op: 'gte',
          value: 1,
          where: [{ property: 'x', op: 'in' }],
        },
      ],
    };
    expect(codes(validateAudienceRule(rule))).toEqual([
      ['wrong_type', 'rules.0.value'],
      ['wrong_type', 'rules.1.value'],
      ['invalid_range', 'rules.2.value'],
      ['missing_value', 'rules.3.value'],
      ['unexpected_value', 'rules.4.value'],
      ['wrong_type', 'rules.5.op'],
      ['wrong_type', 'rules.6.value'],
      ['wrong_type', 'rules.7.value'],
      ['missing_value', 'rules.8.where.0.value'],
    ]);
  });

  it('reports impossible ranges', () => {
    const rule = {
      type: 'or',
      rules: [
        { type: 'attribute', field: 'age', op: 'between', value: [44, 25] },
        { type: 'attribute', field: 'age', op: 'lt', value: -1 },
        { type: 'behavior', event: 'open', op: 'lt', value: 0 },
        { type: 'behavior', event: 'open', op: 'lte', value: -1 },
        {
          type: 'behavior',
          event: 'open',
          aggregate: 'first',
          op: 'between',
          value: ['P7D', 'P1D'],
        },
        { type: 'attribute', field: 'age', op: 'gt', value: -1 },
      ],
    };
    expect(codes(validateAudienceRule(rule))).toEqual([
      ['impossible_range', 'rules.0.value'],
      ['impossible_range', 'rules.1.value'],
      ['impossible_range', 'rules.2.value'],
      ['impossible_range', 'rules.3.value'],
      ['impossible_range', 'rules.4.value'],
    ]);
  });

  it('reports an and that is empty by construction', () => {
    const and = (...rules: unknown[]) => validateAudienceRule({ type: 'and', rules });
    const age = (op: string, value: unknown) => ({ type: 'attribute', field: 'age', op, value });
    const result = and(age('gt', 40), age('lt', 30));
    expect(result).toMatchObject({ success: false, error: [{ code: 'contradiction', path: [] }] });
    expect(result.success ? '' : result.error[0]!.message).toContain('rules.0, rules.1');
    expect(codes(and(age('gte', 30), age('lte', 30), age('eq', 30)))).toEqual([]);
    expect(codes(and(age('between', [1, 5]), age('in', [7, 8])))).toEqual([['contradiction', '']]);
    const country = (op: string, value: unknown) => ({
      type: 'attribute',
      field: 'country',
      op,
      value,
    });
    expect(codes(and(country('eq', 'US'), country('in', ['CA', 'DE'])))).toEqual([
      ['contradiction', ''],
    ]);
    expect(
      codes(and(country('in', ['US', 'CA']), country('eq', 'CA'), country('neq', 'DE'))),
    ).toEqual([]);
    const count = (op: string, value: unknown) => ({
      type: 'behavior',
      event: 'open',
      op,
      value,
      window: 'P7D',
    });
    expect(codes(and(count('gt', 3), count('lte', 3)))).toEqual([['contradiction', '']]);
    expect(codes(and(count('gt', 3), { ...count('lte', 3), window: 'P30D' }))).toEqual([]);
    expect(codes(and(age('gt', 'x'), age('lt', 'y'), age('between', ['a', 'b'])))).toContainEqual([
      'wrong_type',
      'rules.0.value',
    ]);
    expect(
      codes(
        and(
          { type: 'behavior', event: 'open', aggregate: 'last', op: 'lt', value: 'P1D' },
          { type: 'reachable', channel: 'sms' },
        ),
      ),
    ).toEqual([]);
  });

  it('reports an unknown segment with the closest names', () => {
    const result = validateAudienceRule(
      { type: 'segment', name: 'vps' },
      { segments: { vip: { members: [] } } },
    );
    expect(result).toMatchObject({
      success: false,
      error: [{ code: 'unknown_segment', path: ['name'], suggestions: ['vip'] }],
    });
  });
});

describe('validateAudience', () => {
  const segments: SegmentRegistry = {
    vip: { rules: { type: 'segment', name: 'loyal', op: 'in' } },
    loyal: { rules: { type: 'not', rule: { type: 'segment', name: 'vip', op: 'in' } } },
    churned: { members: ['p1'] },
  };

  it('reports unknown and cyclic segments an audience names', () => {
    const result = validateAudience(
      {
        segment: 'vip',
        exclude: ['churnd'],
        rules: { type: 'attribute', field: 'age', op: 'gt', value: 'x' },
      },
      { segments },
    );
    expect(codes(result)).toEqual([
      ['wrong_type', 'rules.value'],
      ['unknown_segment', 'exclude.0'],
      ['segment_cycle', 'segments.vip'],
    ]);
    expect(result.success ? '' : result.error[2]!.message).toContain('vip → loyal → vip');
  });

  it('accepts an audience without a registry, and rejects one without segment or rules', () => {
    expect(validateAudience({ rules: { type: 'reachable', channel: 'push' } }).success).toBe(true);
    expect(validateAudience({ segment: 'churned' }, { segments }).success).toBe(true);
    expect(codes(validateAudience({ exclude: [] }))).toEqual([['invalid_rule', '']]);
  });
});

describe('validateSegmentRegistry', () => {
  it('reports bad rules inside segments and cycles between them', () => {
    const result = validateSegmentRegistry({
      a: {
        rules: {
          type: 'and',
          rules: [
            { type: 'segment', name: 'b', op: 'in' },
            { type: 'attribute', field: 'agee', op: 'eq', value: 1 },
          ],
        },
      },
      b: {
        rules: {
          type: 'or',
          rules: [
            { type: 'segment', name: 'a', op: 'in' },
            { type: 'sequence', event: 'x', within: 'P1D', notFollowedBy: 'y' },
          ],
        },
      },
      c: { members: [] },
    });
    expect(codes(result)).toEqual([
      ['unknown_field', 'segments.a.rules.rules.1.field'],
      ['segment_cycle', 'segments.a'],
    ]);
    expect(validateSegmentRegistry({ c: { members: [] } }).success).toBe(true);
  });
});
