/**
 * @module
 * Google Ads API over REST (contract: google-ads.md): campaign status and budget mutates,
 * Customer Match uploads of SHA-256-hashed identifiers through an offline user data job, and
 * daily GAQL reports through `googleAds:searchStream` in the account's currency and zone.
 *
 * Exactly-once: Google Ads has no idempotency key (contract §8); every answer's `request-id`
 * is returned in `outputs.requestId`. Status and budget updates are naturally idempotent, so
 * `reconcile` reads the campaign or budget back with GAQL: already in the requested state is
 * `done`, anything else `not_found`. Customer Match jobs cannot be matched to a request:
 * `unknown` (re-adding the same hashes is harmless).
 */
import type {
  ActionRequest,
  ActionResult,
  Connector,
  ConnectorHealth,
  MetricsRequest,
  MetricsRow,
  Reconciliation,
} from '../connector.js';
import { readSettings } from '../connector-credentials.js';
import { clientOptions, type ConnectorDeps } from '../connector-deps.js';
import { ConnectorError } from '../connector-error.js';
import { googleRefreshAuth } from '../google-oauth.js';
import { HttpClient, type HttpRequest, type HttpResponse } from '../http-client.js';
import type { RateQuota } from '../quota-limiter.js';
import { GOOGLE_ADS_API_VERSION, uploadCustomerMatch } from './google-ads-customer-match.js';
import { interpretGoogleAds, withGoogleRetryAfter } from './google-ads-error-codes.js';
import { MutateResponse, SearchStreamResponse, type GaqlRow } from './google-ads-schemas.js';

/**
 * Operations per sliding day by access level (contract §2, §4). The level is not visible to
 * Herald, so Explorer's 2,880 production operations a day is the default; Standard is
 * unlimited per day and bounded here by an assumed 1,000 a minute (unconfirmed).
 */
export const GOOGLE_ADS_QUOTAS: Readonly<Record<string, RateQuota>> = {
  explorer: { limit: 2880, windowMs: 86_400_000 },
  basic: { limit: 15_000, windowMs: 86_400_000 },
  standard: { limit: 1000, windowMs: 60_000 },
};

/** Budgets are rounded to this many micros, one cent (the billable unit is unconfirmed). */
const BILLABLE_MICROS = 10_000;
const REPORT_FIELDS = [
  'metrics.impressions',
  'metrics.clicks',
  'metrics.cost_micros',
  'metrics.conversions',
  'metrics.conversions_value',
  'metrics.ctr',
  'metrics.average_cpc',
];

type Plan =
  | { readonly kind: 'status'; readonly id: string; readonly status: 'ENABLED' | 'PAUSED' }
  | {
      readonly kind: 'budget';
      readonly id: string | undefined;
      readonly campaignId: string | undefined;
    }
  | { readonly kind: 'audience'; readonly userList: string };

/**
 * Builds the Google Ads connector. Settings: `customerId` (`GOOGLE_ADS_CUSTOMER_ID`, digits),
 * `clientId`, `clientSecret`, `refreshToken` (`GOOGLE_ADS_CLIENT_ID`, `GOOGLE_ADS_CLIENT_SECRET`,
 * `GOOGLE_ADS_REFRESH_TOKEN`); optional `developerToken` (`GOOGLE_ADS_DEVELOPER_TOKEN`, sent
 * when set although ignored since its 2026-09-09 sunset), `accessToken`
 * (`GOOGLE_ADS_ACCESS_TOKEN`), `loginCustomerId` (`GOOGLE_ADS_LOGIN_CUSTOMER_ID`), `accessLevel`
 * (`GOOGLE_ADS_ACCESS_LEVEL`: explorer, basic or standard), `baseUrl`. Step options:
 * `campaignId`, `budgetId`, `userListId`.
 * @example
 * const google = createGoogleAdsConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createGoogleAdsConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'google_ads',
    [
      { key: 'customerId', env: 'GOOGLE_ADS_CUSTOMER_ID' },
      { key: 'clientId', env: 'GOOGLE_ADS_CLIENT_ID' },
      { key: 'clientSecret', env: 'GOOGLE_ADS_CLIENT_SECRET' },
      { key: 'refreshToken', env: 'GOOGLE_ADS_REFRESH_TOKEN' },
      { key: 'developerToken', env: 'GOOGLE_ADS_DEVELOPER_TOKEN', required: false },
      { key: 'accessToken', env: 'GOOGLE_ADS_ACCESS_TOKEN', required: false },
      { key: 'loginCustomerId', env: 'GOOGLE_ADS_LOGIN_CUSTOMER_ID', required: false },
      { key: 'accessLevel', env: 'GOOGLE_ADS_ACCESS_LEVEL', required: false },
      { key: 'baseUrl', env: 'GOOGLE_ADS_BASE_URL', required: false },
    ],
    deps,
  );
  const customerId = settings.customerId!.replace(/-/g, '');
  const resourcePrefix = `customers/${customerId}`;
  const customer = `/${GOOGLE_ADS_API_VERSION}/${resourcePrefix}`;
  let lastWaitMs = 0;

  const auth = googleRefreshAuth({
    client: () => client,
    ...(deps.baseUrl ? { baseUrl: deps.baseUrl } : {}),
    clientId: settings.clientId!,
    clientSecret: settings.clientSecret!,
    refreshToken: settings.refreshToken!,
    ...(settings.accessToken === undefined ? {} : { accessToken: settings.accessToken }),
    decorate: (request) => {
      if (settings.developerToken) request.headers['developer-token'] = settings.developerToken;
      if (settings.loginCustomerId) {
        request.headers['login-customer-id'] = settings.loginCustomerId.replace(/-/g, '');
      }
    },
    ...(settings.developerToken ? { secrets: [settings.developerToken] } : {}),
  });
  const client: HttpClient = new HttpClient({
    platform: 'google_ads',
    baseUrl: deps.baseUrl ?? settings.baseUrl ?? 'https://googleads.googleapis.com',
    apiVersion: GOOGLE_ADS_API_VERSION,
    successorVersion: 'the newest major on the Google Ads sunset-dates page',
    auth,
    clock: deps.clock,
    limiter: deps.limiter,
    quota: GOOGLE_ADS_QUOTAS[settings.accessLevel ?? 'explorer'] ?? GOOGLE_ADS_QUOTAS.explorer!,
    account: customerId,
    interpret: interpretGoogleAds,
    ...clientOptions(deps),
    fetch: withGoogleRetryAfter(deps.fetch, (waitMs) => {
      lastWaitMs = waitMs;
    }),
  });

  const call = async <T>(request: HttpRequest<T>): Promise<HttpResponse<T>> => {
    try {
      return await client.request(request);
    } catch (error) {
      if (!(error instanceof ConnectorError) || error.code !== 'quota_exhausted') throw error;
      throw new ConnectorError({
        platform: 'google_ads',
        code: 'quota_exhausted',
        message: error.message.replace(/^google_ads: /, ''),
        status: error.status!,
        retryAfterMs: lastWaitMs,
        platformCode: error.platformCode!,
        platformMessage: error.platformMessage!,
      });
    }
  };

  const search = async (query: string, signal?: AbortSignal): Promise<GaqlRow[]> => {
    const response = await call({
      method: 'POST',
      path: `${customer}/googleAds:searchStream`,
      body: { query },
      idempotent: true,
      schema: SearchStreamResponse,
      ...(signal ? { signal } : {}),
    });
    return response.data.flatMap((batch) => batch.results);
  };

  let account: Promise<{ currency: string; timeZone: string }> | undefined;
  const customerInfo = (signal?: AbortSignal) => {
    account ??= search(
      'SELECT customer.currency_code, customer.time_zone FROM customer',
      signal,
    ).then(
      ([row]) => ({
        currency: String(row?.customer?.currencyCode),
        timeZone: String(row?.customer?.timeZone),
      }),
      (error: unknown) => {
        account = undefined;
        throw error;
      },
    );
    return account;
  };

  const invalid = (message: string): ConnectorError =>
    new ConnectorError({ platform: 'google_ads', code: 'invalid_request', message });

  const digits = (value: unknown): string | undefined =>
    typeof value === 'string' && /^\d+$/.test(value) ? value : undefined;

  const plan = (request: ActionRequest): Plan => {
    const campaignId = digits(request.options.campaignId);
    if (request.action === 'audience_sync') {
      const list = digits(request.options.userListId);
      if (!list) throw invalid('audience_sync needs options.userListId (digits)');
      return { kind: 'audience', userList: `${resourcePrefix}/userLists/${list}` };
    }
    if (request.action === 'budget_change') {
      const budgetId = digits(request.options.budgetId);
      if (request.budget?.period !== 'daily' || (!budgetId && !campaignId))
        throw invalid('budget_change needs a daily budget and options.budgetId or campaignId');
      return { kind: 'budget', id: budgetId, campaignId };
    }
    if ((request.action === 'ad_launch' || request.action === 'ad_pause') && campaignId) {
      return {
        kind: 'status',
        id: campaignId,
        status: request.action === 'ad_launch' ? 'ENABLED' : 'PAUSED',
      };
    }
    throw invalid(
      `${request.action} needs options.campaignId; Herald does not create Google Ads campaigns`,
    );
  };

  const budgetOf = async (
    step: Extract<Plan, { kind: 'budget' }>,
    signal?: AbortSignal,
  ): Promise<string> => {
    if (step.id) return step.id;
    const [row] = await search(
      `SELECT campaign.campaign_budget FROM campaign WHERE campaign.id = ${step.campaignId!}`,
      signal,
    );
    const resource = row?.campaign?.campaignBudget;
    if (typeof resource !== 'string') throw invalid(`campaign ${step.campaignId!} has no budget`);
    return resource.split('/').at(-1)!;
  };

  const amountMicros = async (request: ActionRequest): Promise<string> => {
    const { currency } = await customerInfo(request.signal);
    if (currency !== request.currency)
      throw invalid(`the budget is in ${request.currency} but the account bills in ${currency}`);
    return String(
      Math.round((request.budget!.amount * 1_000_000) / BILLABLE_MICROS) * BILLABLE_MICROS,
    );
  };

  const result = (id: string, requestId: string | null): ActionResult => ({
    externalId: id,
    outputs: { id, ...(requestId ? { requestId } : {}) },
    accepted: 1,
  });

  return {
    platform: 'google_ads',
    capabilities: ['launch_ads', 'pause_ads', 'change_budget', 'sync_audience', 'fetch_metrics'],
    maxBatchSize: 10_000,
    async perform(request: ActionRequest): Promise<ActionResult> {
      const step = plan(request);
      const signal = request.signal ? { signal: request.signal } : {};
      if (step.kind === 'audience') {
        return uploadCustomerMatch(request, step.userList, { call, customerPath: customer });
      }
      const [resource, path, update, mask] =
        step.kind === 'status'
          ? [
              `${resourcePrefix}/campaigns/${step.id}`,
              'campaigns:mutate',
              { status: step.status },
              'status',
            ]
          : [
              `${resourcePrefix}/campaignBudgets/${await budgetOf(step, request.signal)}`,
              'campaignBudgets:mutate',
              { amountMicros: await amountMicros(request) },
              'amount_micros',
            ];
      const response = await call({
        method: 'POST',
        path: `${customer}/${path}`,
        // Setting the same status or amount twice has the same effect (contract §8).
        idempotent: true,
        schema: MutateResponse,
        body: {
          operations: [{ update: { resourceName: resource, ...update }, updateMask: mask }],
        },
        ...signal,
      });
      const id = resource.split('/').at(-1)!;
      return result(id, response.headers.get('request-id'));
    },
    async reconcile(request: ActionRequest): Promise<Reconciliation> {
      const step = plan(request);
      if (step.kind === 'audience') {
        return {
          status: 'unknown',
          reason:
            'Customer Match jobs carry no request marker; re-adding the same hashes is harmless',
        };
      }
      const id = step.kind === 'status' ? step.id : await budgetOf(step, request.signal);
      const [row] =
        step.kind === 'status'
          ? await search(
              `SELECT campaign.status FROM campaign WHERE campaign.id = ${id}`,
              request.signal,
            )
          : await search(
              `SELECT campaign_budget.amount_micros FROM campaign_budget WHERE campaign_budget.id = ${id}`,
              request.signal,
            );
      const applied =
        step.kind === 'status'
          ? row?.campaign?.status === step.status
          : String(row?.campaignBudget?.amountMicros) === (await amountMicros(request));
      return applied ? { status: 'done', result: result(id, null) } : { status: 'not_found' };
    },
    async fetchMetrics(query: MetricsRequest): Promise<readonly MetricsRow[]> {
      const { currency, timeZone } = await customerInfo(query.signal);
      const only = query.entities?.filter((e) => /^\d+$/.test(e)) ?? [];
      const where = only.length > 0 ? ` AND campaign.id IN (${only.join(', ')})` : '';
      const rows = await search(
        `SELECT campaign.id, segments.date, ${REPORT_FIELDS.join(', ')} FROM campaign WHERE segments.date BETWEEN '${query.from}' AND '${query.to}'${where} ORDER BY segments.date`,
        query.signal,
      );
      return rows.map((row) => ({
        date: String(row.segments?.date),
        entity: String(row.campaign?.id),
        metrics: (row.metrics ?? {}) as Record<string, number | string>,
        currency,
        timeZone,
      }));
    },
    health: (): ConnectorHealth => client.health(),
  };
}
