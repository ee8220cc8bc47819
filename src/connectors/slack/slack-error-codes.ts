/**
 * @module
 * Slack's error codes (contract §5) mapped to Herald's. Slack answers HTTP 200 with
 * `{ ok: false, error }` for logical errors, 429 for rate limits and plain text on webhooks.
 */
import type { ConnectorErrorCode } from '../connector-error.js';
import type { RawResponse, ResponseFailure } from '../raw-response.js';
import { SlackErrorBody } from './slack-schemas.js';

/** Slack error code → Herald code; codes not listed are `invalid_request`. */
export const SLACK_ERROR_CODES: Readonly<Record<string, ConnectorErrorCode>> = {
  not_authed: 'auth_expired',
  invalid_auth: 'auth_expired',
  account_inactive: 'auth_expired',
  token_revoked: 'auth_expired',
  token_expired: 'auth_expired',
  invalid_token: 'auth_expired',
  no_permission: 'permission_denied',
  missing_scope: 'permission_denied',
  not_allowed_token_type: 'permission_denied',
  not_in_channel: 'permission_denied',
  is_archived: 'permission_denied',
  restricted_action: 'permission_denied',
  ekm_access_denied: 'permission_denied',
  action_prohibited: 'permission_denied',
  posting_to_general_channel_denied: 'permission_denied',
  channel_not_found: 'not_found',
  channel_is_archived: 'not_found',
  no_service: 'not_found',
  user_not_found: 'not_found',
  ratelimited: 'rate_limited',
  rate_limited: 'rate_limited',
  restricted_too_many: 'rate_limited',
  internal_error: 'transient',
  fatal_error: 'transient',
  service_unavailable: 'transient',
  request_timeout: 'transient',
  rollup_error: 'transient',
  deprecated_endpoint: 'version_sunset',
  method_deprecated: 'version_sunset',
};

/** Slack errors after which a message may still have been posted. */
const MAY_HAVE_COMMITTED = new Set([
  'fatal_error',
  'internal_error',
  'request_timeout',
  'rollup_error',
]);

/** Maps a Slack Web API or webhook response to a failure. */
export function interpretSlack(response: RawResponse): ResponseFailure | undefined {
  const parsed = SlackErrorBody.safeParse(response.body);
  const platformCode = parsed.success
    ? parsed.data.error
    : typeof response.body === 'string' && response.status >= 300
      ? response.body.trim()
      : undefined;
  if (platformCode === undefined) {
    if (response.status === 429) return { code: 'rate_limited' };
    return response.status >= 500 ? { code: 'transient' } : undefined;
  }
  const code =
    response.status === 429
      ? 'rate_limited'
      : (SLACK_ERROR_CODES[platformCode] ?? 'invalid_request');
  return {
    code,
    platformCode,
    platformMessage: platformCode,
    mayHaveCommitted:
      MAY_HAVE_COMMITTED.has(platformCode) || (response.status >= 500 && response.status !== 503),
  };
}
