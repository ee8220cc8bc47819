/**
 * @module
 * Verifies Twilio's `X-Twilio-Signature`: base64 HMAC-SHA1 under the Auth Token of the full
 * URL followed by each form parameter's name and value, sorted by name. For JSON bodies the
 * URL carries `bodySHA256=<hex>`; the URL alone is signed and the body hash is checked.
 * Twilio sends no timestamp, so replays are caught by a dedupe store, not a time window.
 */
import { createHash, createHmac } from 'node:crypto';
import { VALID, rejected, safeEqual, type WebhookVerification } from './webhook-verification.js';

/** Form parameters as received; repeated keys carry several values. */
export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

/** Input of {@link verifyTwilioSignature}. */
export interface TwilioRequest {
  readonly authToken: string;
  readonly signature: string | undefined;
  /** The URL exactly as configured in Twilio (scheme, host, port, path and query). */
  readonly url: string;
  /** Form-encoded POST parameters. @default {} */
  readonly params?: TwilioParams;
  /** Raw body of a JSON webhook, checked against the URL's `bodySHA256`. */
  readonly rawBody?: string | Buffer;
}

/** The signature Twilio would send. */
export function twilioSignature(authToken: string, url: string, params: TwilioParams = {}): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    const values = typeof value === 'string' ? [value] : [...value].sort();
    for (const v of values) data += name + v;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * Verifies one request from Twilio.
 * @example
 * verifyTwilioSignature({ authToken, signature: headers['x-twilio-signature'], url, params: form });
 */
export function verifyTwilioSignature(input: TwilioRequest): WebhookVerification {
  if (input.signature === undefined || input.signature === '') return rejected('signature_missing');
  let bodyHash: string | null;
  try {
    bodyHash = new URL(input.url).searchParams.get('bodySHA256');
  } catch {
    return rejected('signature_invalid');
  }
  const params = bodyHash === null ? (input.params ?? {}) : {};
  const expected = twilioSignature(input.authToken, input.url, params);
  if (!safeEqual(expected, input.signature)) return rejected('signature_invalid');
  if (bodyHash !== null) {
    const actual = createHash('sha256')
      .update(input.rawBody ?? '')
      .digest('hex');
    if (!safeEqual(actual, bodyHash.toLowerCase())) return rejected('body_hash_mismatch');
  }
  return VALID;
}
