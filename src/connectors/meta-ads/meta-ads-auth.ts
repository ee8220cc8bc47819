/**
 * @module
 * Meta's request signing: the access token as `Authorization: Bearer` and
 * `appsecret_proof = hex(HMAC-SHA256(app secret, access token))` as a query parameter on every
 * call (contract meta-ads.md §2). Long-lived system-user tokens are not refreshed.
 */
import { createHmac } from 'node:crypto';
import type { AuthStrategy } from '../auth-strategy.js';

/** Bearer token plus `appsecret_proof = HMAC-SHA256(app secret, token)` on every call. */
export function metaAuth(token: string, appSecret: string): AuthStrategy {
  const proof = createHmac('sha256', appSecret).update(token).digest('hex');
  return {
    authorize: (request) => {
      request.headers.authorization = `Bearer ${token}`;
      request.query.appsecret_proof = proof;
      return Promise.resolve(token);
    },
    refresh: () => Promise.resolve(false),
    secrets: () => [token, appSecret, proof],
  };
}
