/**
 * A seeded generator of profiles and events for the segments benchmark. The same seed gives
 * the same data; rows are streamed to callbacks so callers keep only what they need.
 */
import { seededRandom } from '../src/seeded-random.js';
import type { Profile, ProfileEvent } from '../src/segments/profile-model.js';

/** What to generate. */
export interface AudienceShape {
  readonly profiles: number;
  /** Average events per profile. @default 10 */
  readonly eventsPerProfile?: number;
  /** @default 42 */
  readonly seed?: number;
  /** Events fall within the 180 days before this instant. */
  readonly now: number;
}

/** Countries profiles live in, the first five the most common. */
export const COUNTRIES = [
  'US',
  'GB',
  'DE',
  'FR',
  'CA',
  'ES',
  'IT',
  'NL',
  'SE',
  'PL',
  'BR',
  'MX',
  'JP',
  'AU',
  'IN',
  'IE',
  'PT',
  'AT',
  'BE',
  'DK',
];
const WEIGHTS = [30, 10, 9, 8, 6, 5, 5, 4, 3, 3, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1];
const LANGUAGES: Record<string, string> = {
  US: 'en',
  GB: 'en',
  DE: 'de',
  FR: 'fr',
  CA: 'en',
  ES: 'es',
  IT: 'it',
  NL: 'nl',
  SE: 'sv',
  PL: 'pl',
  BR: 'pt',
  MX: 'es',
  JP: 'ja',
  AU: 'en',
  IN: 'en',
  IE: 'en',
  PT: 'pt',
  AT: 'de',
  BE: 'nl',
  DK: 'da',
};
const TIERS = ['none', 'none', 'none', 'bronze', 'silver', 'gold'];
/** Event types and their shares. */
const TYPES = [
  'open',
  'open',
  'open',
  'open',
  'click',
  'click',
  'visit',
  'visit',
  'visit',
  'purchase',
  'cart_add',
];
const DAY = 86_400_000;

/** Generates profiles, each followed by its events, into the callbacks. */
export function generateAudience(
  shape: AudienceShape,
  onProfile: (profile: Profile) => void,
  onEvent: (event: ProfileEvent) => void,
): { profiles: number; events: number } {
  const random = seededRandom(shape.seed ?? 42);
  const perProfile = shape.eventsPerProfile ?? 10;
  const cumulative: number[] = [];
  WEIGHTS.reduce((sum, w) => (cumulative.push(sum + w), sum + w), 0);
  const totalWeight = cumulative[cumulative.length - 1]!;
  let events = 0;
  for (let i = 0; i < shape.profiles; i++) {
    const id = `p${i.toString(36).padStart(6, '0')}`;
    const pick = random() * totalWeight;
    const country = COUNTRIES[cumulative.findIndex((c) => pick < c)]!;
    const hasEmail = random() < 0.85;
    const hasPhone = random() < 0.5;
    onProfile({
      id,
      ...(hasEmail ? { email: `${id}@example.com` } : {}),
      ...(hasPhone ? { phone: `+1555${String(i).padStart(7, '0')}` } : {}),
      zone: 'UTC',
      age: 18 + Math.floor(random() * 62),
      country,
      region: `${country}-${1 + Math.floor(random() * 9)}`,
      language: LANGUAGES[country]!,
      loyalty_tier: TIERS[Math.floor(random() * TIERS.length)]!,
      consent: { email: random() < 0.7, sms: random() < 0.3, push: random() < 0.4 },
    });
    // Activity is skewed: a few profiles are very active, many barely.
    const count = Math.round(-Math.log(1 - random()) * perProfile);
    for (let k = 0; k < count; k++) {
      const type = TYPES[Math.floor(random() * TYPES.length)]!;
      const at = shape.now - Math.floor(random() * 180 * DAY);
      onEvent(
        type === 'purchase'
          ? { profileId: id, type, at, value: Math.round(500 + random() * 9500) / 100 }
          : { profileId: id, type, at },
      );
    }
    events += count;
  }
  return { profiles: shape.profiles, events };
}
