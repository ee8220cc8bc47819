/**
 * @module
 * What happens to one message after a fake platform accepts it: delivered or bounced, then
 * perhaps opened, clicked, unsubscribed from or converted on — decided by the sandbox seed and
 * the message alone, so the same send always has the same fate, and visible only once the
 * sandbox clock has passed each event. The fakes report engagement from these fates, so a
 * report can only count what was sent.
 */
import { fnv1a, seededRandom } from '../seeded-random.js';

/** One thing that happened to a message. */
export type EngagementKind =
  'delivered' | 'bounce' | 'open' | 'click' | 'unsubscribe' | 'conversion';

/** An engagement event of one message, at a sandbox clock time. */
export interface EngagementEvent {
  readonly kind: EngagementKind;
  /** Epoch ms. */
  readonly at: number;
  /** For `conversion`: its value in the account currency, major units. */
  readonly value?: number;
}

/** How a channel's recipients behave (probabilities, and mean delays in hours). */
export interface EngagementProfile {
  readonly bounce: number;
  /** Eventual share of delivered messages opened; 0 where the channel has no opens. */
  readonly open: number;
  readonly openDelayHours: number;
  /** Share of opened (or, without opens, delivered) messages clicked. */
  readonly click: number;
  readonly unsubscribe: number;
  /** Share of clicks that convert. */
  readonly conversion: number;
  /** Largest conversion value, major units. */
  readonly maxValue: number;
}

/** E-mail: a 2% bounce, a 16% eventual open rate (most within a day), clicks from opens. */
export const EMAIL_ENGAGEMENT: EngagementProfile = {
  bounce: 0.02,
  open: 0.14,
  openDelayHours: 8,
  click: 0.2,
  unsubscribe: 0.01,
  conversion: 0.1,
  maxValue: 200,
};

/** SMS: no opens; a few recipients tap the link. */
export const SMS_ENGAGEMENT: EngagementProfile = {
  bounce: 0.03,
  open: 0,
  openDelayHours: 0,
  click: 0.06,
  unsubscribe: 0.005,
  conversion: 0.08,
  maxValue: 120,
};

const HOUR = 3_600_000;

/**
 * Every event of one message, in time order (future ones included: filter by the clock).
 * `key` names the message uniquely on its platform (e.g. message id and recipient).
 * @example
 * messageEngagement(1, 'sendgrid:abc:p1@example.com', sentAt, EMAIL_ENGAGEMENT)
 *   .filter((e) => e.at <= clock.now());
 */
export function messageEngagement(
  seed: number,
  key: string,
  sentAt: number,
  profile: EngagementProfile,
): EngagementEvent[] {
  const random = seededRandom(seed ^ fnv1a(key));
  const settledAt = sentAt + 1000 + Math.floor(random() * 59_000);
  if (random() < profile.bounce) return [{ kind: 'bounce', at: settledAt }];
  const events: EngagementEvent[] = [{ kind: 'delivered', at: settledAt }];
  const exponential = (meanHours: number) => Math.floor(-Math.log(1 - random()) * meanHours * HOUR);
  let engagedAt = settledAt;
  if (profile.open > 0) {
    if (random() >= profile.open) return withUnsubscribe(events, random, profile, settledAt);
    engagedAt = settledAt + exponential(profile.openDelayHours);
    events.push({ kind: 'open', at: engagedAt });
  }
  if (random() < profile.click) {
    const clickedAt = engagedAt + exponential(0.5);
    events.push({ kind: 'click', at: clickedAt });
    if (random() < profile.conversion) {
      events.push({
        kind: 'conversion',
        at: clickedAt + exponential(2),
        value: Math.round((10 + random() * (profile.maxValue - 10)) * 100) / 100,
      });
    }
  }
  return withUnsubscribe(events, random, profile, engagedAt);
}

function withUnsubscribe(
  events: EngagementEvent[],
  random: () => number,
  profile: EngagementProfile,
  after: number,
): EngagementEvent[] {
  if (random() < profile.unsubscribe) {
    events.push({ kind: 'unsubscribe', at: after + Math.floor(random() * 6 * HOUR) });
  }
  return events.sort((a, b) => a.at - b.at);
}
