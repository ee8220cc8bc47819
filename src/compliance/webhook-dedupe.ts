/**
 * @module
 * Makes repeated deliveries of the same webhook take effect once. Providers retry, and a
 * captured request can be replayed within its signature window; the first claim of a key
 * wins and later claims are refused until the key expires. Time is an input.
 */
import { createHash } from 'node:crypto';

/** A store of delivery keys already processed. */
export interface WebhookDedupeStore {
  /** True the first time `key` is claimed before it expires; false for a repeat. */
  claim(key: string, now: number): boolean;
}

/**
 * A deterministic key for a delivery: provider, signature and body hash. Use the provider's
 * own id where one exists (`I-Twilio-Idempotency-Token`, `sg_event_id`, Slack's `event_id`).
 */
export function webhookDedupeKey(
  provider: string,
  signature: string,
  rawBody: string | Buffer,
): string {
  const hash = createHash('sha256').update(signature).update('\0').update(rawBody).digest('hex');
  return `${provider}:${hash}`;
}

/**
 * In-memory dedupe store with a time-to-live per key.
 * @example
 * const seen = new InMemoryWebhookDedupe();
 * if (!seen.claim(webhookDedupeKey('slack', sig, body), clock.now())) return respond(200);
 */
export class InMemoryWebhookDedupe implements WebhookDedupeStore {
  readonly #expiries = new Map<string, number>();
  readonly #ttlMs: number;

  /** @param options.ttlMs - how long a key is remembered. @default 86_400_000 (a day: SendGrid retries for up to 24 h) */
  constructor(options: { ttlMs?: number } = {}) {
    this.#ttlMs = options.ttlMs ?? 86_400_000;
  }

  claim(key: string, now: number): boolean {
    const expiry = this.#expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    this.#expiries.set(key, now + this.#ttlMs);
    if (this.#expiries.size % 1024 === 0) this.#sweep(now);
    return true;
  }

  /** Keys currently remembered. */
  get size(): number {
    return this.#expiries.size;
  }

  #sweep(now: number): void {
    for (const [key, expiry] of this.#expiries) if (expiry <= now) this.#expiries.delete(key);
  }
}
