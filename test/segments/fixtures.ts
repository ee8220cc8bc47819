/**
 * A small hand-written data set for example-based segment tests.
 */
import type { Profile, ProfileEvent } from '../../src/segments/profile-model.js';

export const NOW = Date.UTC(2026, 0, 31);
export const DAY = 86_400_000;

const base = {
  region: 'US-CA',
  language: 'en',
  loyalty_tier: 'gold',
  consent: { email: true, sms: false, push: false },
};

export const PROFILES: Profile[] = [
  {
    id: 'ada',
    email: 'ada@x.io',
    zone: 'Europe/London',
    age: 36,
    country: 'GB',
    ...base,
    traits: { vip: true, notes: { a: 1 } },
  },
  {
    id: 'bob',
    phone: '+15550100',
    age: 52,
    country: 'US',
    ...base,
    consent: { email: false, sms: true, push: true },
  },
  { id: 'cy', email: 'cy@x.io', age: 29, country: 'US', ...base, traits: { score: 7, tag: 'x' } },
];

export const EVENTS: ProfileEvent[] = [
  {
    profileId: 'ada',
    type: 'purchase',
    at: NOW - 3 * DAY,
    value: 80,
    properties: { channel: 'web', qty: 2 },
  },
  { profileId: 'ada', type: 'purchase', at: NOW - 20 * DAY, value: 40 },
  { profileId: 'ada', type: 'open', at: NOW - DAY, properties: { list: [1] } },
  { profileId: 'cy', type: 'cart_add', at: NOW - 2 * 3_600_000 },
  { profileId: 'bob', type: 'cart_add', at: NOW - 5 * 3_600_000 },
  { profileId: 'bob', type: 'purchase', at: NOW - 3_600_000, value: 10 },
  { profileId: 'ghost', type: 'open', at: NOW },
];
