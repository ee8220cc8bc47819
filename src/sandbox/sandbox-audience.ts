/**
 * @module
 * A seeded, synthetic audience for the sandbox: profiles spread over the world's zones with
 * consent, tiers and a little behaviour, so `herald run` can show a real send without a
 * customer's data. Same seed, same people.
 */
import type { Profile, ProfileEvent } from '../segments/profile-model.js';
import { seededRandom } from '../seeded-random.js';

const PLACES = [
  { country: 'US', region: 'US-NY', zone: 'America/New_York', language: 'en', dial: '+1212555' },
  { country: 'US', region: 'US-CA', zone: 'America/Los_Angeles', language: 'en', dial: '+1415555' },
  { country: 'CA', region: 'CA-ON', zone: 'America/Toronto', language: 'en', dial: '+1416555' },
  { country: 'GB', region: 'GB-LND', zone: 'Europe/London', language: 'en', dial: '+4420795' },
  { country: 'DE', region: 'DE-BE', zone: 'Europe/Berlin', language: 'de', dial: '+4930555' },
  { country: 'FR', region: 'FR-75', zone: 'Europe/Paris', language: 'fr', dial: '+3314555' },
  { country: 'IN', region: 'IN-MH', zone: 'Asia/Kolkata', language: 'en', dial: '+9122555' },
  { country: 'JP', region: 'JP-13', zone: 'Asia/Tokyo', language: 'ja', dial: '+8135555' },
  { country: 'AU', region: 'AU-NSW', zone: 'Australia/Sydney', language: 'en', dial: '+6129555' },
  { country: 'BR', region: 'BR-SP', zone: 'America/Sao_Paulo', language: 'pt', dial: '+5511555' },
] as const;

const TIERS = ['none', 'silver', 'gold', 'platinum'] as const;

/** The seed of the synthetic audience `herald run` uses. */
export const SANDBOX_AUDIENCE_SEED = 7;

/** A synthetic audience: profiles and their recent events. */
export interface SandboxAudience {
  readonly profiles: readonly Profile[];
  readonly events: readonly ProfileEvent[];
}

/**
 * Generates `count` profiles (ids `p000001`…) and up to a few events each in the 90 days
 * before `now`.
 * @example
 * const { profiles } = sandboxAudience(1000, Date.parse('2026-11-25T00:00:00Z'));
 */
export function sandboxAudience(
  count: number,
  now: number,
  seed = SANDBOX_AUDIENCE_SEED,
): SandboxAudience {
  const random = seededRandom(seed);
  const profiles: Profile[] = [];
  const events: ProfileEvent[] = [];
  for (let i = 1; i <= count; i++) {
    const id = `p${String(i).padStart(6, '0')}`;
    const place = PLACES[Math.floor(random() * PLACES.length)]!;
    profiles.push({
      id,
      email: `${id}@example.com`,
      phone: `${place.dial}${String(i % 10_000).padStart(4, '0')}`,
      zone: place.zone,
      age: 18 + Math.floor(random() * 60),
      country: place.country,
      region: place.region,
      language: place.language,
      loyalty_tier: TIERS[Math.floor(random() * TIERS.length)]!,
      consent: { email: random() < 0.9, sms: random() < 0.6, push: random() < 0.4 },
    });
    const n = Math.floor(random() * 4);
    for (let e = 0; e < n; e++) {
      const type = (['purchase', 'open', 'click', 'cart_add'] as const)[Math.floor(random() * 4)]!;
      events.push({
        profileId: id,
        type,
        at: now - Math.floor(random() * 90 * 86_400_000),
        ...(type === 'purchase' ? { value: Math.round(random() * 300 * 100) / 100 } : {}),
      });
    }
  }
  return { profiles, events };
}
