/**
 * @module
 * Twilio Segment HTTP Tracking API (contract: segment.md): audience syncs as `identify` calls
 * through `POST /v1/batch`, authenticated with the source write key as HTTP Basic
 * (`writeKey:`). Segment is a pipe, not a metrics source (contract §7), so this connector has
 * no `fetchMetrics`.
 *
 * Exactly-once: every event carries a `messageId` derived from the request's idempotency key
 * and the recipient, and Segment deduplicates on it (contract §8), so a batch is safe to send
 * again and the transport retries it like a read. The Tracking API has no look-up of what it
 * received: `reconcile` answers `unknown`, noting that a re-send is deduplicated.
 */
import { createHash } from 'node:crypto';
import { basicAuth } from '../auth-strategy.js';
import type {
  ActionRequest,
  ActionResult,
  Connector,
  ConnectorHealth,
  Reconciliation,
} from '../connector.js';
import { readSettings } from '../connector-credentials.js';
import { clientOptions, type ConnectorDeps } from '../connector-deps.js';
import { ConnectorError, type ConnectorErrorCode } from '../connector-error.js';
import { HttpClient } from '../http-client.js';
import type { RateQuota } from '../quota-limiter.js';
import type { RawResponse, ResponseFailure } from '../raw-response.js';
import { BatchAccepted } from './segment-schemas.js';

/** About 1,000 requests a second per workspace (contract §4). */
export const SEGMENT_QUOTA: RateQuota = { limit: 60_000, windowMs: 60_000 };
/** `messageId` must stay under 100 characters (contract §3.1). */
const MAX_MESSAGE_ID = 99;

/** Maps a Tracking API response to a failure (contract §3.5, §5): status codes only. */
export function interpretSegment(response: RawResponse): ResponseFailure | undefined {
  if (response.status < 300) return undefined;
  const code: ConnectorErrorCode =
    response.status === 401 || response.status === 403
      ? 'auth_expired'
      : response.status === 404 || response.status === 410
        ? // Segment documents no retirement answer for /v1 (unconfirmed): a missing path stops.
          'version_sunset'
        : response.status === 429
          ? 'rate_limited'
          : response.status >= 500
            ? 'transient'
            : 'invalid_request';
  return typeof response.body === 'string' && response.body !== ''
    ? { code, platformMessage: response.body.slice(0, 200) }
    : { code };
}

/** The `messageId` of one recipient's event: readable when short, hashed otherwise. */
export function segmentMessageId(idempotencyKey: string, recipientId: string): string {
  const plain = `${idempotencyKey}:${recipientId}`;
  return plain.length <= MAX_MESSAGE_ID ? plain : createHash('sha256').update(plain).digest('hex');
}

/**
 * Builds the Segment connector. Settings: `writeKey` (`SEGMENT_WRITE_KEY`); optional `region`
 * (`SEGMENT_REGION`: `eu` for `events.eu1.segmentapis.com`, which EU workspaces must use) and
 * `baseUrl`.
 * @example
 * const segment = createSegmentConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createSegmentConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'segment',
    [
      { key: 'writeKey', env: 'SEGMENT_WRITE_KEY' },
      { key: 'region', env: 'SEGMENT_REGION', required: false },
      { key: 'baseUrl', env: 'SEGMENT_BASE_URL', required: false },
    ],
    deps,
  );
  const writeKey = settings.writeKey!;
  const auth = basicAuth({ username: writeKey, password: '' });
  const client = new HttpClient({
    platform: 'segment',
    baseUrl:
      deps.baseUrl ??
      settings.baseUrl ??
      (settings.region === 'eu' ? 'https://events.eu1.segmentapis.com' : 'https://api.segment.io'),
    apiVersion: 'v1',
    auth: { ...auth, secrets: () => [...auth.secrets(), writeKey] },
    clock: deps.clock,
    limiter: deps.limiter,
    quota: SEGMENT_QUOTA,
    interpret: interpretSegment,
    ...clientOptions(deps),
  });

  return {
    platform: 'segment',
    capabilities: ['sync_audience'],
    // 2,500 events and 500 KB per batch (contract §3.4): 1,000 identifies stay well inside both.
    maxBatchSize: 1000,
    async perform(request: ActionRequest): Promise<ActionResult> {
      if (request.action !== 'audience_sync' || request.recipients.length === 0) {
        throw new ConnectorError({
          platform: 'segment',
          code: 'invalid_request',
          message: `${request.action} with ${request.recipients.length} recipients: Segment syncs audiences (identify) only`,
        });
      }
      await client.request({
        method: 'POST',
        path: '/v1/batch',
        body: {
          batch: request.recipients.map((r) => ({
            type: 'identify',
            userId: r.id,
            messageId: segmentMessageId(request.idempotencyKey, r.id),
            traits: {
              ...(r.email ? { email: r.email } : {}),
              ...(r.phone ? { phone: r.phone } : {}),
              ...(r.locale ? { locale: r.locale } : {}),
            },
            ...(r.zone ? { context: { timezone: r.zone } } : {}),
          })),
          context: { library: { name: 'herald', version: '1' } },
        },
        // Segment deduplicates on messageId, so sending the same batch again is harmless.
        idempotent: true,
        schema: BatchAccepted,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return { outputs: {}, accepted: request.recipients.length };
    },
    reconcile(): Promise<Reconciliation> {
      return Promise.resolve({
        status: 'unknown',
        reason:
          'the Tracking API cannot be queried; sending the batch again is safe, Segment deduplicates on messageId',
      });
    },
    health: (): ConnectorHealth => client.health(),
  };
}
