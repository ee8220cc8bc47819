/**
 * fast-check arbitraries for segment tests: small value pools so predicates both hit and miss.
 */
import fc from 'fast-check';
import type { AudienceRule, CompareOp, RuleValue } from '../../src/spec/audience-schema.js';
import type { Profile, ProfileEvent } from '../../src/segments/profile-model.js';

export const NOW = Date.UTC(2026, 0, 31);
const DAY = 86_400_000;
const COUNTRIES = ['US', 'CA', 'DE', 'FR'];
const TYPES = ['purchase', 'open', 'click', 'cart_add'];
const TIERS = ['gold', 'silver', 'none'];

const scalar = fc.oneof(
  fc.integer({ min: 0, max: 5 }),
  fc.constantFrom('a', 'b', 'US', 'gold'),
  fc.boolean(),
);
const trait = fc.oneof(scalar, fc.constant(null), fc.constant([1, 2]));

export const profileArb = (id: string): fc.Arbitrary<Profile> =>
  fc
    .record({
      id: fc.constant(id),
      email: fc.option(fc.constantFrom('a@x.io', '', 'b@y.io'), { nil: undefined }),
      phone: fc.option(fc.constantFrom('+1555', ''), { nil: undefined }),
      zone: fc.option(fc.constant('UTC'), { nil: undefined }),
      age: fc.integer({ min: 15, max: 60 }),
      country: fc.constantFrom(...COUNTRIES),
      region: fc.constantFrom('US-CA', 'DE-BE'),
      language: fc.constantFrom('en', 'de'),
      loyalty_tier: fc.constantFrom(...TIERS),
      consent: fc.record({ email: fc.boolean(), sms: fc.boolean(), push: fc.boolean() }),
      traits: fc.dictionary(fc.constantFrom('vip', 'score', 'tag'), trait, { maxKeys: 3 }),
    })
    .map((p) => {
      const { email, phone, zone, ...rest } = p;
      return {
        ...rest,
        ...(email === undefined ? {} : { email }),
        ...(phone === undefined ? {} : { phone }),
        ...(zone === undefined ? {} : { zone }),
      };
    });

export const dataArb = fc.integer({ min: 1, max: 25 }).chain((n) => {
  const ids = Array.from({ length: n }, (_, k) => `p${String(k).padStart(3, '0')}`);
  const event = fc
    .record({
      profileId: fc.constantFrom(...ids),
      type: fc.constantFrom(...TYPES),
      at: fc
        .integer({ min: NOW - 100 * DAY, max: NOW + 2 * DAY })
        .map((t) => Math.floor(t / 3_600_000) * 3_600_000),
      value: fc.option(fc.integer({ min: 0, max: 80 }), { nil: undefined }),
      properties: fc.dictionary(fc.constantFrom('channel', 'qty'), scalar, { maxKeys: 2 }),
    })
    .map((e) => {
      const out: Record<string, unknown> = { ...e };
      if (out.value === undefined) delete out.value;
      return out as unknown as ProfileEvent;
    });
  return fc.record({
    profiles: fc.tuple(...ids.map((id) => profileArb(id))),
    events: fc.array(event, { maxLength: 80 }),
  });
});

const ops: CompareOp[] = [
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
];
const valueFor = (pool: fc.Arbitrary<RuleValue>) =>
  fc.oneof(
    pool,
    fc.tuple(pool, pool).map(([a, b]) => [a, b] as RuleValue[]),
    fc.array(pool, { maxLength: 3 }),
  );

const attribute: fc.Arbitrary<AudienceRule> = fc.oneof(
  fc.record({
    type: fc.constant('attribute' as const),
    field: fc.constant('age'),
    op: fc.constantFrom(...ops),
    value: valueFor(fc.integer({ min: 15, max: 60 })),
  }),
  fc.record({
    type: fc.constant('attribute' as const),
    field: fc.constantFrom('country', 'loyalty_tier', 'email', 'zone', 'id'),
    op: fc.constantFrom(...ops),
    value: valueFor(fc.constantFrom(...COUNTRIES, ...TIERS, 'a@x.io', 'p001', 1)),
  }),
  fc.record({
    type: fc.constant('attribute' as const),
    field: fc.constantFrom(
      'consent_email',
      'consent_sms',
      'traits.vip',
      'traits.score',
      'traits.tag',
      'nope',
    ),
    op: fc.constantFrom(...ops),
    value: valueFor(scalar),
  }),
);

const window = fc.constantFrom(undefined, 'P7D', 'P30D', 'PT24H', 'P90D');
const behavior: fc.Arbitrary<AudienceRule> = fc
  .record({
    event: fc.constantFrom(...TYPES, 'unknown'),
    aggregate: fc.constantFrom('count', 'sum', 'first', 'last'),
    property: fc.constantFrom(undefined, 'value', 'qty'),
    op: fc.constantFrom(...ops),
    count: valueFor(fc.integer({ min: 0, max: 150 })),
    age: valueFor(fc.constantFrom('P1D', 'P10D', 'P40D', 'bad')),
    window,
    where: fc.array(
      fc.record({
        property: fc.constantFrom('channel', 'qty', 'value'),
        op: fc.constantFrom(...ops),
        value: valueFor(scalar),
      }),
      { maxLength: 2 },
    ),
  })
  .map(({ count, age, window: w, property, ...r }) => {
    const timed = r.aggregate === 'first' || r.aggregate === 'last';
    const rule: Record<string, unknown> = { type: 'behavior', ...r, value: timed ? age : count };
    if (w !== undefined) rule.window = w;
    if (property !== undefined) rule.property = property;
    return rule as AudienceRule;
  });

const leaf: fc.Arbitrary<AudienceRule> = fc.oneof(
  attribute,
  behavior,
  fc.record({
    type: fc.constant('sequence' as const),
    event: fc.constantFrom(...TYPES),
    within: fc.constantFrom('PT24H', 'P7D', 'P30D'),
    notFollowedBy: fc.constantFrom(...TYPES),
  }),
  fc.record({
    type: fc.constant('reachable' as const),
    channel: fc.constantFrom('email', 'sms', 'push', 'social'),
  }),
  fc.record({
    type: fc.constant('segment' as const),
    name: fc.constantFrom('adults', 'frozen', 'missing'),
    op: fc.constantFrom('in', 'not_in'),
  }),
);

export const ruleArb: fc.Arbitrary<AudienceRule> = fc.letrec<{ rule: AudienceRule }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({
      type: fc.constant('and' as const),
      rules: fc.array(tie('rule'), { maxLength: 3 }),
    }),
    fc.record({ type: fc.constant('or' as const), rules: fc.array(tie('rule'), { maxLength: 3 }) }),
    fc.record({ type: fc.constant('not' as const), rule: tie('rule') }),
  ),
})).rule;

/** The named segments the random rules refer to. */
export const SEGMENTS = {
  adults: { rules: { type: 'attribute', field: 'age', op: 'gte', value: 30 } },
  frozen: { members: ['p001', 'p003', 'zzz'] },
} as const satisfies Record<string, unknown>;
