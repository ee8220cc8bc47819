/**
 * @module
 * Verifies SendGrid's signed Event Webhook: ECDSA P-256 with SHA-256 over
 * `timestamp + rawBody`, signature in `X-Twilio-Email-Event-Webhook-Signature` (base64 DER),
 * timestamp in `X-Twilio-Email-Event-Webhook-Timestamp` (Unix seconds). The public key comes
 * from SendGrid's signed-webhook settings as base64 DER SubjectPublicKeyInfo.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import {
  VALID,
  checkTimestamp,
  rejected,
  type WebhookVerification,
} from './webhook-verification.js';

/** Header carrying the signature. */
export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
/** Header carrying the timestamp. */
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/** Input of {@link verifySendGridSignature}. */
export interface SendGridWebhook {
  /** base64 DER SubjectPublicKeyInfo, a PEM string, or a `KeyObject`. */
  readonly publicKey: string | KeyObject;
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
  /** The body exactly as received; re-serialised JSON does not verify. */
  readonly rawBody: string | Buffer;
  /** Epoch ms. */
  readonly now: number;
  /** Largest accepted clock difference. @default 300 */
  readonly toleranceSeconds?: number;
}

function toKey(publicKey: string | KeyObject): KeyObject {
  if (typeof publicKey !== 'string') return publicKey;
  if (publicKey.includes('-----BEGIN')) return createPublicKey(publicKey);
  return createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
}

/**
 * Verifies one delivery. Pair it with a dedupe store so a replay within the window takes
 * effect once.
 * @example
 * verifySendGridSignature({ publicKey, signature: req.headers[SENDGRID_SIGNATURE_HEADER],
 *   timestamp: req.headers[SENDGRID_TIMESTAMP_HEADER], rawBody, now: clock.now() });
 */
export function verifySendGridSignature(input: SendGridWebhook): WebhookVerification {
  if (input.signature === undefined || input.signature === '') return rejected('signature_missing');
  const stale = checkTimestamp(input.timestamp, input.now, input.toleranceSeconds ?? 300);
  if (stale !== undefined) return rejected(stale);
  try {
    const payload = Buffer.concat([Buffer.from(input.timestamp!), Buffer.from(input.rawBody)]);
    const ok = verify(
      'sha256',
      payload,
      { key: toKey(input.publicKey), dsaEncoding: 'der' },
      Buffer.from(input.signature, 'base64'),
    );
    return ok ? VALID : rejected('signature_invalid');
  } catch {
    return rejected('signature_invalid');
  }
}
