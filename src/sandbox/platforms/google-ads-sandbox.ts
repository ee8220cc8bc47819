/**
 * @module
 * Fake Google Ads API over REST (contract: docs/platforms/google-ads.md): OAuth2
 * refresh at `/oauth2/v3/token`, `googleAds:searchStream` with a minimal GAQL parser (an
 * array of batches, lowerCamelCase keys, int64 as strings, zero metrics omitted as proto3 JSON
 * does, `fieldMask` and `requestId`), `campaigns:mutate` and `campaignBudgets:mutate` with
 * `updateMask`, Customer Match offline user data jobs that accept only SHA-256 hex, a
 * `request-id` header on every answer, and `google.rpc.Status` errors with a
 * `GoogleAdsFailure` detail.
 *
 * Sandbox conventions: access tokens start with `ya29.`, refresh tokens with `1//`; the
 * account bills in USD in `America/New_York` and has campaigns 111 (budget 222) and 112
 * (budget 223); Explorer access, 2,880 operations per customer a day. A retired version
 * answers Google's HTML 404 page. A campaign reports metrics only for the days a client had it
 * `ENABLED` (see {@link AdLedger}): the seeded status alone spends nothing.
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';
import { AdLedger, type AdDay } from '../ad-delivery.js';

/** Explorer access: 2,880 production operations a day. */
export const GOOGLE_ADS_SANDBOX_QUOTA = { limit: 2880, windowMs: 86_400_000 } as const;

const SHA256 = /^[a-f0-9]{64}$/;
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  customer: ['customer.currency_code', 'customer.time_zone', 'customer.id'],
  campaign: [
    'campaign.id',
    'campaign.name',
    'campaign.status',
    'campaign.campaign_budget',
    'segments.date',
    'metrics.impressions',
    'metrics.clicks',
    'metrics.cost_micros',
    'metrics.conversions',
    'metrics.conversions_value',
    'metrics.ctr',
    'metrics.average_cpc',
  ],
  campaign_budget: ['campaign_budget.id', 'campaign_budget.amount_micros'],
};

interface Campaign {
  readonly id: string;
  readonly name: string;
  status: string;
  readonly budget: string;
}

const camel = (snake: string): string =>
  snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function failure(
  status: number,
  rpcStatus: string,
  category: string,
  value: string,
  message: string,
  details?: Record<string, unknown>,
): SandboxResponse {
  return {
    status,
    body: {
      error: {
        code: status,
        message,
        status: rpcStatus,
        details: [
          {
            '@type': 'type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure',
            errors: [
              { errorCode: { [category]: value }, message, ...(details ? { details } : {}) },
            ],
            requestId: 'sandbox-error',
          },
        ],
      },
    },
  };
}

const invalid = (category: string, value: string, message: string): SandboxResponse =>
  failure(400, 'INVALID_ARGUMENT', category, value, message);

/** Builds the fake Google Ads API. */
export function createGoogleAdsSandbox(context: SandboxContext): PlatformSandbox {
  const campaigns = new Map<string, Campaign>([
    ['111', { id: '111', name: 'Brand', status: 'ENABLED', budget: '222' }],
    ['112', { id: '112', name: 'Generic', status: 'ENABLED', budget: '223' }],
  ]);
  const budgets = new Map<string, string>([
    ['222', '50000000'],
    ['223', '20000000'],
  ]);
  const ledger = new AdLedger(context.seed, 'google_ads', 'America/New_York', () =>
    context.clock.now(),
  );
  for (const c of campaigns.values()) ledger.setBudget(c.id, Number(budgets.get(c.budget)) / 1e6);
  const jobs = new Map<string, number>();
  const seen = new Set<string>();
  const expired = new Set<string>();
  let issued = 0;
  let serial = 0;
  const requestId = (): string => {
    serial++;
    return `sandbox-${String(serial).padStart(6, '0')}`;
  };

  const gaql = (customerId: string, body: Record<string, unknown>): SandboxResponse => {
    const query = typeof body.query === 'string' ? body.query : '';
    const parsed = /^SELECT (.+?) FROM (\w+)(?: WHERE (.+?))?(?: ORDER BY .+)?$/.exec(query);
    if (!parsed) return invalid('queryError', 'PROHIBITED_CLAUSE_IN_WHERE', 'Error in query.');
    const [, select = '', resource = '', where = ''] = parsed;
    const fields = select.split(',').map((f) => f.trim());
    const allowed = FIELDS[resource];
    const unknown = fields.filter((f) => !allowed?.includes(f));
    if (!allowed || unknown.length > 0)
      return invalid(
        'queryError',
        'UNRECOGNIZED_FIELD',
        `Unrecognized fields in the query: '${unknown.join("', '")}'.`,
      );
    const records: Record<string, Record<string, unknown>>[] = [];
    const idIs = /\.id = (\d+)/.exec(where)?.[1];
    const idIn = /campaign\.id IN \(([\d, ]+)\)/
      .exec(where)?.[1]
      ?.split(',')
      .map((s) => s.trim());
    if (resource === 'customer') {
      records.push({
        customer: { id: customerId, currency_code: 'USD', time_zone: 'America/New_York' },
      });
    } else if (resource === 'campaign_budget') {
      const amount = idIs === undefined ? undefined : budgets.get(idIs);
      if (amount !== undefined)
        records.push({ campaign_budget: { id: idIs, amount_micros: amount } });
    } else {
      const range = /segments\.date BETWEEN '(\d{4}-\d{2}-\d{2})' AND '(\d{4}-\d{2}-\d{2})'/.exec(
        where,
      );
      const chosen = [...campaigns.values()].filter(
        (c) => (idIs === undefined || c.id === idIs) && (idIn === undefined || idIn.includes(c.id)),
      );
      const days: (string | undefined)[] = [];
      if (range) {
        for (
          let t = Date.parse(`${range[1]!}T00:00:00Z`);
          t <= Date.parse(`${range[2]!}T00:00:00Z`);
          t += 86_400_000
        ) {
          days.push(new Date(t).toISOString().slice(0, 10));
        }
      } else days.push(undefined);
      for (const day of days) {
        for (const c of chosen) {
          const metrics = day === undefined ? undefined : ledger.day(c.id, day);
          if (day !== undefined && metrics === undefined) continue;
          records.push({
            campaign: {
              id: c.id,
              name: c.name,
              status: c.status,
              campaign_budget: `customers/${customerId}/campaignBudgets/${c.budget}`,
            },
            ...(day && metrics ? { segments: { date: day }, metrics: protoMetrics(metrics) } : {}),
          });
        }
      }
    }
    const results = records.map((record) => {
      const row: Record<string, Record<string, unknown>> = {};
      for (const field of fields) {
        const [res = '', name = ''] = field.split('.');
        const value = record[res]?.[name];
        if (value === undefined) continue;
        const key = camel(res);
        row[key] ??=
          res === 'segments' || res === 'metrics'
            ? {}
            : { resourceName: `customers/${customerId}/${key}s/${String(record[res]?.id)}` };
        row[key][camel(name)] = value;
      }
      return row;
    });
    return {
      status: 200,
      body: [
        {
          results,
          fieldMask: fields.map((f) => f.split('.').map(camel).join('.')).join(','),
          requestId: requestId(),
          queryResourceConsumption: String(results.length),
        },
      ],
    };
  };

  const mutate = (
    customerId: string,
    kind: string,
    body: Record<string, unknown>,
  ): SandboxResponse => {
    const operations = Array.isArray(body.operations)
      ? (body.operations as Record<string, unknown>[])
      : [];
    if (operations.length === 0)
      return invalid('requestError', 'EMPTY_OPERATIONS', 'No operations');
    const results: { resourceName: string }[] = [];
    for (const op of operations) {
      const update = op.update as Record<string, unknown> | undefined;
      if (!update || typeof op.updateMask !== 'string')
        return invalid('fieldMaskError', 'FIELD_MASK_MISSING', 'The field mask is missing.');
      const name = String(update.resourceName);
      const id = name.split('/').at(-1)!;
      if (
        !name.startsWith(`customers/${customerId}/${kind}/`) ||
        !(kind === 'campaigns' ? campaigns.has(id) : budgets.has(id))
      )
        return invalid('mutateError', 'RESOURCE_NOT_FOUND', 'The resource was not found.');
      if (kind === 'campaigns') {
        if (
          update.status !== 'ENABLED' &&
          update.status !== 'PAUSED' &&
          update.status !== 'REMOVED'
        )
          return invalid('fieldError', 'INVALID_VALUE', 'The status is not valid.');
        campaigns.get(id)!.status = update.status;
        ledger.setLive(id, update.status === 'ENABLED');
      } else {
        const micros = Number(update.amountMicros);
        if (!Number.isInteger(micros) || micros <= 0 || micros % 10_000 !== 0)
          return invalid(
            'campaignBudgetError',
            'NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT',
            'The budget amount is not a multiple of the minimum currency unit.',
          );
        budgets.set(id, String(micros));
        for (const c of campaigns.values())
          if (c.budget === id) ledger.setBudget(c.id, micros / 1e6);
      }
      results.push({ resourceName: name });
    }
    return { status: 200, body: { results } };
  };

  const jobCall = (
    customerId: string,
    rest: string,
    body: Record<string, unknown>,
  ): SandboxResponse => {
    if (rest === 'offlineUserDataJobs:create') {
      const job = body.job as
        { type?: unknown; customerMatchUserListMetadata?: { userList?: unknown } } | undefined;
      const list = String(job?.customerMatchUserListMetadata?.userList);
      if (
        job?.type !== 'CUSTOMER_MATCH_USER_LIST' ||
        !new RegExp(`^customers/${customerId}/userLists/\\d+$`).test(list)
      )
        return invalid(
          'offlineUserDataJobError',
          'INVALID_USER_LIST_ID',
          'The user list is not valid.',
        );
      serial++;
      const name = `customers/${customerId}/offlineUserDataJobs/${serial}`;
      jobs.set(name, 0);
      return { status: 200, body: { resourceName: name } };
    }
    const [job = '', verb] = rest.split(':');
    const name = `customers/${customerId}/${job}`;
    if (!jobs.has(name))
      return invalid('mutateError', 'RESOURCE_NOT_FOUND', 'The job was not found.');
    if (verb === 'run')
      return { status: 200, body: { name: `customers/${customerId}/operations/${serial}` } };
    const operations = Array.isArray(body.operations)
      ? (body.operations as { create?: { userIdentifiers?: unknown[] } }[])
      : [];
    for (const op of operations) {
      for (const identifier of op.create?.userIdentifiers ?? []) {
        for (const [key, value] of Object.entries(identifier as Record<string, unknown>)) {
          if (key.startsWith('hashed') && (typeof value !== 'string' || !SHA256.test(value)))
            return invalid(
              'offlineUserDataJobError',
              'INVALID_SHA256_FORMAT',
              'The SHA256 encoded value is malformed.',
            );
        }
      }
    }
    jobs.set(name, jobs.get(name)! + operations.length);
    return { status: 200, body: {} };
  };

  const token = (form: Record<string, unknown>): SandboxResponse => {
    if (
      form.grant_type !== 'refresh_token' ||
      typeof form.refresh_token !== 'string' ||
      !form.refresh_token.startsWith('1//')
    )
      return { status: 400, body: { error: 'invalid_grant', error_description: 'Bad Request' } };
    if (typeof form.client_id !== 'string' || typeof form.client_secret !== 'string')
      return { status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } };
    issued++;
    return {
      status: 200,
      body: {
        access_token: `ya29.sandbox-${issued}`,
        expires_in: 3599,
        scope: 'https://www.googleapis.com/auth/adwords',
        token_type: 'Bearer',
      },
    };
  };

  const unauthenticated = (): SandboxResponse =>
    failure(
      401,
      'UNAUTHENTICATED',
      'authenticationError',
      'OAUTH_TOKEN_EXPIRED',
      'OAuth token in the header has expired.',
    );

  return {
    platform: 'google_ads',
    lane(request: ReceivedRequest): QuotaLane | undefined {
      const customerId = /^\/v\d+\/customers\/(\d+)\//.exec(request.path)?.[1];
      return customerId
        ? { key: `customer:${customerId}`, ...GOOGLE_ADS_SANDBOX_QUOTA }
        : undefined;
    },
    handle(request: ReceivedRequest): SandboxResponse {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (request.path === '/oauth2/v3/token') return token(body);
      const header = request.headers.authorization ?? '';
      const bearer = header.startsWith('Bearer ') ? header.slice(7) : '';
      if (!bearer.startsWith('ya29.') || expired.has(bearer)) return unauthenticated();
      seen.add(bearer);
      const match = /^\/v\d+\/customers\/(\d+)\/(.+)$/.exec(request.path);
      if (!match || request.method !== 'POST')
        return { status: 404, body: 'The requested URL was not found on this server.' };
      const [, customerId = '', rest = ''] = match;
      const answer =
        rest === 'googleAds:searchStream'
          ? gaql(customerId, body)
          : rest === 'campaigns:mutate'
            ? mutate(customerId, 'campaigns', body)
            : rest === 'campaignBudgets:mutate'
              ? mutate(customerId, 'campaignBudgets', body)
              : rest.startsWith('offlineUserDataJobs')
                ? jobCall(customerId, rest, body)
                : { status: 404, body: 'The requested URL was not found on this server.' };
      return { ...answer, headers: { 'request-id': requestId() } };
    },
    rateLimited: (retryAfterSeconds) =>
      failure(
        429,
        'RESOURCE_EXHAUSTED',
        'quotaError',
        'RESOURCE_TEMPORARILY_EXHAUSTED',
        'Too many requests. Retry in a while.',
        {
          quotaErrorDetails: {
            rateScope: 'DEVELOPER',
            rateName: 'Number of operations',
            retryDelay: `${retryAfterSeconds}s`,
          },
        },
      ),
    serverError: (status) =>
      status === 503
        ? failure(
            503,
            'UNAVAILABLE',
            'internalError',
            'TRANSIENT_ERROR',
            'The service is currently unavailable.',
          )
        : failure(
            status,
            'INTERNAL',
            'internalError',
            'INTERNAL_ERROR',
            'An internal error has occurred.',
          ),
    expiredToken: unauthenticated,
    versionSunset: () => ({ status: 404, body: 'The requested URL was not found on this server.' }),
    expireTokens() {
      for (const t of seen) expired.add(t);
    },
  };
}

/** A day of delivery typed as proto3 JSON sends it: int64 as strings, zero values omitted. */
function protoMetrics(day: AdDay): Record<string, unknown> {
  const costMicros = Math.round(day.spend * 1e6);
  const metrics: Record<string, unknown> = {};
  if (day.impressions > 0) metrics.impressions = String(day.impressions);
  if (costMicros > 0) metrics.cost_micros = String(costMicros);
  if (day.clicks > 0) {
    metrics.clicks = String(day.clicks);
    metrics.ctr = day.clicks / day.impressions;
    metrics.average_cpc = costMicros / day.clicks;
  }
  if (day.conversions > 0) {
    metrics.conversions = day.conversions;
    metrics.conversions_value = day.value;
  }
  return metrics;
}
