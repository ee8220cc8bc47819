/**
 * @module
 * Fake GA4 Data API v1beta (contract: docs/platforms/ga4.md): OAuth2 refresh at
 * `/oauth2/v3/token`, `POST /v1beta/properties/{id}:runReport` with every value a string,
 * `date` as `YYYYMMDD`, headers in request order, `rowCount`, `metadata.currencyCode/timeZone`,
 * limit/offset paging, `propertyQuota` on request, `google.rpc.Status` errors and 429
 * `RESOURCE_EXHAUSTED` naming the exhausted quota.
 *
 * Sandbox conventions: property 123456789 reports in EUR in `Europe/Paris`; access tokens
 * start with `ya29.`, refresh tokens with `1//`; three session campaigns; 1,400 reports per
 * property an hour. A throttle of a minute or more names hourly tokens, a shorter one
 * concurrent requests.
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';
import { fnv1a, seededRandom } from '../../seeded-random.js';

/** Reports per property an hour (14,000 tokens at 10 a report). */
export const GA4_SANDBOX_QUOTA = { limit: 1400, windowMs: 3_600_000 } as const;

const PROPERTY = '123456789';
const CAMPAIGNS = ['(direct)', 'winter_sale', 'newsletter'] as const;
const TYPES: Readonly<Record<string, string>> = {
  sessions: 'TYPE_INTEGER',
  activeUsers: 'TYPE_INTEGER',
  newUsers: 'TYPE_INTEGER',
  engagementRate: 'TYPE_FLOAT',
  keyEvents: 'TYPE_FLOAT',
  totalRevenue: 'TYPE_CURRENCY',
};

function status(code: number, rpc: string, message: string): SandboxResponse {
  return { status: code, body: { error: { code, message, status: rpc } } };
}

/** Builds the fake GA4 Data API. */
export function createGa4Sandbox(context: SandboxContext): PlatformSandbox {
  const seen = new Set<string>();
  const expired = new Set<string>();
  let issued = 0;

  const runReport = (body: Record<string, unknown>): SandboxResponse => {
    const ranges = Array.isArray(body.dateRanges)
      ? (body.dateRanges as { startDate?: string; endDate?: string }[])
      : [];
    const dims = ((body.dimensions ?? []) as { name: string }[]).map((d) => d.name);
    const metrics = ((body.metrics ?? []) as { name: string }[]).map((m) => m.name);
    const unknown = [
      ...dims.filter((d) => d !== 'date' && d !== 'sessionCampaignName'),
      ...metrics.filter((m) => !(m in TYPES)),
    ];
    if (unknown.length > 0)
      return status(
        400,
        'INVALID_ARGUMENT',
        `Field ${unknown[0]!} is not a valid dimension or metric.`,
      );
    const range = ranges[0];
    const start = Date.parse(`${range?.startDate ?? ''}T00:00:00Z`);
    const end = Date.parse(`${range?.endDate ?? ''}T00:00:00Z`);
    if (ranges.length !== 1 || !Number.isFinite(start) || !Number.isFinite(end) || end < start)
      return status(400, 'INVALID_ARGUMENT', 'Invalid date range.');
    const wanted = (
      body.dimensionFilter as { filter?: { inListFilter?: { values?: string[] } } } | undefined
    )?.filter?.inListFilter?.values;
    const all: unknown[] = [];
    for (let t = start; t <= end; t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      for (const campaign of CAMPAIGNS) {
        if (wanted && !wanted.includes(campaign)) continue;
        const values = ga4Metrics(context.seed, campaign, day);
        if (metrics.every((m) => Number(values[m]) === 0)) continue;
        all.push({
          dimensionValues: dims.map((d) => ({
            value: d === 'date' ? day.replaceAll('-', '') : campaign,
          })),
          metricValues: metrics.map((m) => ({ value: values[m]! })),
        });
      }
    }
    const offset = Number(body.offset ?? 0);
    const limit = Number(body.limit ?? 10_000);
    const rows = all.slice(offset, offset + limit);
    return {
      status: 200,
      body: {
        dimensionHeaders: dims.map((name) => ({ name })),
        metricHeaders: metrics.map((name) => ({ name, type: TYPES[name] })),
        ...(rows.length > 0 ? { rows } : {}),
        ...(all.length > 0 ? { rowCount: all.length } : {}),
        metadata: { currencyCode: 'EUR', timeZone: 'Europe/Paris' },
        ...(body.returnPropertyQuota === true
          ? { propertyQuota: { tokensPerHour: { consumed: 10, remaining: 39_990 } } }
          : {}),
        kind: 'analyticsData#runReport',
      },
    };
  };

  const token = (form: Record<string, unknown>): SandboxResponse => {
    if (
      form.grant_type !== 'refresh_token' ||
      typeof form.refresh_token !== 'string' ||
      !form.refresh_token.startsWith('1//')
    )
      return { status: 400, body: { error: 'invalid_grant', error_description: 'Bad Request' } };
    issued++;
    return {
      status: 200,
      body: { access_token: `ya29.ga4-${issued}`, expires_in: 3599, token_type: 'Bearer' },
    };
  };

  return {
    platform: 'ga4',
    lane(request: ReceivedRequest): QuotaLane | undefined {
      return request.path.startsWith('/v1beta/')
        ? { key: request.path, ...GA4_SANDBOX_QUOTA }
        : undefined;
    },
    handle(request: ReceivedRequest): SandboxResponse {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (request.path === '/oauth2/v3/token') return token(body);
      const header = request.headers.authorization ?? '';
      const bearer = header.startsWith('Bearer ') ? header.slice(7) : '';
      if (!bearer.startsWith('ya29.') || expired.has(bearer))
        return status(
          401,
          'UNAUTHENTICATED',
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        );
      seen.add(bearer);
      const match = /^\/v1beta\/properties\/(\d+):runReport$/.exec(request.path);
      if (!match || request.method !== 'POST') return { status: 404, body: 'Not Found' };
      if (match[1] !== PROPERTY)
        return status(
          403,
          'PERMISSION_DENIED',
          'User does not have sufficient permissions for this property.',
        );
      return runReport(body);
    },
    rateLimited: (retryAfterSeconds) =>
      status(
        429,
        'RESOURCE_EXHAUSTED',
        retryAfterSeconds >= 60
          ? 'Exhausted property tokens per hour for a project per property. These quota tokens will return in under an hour.'
          : 'Exhausted concurrent requests quota for this property.',
      ),
    serverError: (code) =>
      status(code, code === 503 ? 'UNAVAILABLE' : 'INTERNAL', 'Internal error encountered.'),
    expiredToken: () =>
      status(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'),
    versionSunset: () => ({ status: 404, body: 'Not Found' }),
    expireTokens() {
      for (const t of seen) expired.add(t);
    },
  };
}

/** Reproducible daily metrics of one session campaign, as GA4's strings. */
export function ga4Metrics(seed: number, campaign: string, date: string): Record<string, string> {
  const random = seededRandom(seed ^ fnv1a(`ga4:${campaign}:${date}`));
  const sessions = Math.floor(random() * 3000);
  const activeUsers = Math.floor(sessions * (0.7 + 0.2 * random()));
  const keyEvents = Math.floor(sessions * 0.03 * random());
  return {
    sessions: String(sessions),
    activeUsers: String(activeUsers),
    newUsers: String(Math.floor(activeUsers * 0.4 * random())),
    engagementRate: sessions > 0 ? (0.4 + 0.3 * random()).toFixed(6) : '0',
    keyEvents: String(keyEvents),
    totalRevenue: (keyEvents * 35 * random()).toFixed(2),
  };
}
