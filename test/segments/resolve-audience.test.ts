import { describe, expect, it } from 'vitest';
import { buildColumnarStore } from '../../src/segments/columnar-builder.js';
import { ColumnarEngine } from '../../src/segments/columnar-engine.js';
import { DynamicSegment, freezeSegment } from '../../src/segments/dynamic-segment.js';
import { resolveAudience } from '../../src/segments/resolve-audience.js';
import type { AudienceRule } from '../../src/spec/audience-schema.js';
import { DAY, EVENTS, NOW, PROFILES } from './fixtures.js';

const engine = new ColumnarEngine(buildColumnarStore(PROFILES, EVENTS));

describe('resolveAudience', () => {
  it('returns members with their addresses and locale in id order', () => {
    const segments = {
      us: { rules: { type: 'attribute', field: 'country', op: 'eq', value: 'US' } },
      bounced: { members: ['cy'] },
    } as const;
    const result = resolveAudience({ segment: 'us', exclude: [] }, { engine, segments, now: NOW });
    expect(result).toEqual({
      success: true,
      data: [
        { id: 'bob', phone: '+15550100', locale: 'en-US' },
        { id: 'cy', email: 'cy@x.io', locale: 'en-US' },
      ],
    });
    const excluded = resolveAudience(
      { segment: 'us', rules: { type: 'reachable', channel: 'social' }, exclude: ['bounced'] },
      { data: { profiles: PROFILES, events: EVENTS }, segments, now: NOW },
    );
    expect(excluded).toEqual({
      success: true,
      data: [{ id: 'bob', phone: '+15550100', locale: 'en-US' }],
    });
    const zoned = resolveAudience(
      { rules: { type: 'attribute', field: 'zone', op: 'exists' }, exclude: [] },
      { engine, now: NOW },
    );
    expect(zoned).toEqual({
      success: true,
      data: [{ id: 'ada', email: 'ada@x.io', zone: 'Europe/London', locale: 'en-GB' }],
    });
  });

  it('returns issues when the audience, the registry or the data is wrong', () => {
    const cyclic = { a: { rules: { type: 'segment', name: 'a', op: 'in' } } } as const;
    const result = resolveAudience({ segment: 'b', exclude: [] }, { segments: cyclic, now: NOW });
    expect(result.success ? [] : result.error.map((i) => i.code)).toEqual([
      'segment_cycle',
      'unknown_segment',
      'missing_profiles',
    ]);
  });
});

describe('static and dynamic segments', () => {
  const recentBuyers: AudienceRule = {
    type: 'behavior',
    event: 'purchase',
    aggregate: 'count',
    op: 'gte',
    value: 1,
    window: 'P7D',
    where: [],
  };

  it('freezes a static segment once', () => {
    expect(freezeSegment(engine, recentBuyers, { now: NOW })).toEqual({ members: ['ada', 'bob'] });
  });

  it('reports who entered and left when a dynamic segment is refreshed', () => {
    const segment = new DynamicSegment(recentBuyers);
    expect(segment.refresh(engine, NOW)).toEqual({
      members: ['ada', 'bob'],
      entered: ['ada', 'bob'],
      left: [],
      evaluatedAt: NOW,
    });
    expect(segment.refresh(engine, NOW + 5 * DAY)).toEqual({
      members: ['bob'],
      entered: [],
      left: ['ada'],
      evaluatedAt: NOW + 5 * DAY,
    });
    const later = new ColumnarEngine(
      buildColumnarStore(PROFILES, [
        ...EVENTS,
        { profileId: 'cy', type: 'purchase', at: NOW + 5 * DAY },
      ]),
    );
    expect(segment.refreshProfiles(later, NOW + 5 * DAY, ['cy', 'cy', 'nobody'])).toEqual({
      members: ['bob', 'cy'],
      entered: ['cy'],
      left: [],
      evaluatedAt: NOW + 5 * DAY,
    });
    expect(segment.refreshProfiles(later, NOW + 9 * DAY, ['cy', 'bob'])).toMatchObject({
      members: ['cy'],
      left: ['bob'],
    });
    expect(new DynamicSegment(recentBuyers, {}).members).toEqual([]);
  });
});
