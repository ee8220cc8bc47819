/**
 * @module
 * Fake HubSpot (contract: docs/platforms/hubspot.md): contact `batch/upsert` and
 * `batch/read` keyed by email (≤100 inputs, property values as strings), marketing e-mails that
 * can be published once, a daily statistics histogram with integer counters and percentage
 * ratios, `X-HubSpot-RateLimit-*` headers, and `{ status, message, correlationId, category }`
 * errors (429 with `policyName`).
 *
 * Sandbox conventions: tokens start with `pat-`; marketing e-mails 101 and 102 exist as
 * drafts; Free/Starter limits, 100 requests per token per 10 seconds.
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';
import { fnv1a, seededRandom } from '../../seeded-random.js';

/** Free/Starter: 100 requests per 10 seconds. */
export const HUBSPOT_SANDBOX_QUOTA = { limit: 100, windowMs: 10_000 } as const;

function error(
  status: number,
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): SandboxResponse {
  return {
    status,
    body: {
      status: 'error',
      message,
      correlationId: 'aeb5f871-7f07-4993-9211-075dc63e7cbf',
      category,
      ...extra,
    },
  };
}

/** Builds the fake HubSpot. */
export function createHubSpotSandbox(context: SandboxContext): PlatformSandbox {
  const contacts = new Map<string, { id: string; email: string }>();
  const emails = new Map<string, string>([
    ['101', 'DRAFT'],
    ['102', 'DRAFT'],
  ]);
  let serial = 50;
  const iso = (): string => new Date(context.clock.now()).toISOString();

  const contact = (c: { id: string; email: string }, created: boolean) => ({
    id: c.id,
    ...(created ? { new: true } : { new: false }),
    properties: { email: c.email, hs_object_id: c.id, createdate: iso(), lastmodifieddate: iso() },
    createdAt: iso(),
    updatedAt: iso(),
    archived: false,
  });

  const batch = (body: Record<string, unknown>, upsert: boolean): SandboxResponse => {
    const inputs = Array.isArray(body.inputs) ? (body.inputs as Record<string, unknown>[]) : [];
    if (inputs.length === 0 || inputs.length > 100)
      return error(400, 'VALIDATION_ERROR', 'Batch inputs must hold between 1 and 100 items.');
    const results: unknown[] = [];
    for (const input of inputs) {
      const id = typeof input.id === 'string' ? input.id.toLowerCase() : '';
      const idProperty = upsert ? input.idProperty : body.idProperty;
      if (idProperty !== 'email' || !id.includes('@'))
        return error(400, 'VALIDATION_ERROR', 'Property values were not valid: email');
      const existing = contacts.get(id);
      if (!upsert) {
        if (existing) results.push(contact(existing, false));
        continue;
      }
      serial++;
      const record = existing ?? { id: String(serial), email: id };
      contacts.set(id, record);
      results.push(contact(record, !existing));
    }
    return {
      status: 200,
      body: {
        status: 'COMPLETE',
        results,
        requestedAt: iso(),
        startedAt: iso(),
        completedAt: iso(),
        links: {},
      },
    };
  };

  const histogram = (query: Readonly<Record<string, string>>): SandboxResponse => {
    const start = Date.parse(query.startTimestamp ?? '');
    const end = Date.parse(query.endTimestamp ?? '');
    if (query.interval !== 'DAY' || !Number.isFinite(start) || !Number.isFinite(end))
      return error(
        400,
        'VALIDATION_ERROR',
        'interval, startTimestamp and endTimestamp are required',
      );
    const results: unknown[] = [];
    for (let t = start; t < end; t += 86_400_000) {
      const day = new Date(t).toISOString();
      results.push({
        interval: { start: day, end: new Date(t + 86_400_000).toISOString() },
        aggregations: hubspotStats(context.seed, query.emailIds ?? 'all', day.slice(0, 10)),
      });
    }
    return { status: 200, body: { results } };
  };

  return {
    platform: 'hubspot',
    lane(request: ReceivedRequest): QuotaLane | undefined {
      return { key: request.headers.authorization ?? '', ...HUBSPOT_SANDBOX_QUOTA };
    },
    handle(request: ReceivedRequest): SandboxResponse {
      if (!(request.headers.authorization ?? '').startsWith('Bearer pat-'))
        return error(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found.');
      const body = (request.body ?? {}) as Record<string, unknown>;
      const route = `${request.method} ${request.path}`;
      if (route === 'POST /crm/v3/objects/contacts/batch/upsert') return batch(body, true);
      if (route === 'POST /crm/v3/objects/contacts/batch/read') return batch(body, false);
      if (route === 'GET /marketing/v3/emails/statistics/histogram')
        return histogram(request.query);
      const match = /^\/marketing\/v3\/emails\/(\d+)(\/publish)?$/.exec(request.path);
      const state = match ? emails.get(match[1]!) : undefined;
      if (!match || state === undefined) return error(404, 'OBJECT_NOT_FOUND', 'Object not found.');
      if (!match[2] && request.method === 'GET')
        return { status: 200, body: { id: match[1], name: `Email ${match[1]!}`, state } };
      if (request.method !== 'POST') return error(405, 'VALIDATION_ERROR', 'Method not allowed.');
      if (state !== 'DRAFT')
        return error(400, 'VALIDATION_ERROR', 'The email is already published.');
      emails.set(match[1]!, 'PUBLISHED');
      for (const c of contacts.values())
        context.deliver({ recipient: c.email, messageId: match[1]!, key: undefined });
      return { status: 204 };
    },
    rateLimited: () =>
      error(429, 'RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.', {
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
        groupName: 'publicapi:sandbox-ten-secondly',
      }),
    serverError: (status) => error(status, 'INTERNAL_ERROR', 'Internal error.'),
    expiredToken: () =>
      error(
        401,
        'EXPIRED_AUTHENTICATION',
        'The OAuth token used to make this call expired 1 second(s) ago.',
      ),
    // HubSpot retires endpoints with a bare 404 (Lists v1, contract §1).
    versionSunset: () => ({ status: 404, body: '' }),
    quotaHeaders: (lane, used) => ({
      'x-hubspot-ratelimit-interval-milliseconds': String(lane.windowMs),
      'x-hubspot-ratelimit-max': String(lane.limit),
      'x-hubspot-ratelimit-remaining': String(Math.max(0, lane.limit - used)),
    }),
  };
}

/** Reproducible daily statistics: integer counters and ratios in percent (0–100). */
export function hubspotStats(
  seed: number,
  email: string,
  date: string,
): { counters: Record<string, number>; ratios: Record<string, number> } {
  const random = seededRandom(seed ^ fnv1a(`hubspot:${email}:${date}`));
  const sent = 200 + Math.floor(random() * 2000);
  const bounce = Math.floor(sent * 0.02 * random());
  const delivered = sent - bounce;
  const open = Math.floor(delivered * (0.2 + 0.4 * random()));
  const click = Math.floor(open * 0.2 * random());
  const unsubscribed = Math.floor(delivered * 0.003 * random());
  const spamreport = Math.floor(delivered * 0.0005 * random());
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    counters: {
      sent,
      delivered,
      open,
      click,
      bounce,
      unsubscribed,
      spamreport,
    },
    ratios: {
      deliveredratio: round((delivered / sent) * 100),
      openratio: round((open / delivered) * 100),
      clickratio: round((click / delivered) * 100),
      bounceratio: round((bounce / sent) * 100),
      unsubscribedratio: round((unsubscribed / delivered) * 100),
      spamreportratio: round((spamreport / delivered) * 100),
    },
  };
}
