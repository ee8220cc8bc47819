/**
 * @module
 * Verifies requests from Slack: `X-Slack-Signature` is `v0=` + hex HMAC-SHA256 of
 * `v0:<X-Slack-Request-Timestamp>:<raw body>` under the app's signing secret, and the
 * timestamp must be within five minutes of now.
 */
import { createHmac } from 'node:crypto';
import {
  VALID,
  checkTimestamp,
  rejected,
  safeEqual,
  type WebhookVerification,
} from './webhook-verification.js';

/** Input of {@link verifySlackSignature}. */
export interface SlackRequest {
  readonly signingSecret: string;
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
  readonly rawBody: string | Buffer;
  /** Epoch ms. */
  readonly now: number;
  /** Replay window. @default 300 */
  readonly toleranceSeconds?: number;
}

/** The signature Slack would send for a body and timestamp. */
export function slackSignature(
  signingSecret: string,
  timestamp: string,
  rawBody: string | Buffer,
): string {
  const mac = createHmac('sha256', signingSecret);
  mac.update(`v0:${timestamp}:`);
  mac.update(rawBody);
  return `v0=${mac.digest('hex')}`;
}

/**
 * Verifies one request from Slack.
 * @example
 * verifySlackSignature({ signingSecret, signature: headers['x-slack-signature'],
 *   timestamp: headers['x-slack-request-timestamp'], rawBody, now: clock.now() });
 */
export function verifySlackSignature(input: SlackRequest): WebhookVerification {
  if (input.signature === undefined || input.signature === '') return rejected('signature_missing');
  const stale = checkTimestamp(input.timestamp, input.now, input.toleranceSeconds ?? 300);
  if (stale !== undefined) return rejected(stale);
  const expected = slackSignature(input.signingSecret, input.timestamp!, input.rawBody);
  return safeEqual(expected, input.signature) ? VALID : rejected('signature_invalid');
}
