/**
 * @module
 * TikTok API for Business v1.3 (contract: tiktok-ads.md): campaign and ad group status,
 * campaign budgets in major units, and the daily integrated report with metrics kept as the
 * strings TikTok sends. Auth is the long-lived advertiser token in the `Access-Token` header;
 * errors and throttles come as HTTP 200 envelopes.
 *
 * Exactly-once: no idempotency key (contract §8), but status and budget updates are naturally
 * idempotent, so `reconcile` reads the campaign back with `/campaign/get/`: already in the
 * requested state is `done`, any other state `not_found`. Ad groups cannot be read back here:
 * `unknown`.
 */
import { apiKeyAuth } from '../auth-strategy.js';
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
import { HttpClient, type HttpRequest } from '../http-client.js';
import type { RateQuota } from '../quota-limiter.js';
import { interpretTikTok, withTikTokRetryAfter } from './tiktok-error-codes.js';
import { AdvertiserInfo, CampaignGet, ReportPage, WriteResponse } from './tiktok-schemas.js';

/** Basic tier: 10 QPS / 600 QPM per developer app (contract §4). */
export const TIKTOK_QUOTA: RateQuota = { limit: 600, windowMs: 60_000 };
/** Rows per report page (TikTok's maximum). */
const REPORT_PAGE_SIZE = 1000;
/** Longest date range of a daily report (contract §3a). */
const MAX_REPORT_DAYS = 30;
const REPORT_METRICS = [
  'spend',
  'impressions',
  'clicks',
  'ctr',
  'cpc',
  'cpm',
  'reach',
  'conversion',
  'total_complete_payment_rate',
];

type Plan =
  | {
      readonly kind: 'status';
      readonly level: 'campaign' | 'adgroup';
      readonly id: string;
      readonly status: 'ENABLE' | 'DISABLE';
    }
  | {
      readonly kind: 'budget';
      readonly id: string;
      readonly budget: number;
      readonly mode: string;
    };

/**
 * Builds the TikTok connector. Settings: `accessToken` (`TIKTOK_ACCESS_TOKEN`), `advertiserId`
 * (`TIKTOK_ADVERTISER_ID`); optional `baseUrl` (`TIKTOK_BASE_URL`, e.g. TikTok's sandbox).
 * Step options: `campaignId` or `adGroupId`.
 * @example
 * const tiktok = createTikTokConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createTikTokConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'tiktok',
    [
      { key: 'accessToken', env: 'TIKTOK_ACCESS_TOKEN' },
      { key: 'advertiserId', env: 'TIKTOK_ADVERTISER_ID' },
      { key: 'baseUrl', env: 'TIKTOK_BASE_URL', required: false },
    ],
    deps,
  );
  const advertiserId = settings.advertiserId!;
  const client = new HttpClient({
    platform: 'tiktok',
    baseUrl: deps.baseUrl ?? settings.baseUrl ?? 'https://business-api.tiktok.com',
    apiVersion: 'v1.3',
    successorVersion: 'the version in the TikTok API for Business versioning timeline',
    auth: apiKeyAuth({ key: settings.accessToken!, header: 'access-token', scheme: '' }),
    clock: deps.clock,
    limiter: deps.limiter,
    quota: TIKTOK_QUOTA,
    account: advertiserId,
    interpret: interpretTikTok,
    ...clientOptions(deps),
    fetch: withTikTokRetryAfter(deps.fetch),
  });
  const call = async <T>(request: HttpRequest<T>): Promise<T> =>
    (await client.request({ ...request, path: `/open_api/v1.3${request.path}` })).data;

  let info: Promise<{ currency: string; timeZone: string }> | undefined;
  const advertiser = (signal?: AbortSignal) => {
    info ??= call({
      method: 'GET',
      path: '/advertiser/info/',
      query: {
        advertiser_ids: JSON.stringify([advertiserId]),
        fields: JSON.stringify(['currency', 'timezone']),
      },
      idempotent: true,
      schema: AdvertiserInfo,
      ...(signal ? { signal } : {}),
    }).then(
      (response) => ({
        currency: response.data.list[0]!.currency,
        timeZone: response.data.list[0]!.timezone,
      }),
      (error: unknown) => {
        info = undefined;
        throw error;
      },
    );
    return info;
  };

  const invalid = (message: string): ConnectorError =>
    new ConnectorError({ platform: 'tiktok', code: 'invalid_request', message });

  const plan = async (request: ActionRequest): Promise<Plan> => {
    const id = (name: string): string | undefined => {
      const value = request.options[name];
      return typeof value === 'string' && /^\d+$/.test(value) ? value : undefined;
    };
    const campaignId = id('campaignId');
    const adGroupId = id('adGroupId');
    if (request.action === 'budget_change' && campaignId && request.budget) {
      const { currency } = await advertiser(request.signal);
      if (currency !== request.currency)
        throw invalid(
          `the budget is in ${request.currency} but the advertiser pays in ${currency}`,
        );
      return {
        kind: 'budget',
        id: campaignId,
        budget: request.budget.amount,
        mode: request.budget.period === 'daily' ? 'BUDGET_MODE_DAY' : 'BUDGET_MODE_TOTAL',
      };
    }
    const target = adGroupId ?? campaignId;
    if ((request.action === 'ad_launch' || request.action === 'ad_pause') && target) {
      return {
        kind: 'status',
        level: adGroupId ? 'adgroup' : 'campaign',
        id: target,
        status: request.action === 'ad_launch' ? 'ENABLE' : 'DISABLE',
      };
    }
    throw invalid(
      `${request.action} needs options.campaignId or adGroupId (and a budget to change it)`,
    );
  };

  const result = (id: string): ActionResult => ({ externalId: id, outputs: { id }, accepted: 1 });

  return {
    platform: 'tiktok',
    capabilities: ['launch_ads', 'pause_ads', 'change_budget', 'fetch_metrics'],
    maxBatchSize: 1,
    async perform(request: ActionRequest): Promise<ActionResult> {
      const step = await plan(request);
      await call({
        method: 'POST',
        path: step.kind === 'budget' ? '/campaign/update/' : `/${step.level}/status/update/`,
        body:
          step.kind === 'budget'
            ? {
                advertiser_id: advertiserId,
                campaign_id: step.id,
                budget: step.budget,
                budget_mode: step.mode,
              }
            : {
                advertiser_id: advertiserId,
                [`${step.level}_ids`]: [step.id],
                operation_status: step.status,
              },
        // Setting the same status or budget twice has the same effect (contract §8).
        idempotent: true,
        schema: WriteResponse,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return result(step.id);
    },
    async reconcile(request: ActionRequest): Promise<Reconciliation> {
      const step = await plan(request);
      if (step.kind === 'status' && step.level === 'adgroup') {
        return {
          status: 'unknown',
          reason: 'Herald reads back campaigns only; check the ad group in TikTok Ads Manager',
        };
      }
      const response = await call({
        method: 'GET',
        path: '/campaign/get/',
        query: {
          advertiser_id: advertiserId,
          filtering: JSON.stringify({ campaign_ids: [step.id] }),
          fields: JSON.stringify(['campaign_id', 'operation_status', 'budget', 'budget_mode']),
        },
        idempotent: true,
        schema: CampaignGet,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      const campaign = response.data.list[0];
      const applied =
        step.kind === 'status'
          ? campaign?.operation_status === step.status
          : campaign?.budget === step.budget && campaign.budget_mode === step.mode;
      return applied ? { status: 'done', result: result(step.id) } : { status: 'not_found' };
    },
    async fetchMetrics(query: MetricsRequest): Promise<readonly MetricsRow[]> {
      const { currency, timeZone } = await advertiser(query.signal);
      const rows: MetricsRow[] = [];
      for (const [start, end] of windows(query.from, query.to)) {
        for (let page = 1, pages = 1; page <= pages; page++) {
          const response = await call({
            method: 'GET',
            path: '/report/integrated/get/',
            query: {
              advertiser_id: advertiserId,
              report_type: 'BASIC',
              data_level: 'AUCTION_CAMPAIGN',
              dimensions: JSON.stringify(['campaign_id', 'stat_time_day']),
              metrics: JSON.stringify(REPORT_METRICS),
              start_date: start,
              end_date: end,
              page: String(page),
              page_size: String(REPORT_PAGE_SIZE),
              ...(query.entities
                ? {
                    filtering: JSON.stringify([
                      {
                        field_name: 'campaign_ids',
                        filter_type: 'IN',
                        filter_value: JSON.stringify(query.entities),
                      },
                    ]),
                  }
                : {}),
            },
            idempotent: true,
            schema: ReportPage,
            ...(query.signal ? { signal: query.signal } : {}),
          });
          pages = response.data.page_info.total_page;
          for (const row of response.data.list) {
            const metrics: Record<string, string | number> = {};
            for (const [name, value] of Object.entries(row.metrics)) {
              // "-" marks a metric TikTok could not compute: absent, never zero.
              if ((typeof value === 'string' && value !== '-') || typeof value === 'number')
                metrics[name] = value;
            }
            rows.push({
              date: row.dimensions.stat_time_day.slice(0, 10),
              entity: row.dimensions.campaign_id,
              metrics,
              currency,
              timeZone,
            });
          }
        }
      }
      return rows;
    },
    health: (): ConnectorHealth => client.health(),
  };
}

/** Splits `from`–`to` into inclusive windows of at most {@link MAX_REPORT_DAYS} days. */
function windows(from: string, to: string): [string, string][] {
  const out: [string, string][] = [];
  const last = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= last; t += MAX_REPORT_DAYS * 86_400_000) {
    const end = Math.min(t + (MAX_REPORT_DAYS - 1) * 86_400_000, last);
    out.push([new Date(t).toISOString().slice(0, 10), new Date(end).toISOString().slice(0, 10)]);
  }
  return out;
}
