/**
 * @module
 * Fake Twilio Segment HTTP Tracking API (contract: docs/platforms/segment.md):
 * `POST /v1/{identify,track,page,screen,group,alias,batch}` with the write key as HTTP Basic
 * (`writeKey:`) or in the body, `200 { success: true }` for well-formed JSON, events without a
 * user id, event name or with a seen `messageId` dropped silently, 400 for events over 32 KB,
 * batches over 500 KB or 2,500 events, and 429 with `Retry-After` above the workspace quota.
 *
 * Sandbox conventions: every non-empty write key is accepted (Segment does not check keys
 * synchronously, unconfirmed); each accepted identify/track is one delivery to its user id,
 * keyed by its `messageId`.
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';

/** About 1,000 requests a second per workspace. */
export const SEGMENT_SANDBOX_QUOTA = { limit: 60_000, windowMs: 60_000 } as const;

const TYPES = new Set(['identify', 'track', 'page', 'screen', 'group', 'alias']);

/** Builds the fake Segment. */
export function createSegmentSandbox(context: SandboxContext): PlatformSandbox {
  const seen = new Set<string>();
  let dropped = 0;
  let serial = 0;

  const accept = (event: Record<string, unknown>, type: string): void => {
    const user = typeof event.userId === 'string' ? event.userId : event.anonymousId;
    const messageId = typeof event.messageId === 'string' ? event.messageId : undefined;
    if (typeof user !== 'string' || (type === 'track' && typeof event.event !== 'string')) {
      dropped++;
      return;
    }
    if (messageId !== undefined && seen.has(messageId)) return;
    serial++;
    if (messageId !== undefined) seen.add(messageId);
    context.deliver({
      recipient: user,
      messageId: messageId ?? `sandbox-${serial}`,
      key: messageId,
    });
  };

  return {
    platform: 'segment',
    lane: (): QuotaLane => ({ key: 'workspace', ...SEGMENT_SANDBOX_QUOTA }),
    handle(request: ReceivedRequest): SandboxResponse {
      const type = /^\/v1\/(\w+)$/.exec(request.path)?.[1];
      if (request.method !== 'POST' || !type || (type !== 'batch' && !TYPES.has(type)))
        return { status: 404, body: 'Not Found' };
      if (typeof request.body !== 'object' || request.body === null)
        return { status: 400, body: 'Invalid JSON' };
      const body = request.body as Record<string, unknown>;
      const header = request.headers.authorization ?? '';
      const key = header.startsWith('Basic ')
        ? Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0]
        : body.writeKey;
      if (typeof key !== 'string' || key === '') return { status: 401, body: 'Unauthorized' };
      const size = JSON.stringify(body).length;
      const events =
        type === 'batch'
          ? Array.isArray(body.batch)
            ? (body.batch as Record<string, unknown>[])
            : []
          : [body];
      if (size > 500_000 || events.length > 2500)
        return { status: 400, body: 'Request entity too large' };
      if (events.some((e) => JSON.stringify(e).length > 32_000))
        return { status: 400, body: 'Event too large' };
      for (const event of events) {
        const itemType = type === 'batch' ? String(event.type) : type;
        if (TYPES.has(itemType)) accept(event, itemType);
        else dropped++;
      }
      return {
        status: 200,
        headers: { 'x-sandbox-dropped': String(dropped) },
        body: { success: true },
      };
    },
    rateLimited: (retryAfterSeconds) => ({
      status: 429,
      headers: {
        'x-ratelimit-reset': String(Math.ceil(context.clock.now() / 1000) + retryAfterSeconds),
      },
      body: 'Too Many Requests',
    }),
    serverError: (status) => ({ status, body: 'Internal Server Error' }),
    expiredToken: () => ({ status: 401, body: 'Unauthorized' }),
    versionSunset: () => ({ status: 404, body: 'Not Found' }),
  };
}
