/**
 * @module
 * Meta Marketing API (contract: meta-ads.md): campaign and ad set status and budget, campaign
 * creation, custom-audience uploads of SHA-256-hashed members, and daily Ads Insights.
 *
 * Exactly-once: Meta has no idempotency key (contract §8). A created campaign's name carries
 * `[herald:<idempotencyKey>]`, so `reconcile` finds it with an `EQUAL` name filter. Status and
 * budget updates are read back: the object already in the requested state is `done`, any other
 * state `not_found`. Audience uploads cannot be looked up: `unknown` (re-adding the same
 * hashes is harmless).
 */
import { assertHashed } from '../../compliance/hashed-payload.js';
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
import { metaAudienceBody } from './meta-ads-audience.js';
import { metaAuth } from './meta-ads-auth.js';
import { interpretMetaAds, withMetaRetryAfter } from './meta-ads-error-codes.js';
import {
  AdAccount,
  AdObject,
  AudienceUsersResponse,
  CampaignList,
  CreatedResponse,
  InsightsPage,
  UpdateResponse,
} from './meta-ads-schemas.js';

/**
 * Development tier: 60 points per 300 s, a write costing 3 (contract §4). Every call is
 * counted as a write, the safer reading. The default, as the tier is not visible to Herald.
 */
export const META_ADS_DEV_QUOTA: RateQuota = { limit: 20, windowMs: 300_000 };
/** Limited/Full Access (`META_ADS_ACCESS_TIER=standard`): 9,000 points per 300 s, 3 a write. */
export const META_ADS_STANDARD_QUOTA: RateQuota = { limit: 3000, windowMs: 300_000 };
/** An ad set's budget may change at most 4 times per hour (contract §3.3). */
export const META_ADS_BUDGET_QUOTA: RateQuota = { limit: 4, windowMs: 3_600_000 };

/** Pinned Graph version (contract §1). */
export const META_ADS_API_VERSION = 'v25.0';
/** Insights rows per page. */
const INSIGHTS_PAGE_SIZE = 500;
/** Currencies whose budgets have no minor unit (contract §7, offset 1). */
const OFFSET_ONE = new Set([
  'JPY',
  'KRW',
  'TWD',
  'CLP',
  'COP',
  'CRC',
  'HUF',
  'ISK',
  'IDR',
  'PYG',
  'VND',
]);
const INSIGHTS_FIELDS =
  'campaign_id,impressions,clicks,spend,reach,frequency,ctr,cpc,cpm,actions,action_values';

/** What `perform` does for a request, so `reconcile` can check the same thing. */
type Plan =
  | { readonly kind: 'create'; readonly body: Record<string, unknown> }
  | { readonly kind: 'update'; readonly id: string; readonly body: Record<string, unknown> }
  | { readonly kind: 'audience'; readonly id: string; readonly body: Record<string, unknown> };

/**
 * Builds the Meta Ads connector. Settings: `accessToken` (`META_ADS_ACCESS_TOKEN`), `appSecret`
 * (`META_APP_SECRET`), `adAccountId` (`META_ADS_ACCOUNT_ID`, with or without `act_`); optional
 * `accessTier` (`META_ADS_ACCESS_TIER`: `development` or `standard`), `apiVersion`
 * (`META_ADS_API_VERSION`) and `baseUrl`. Step options: `campaignId` or `adSetId` (the object
 * to launch, pause or re-budget; launching without one creates a campaign), `objective`,
 * `specialAdCategories`, `audienceId` (for `audience_sync`).
 * @example
 * const meta = createMetaAdsConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createMetaAdsConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'meta_ads',
    [
      { key: 'accessToken', env: 'META_ADS_ACCESS_TOKEN' },
      { key: 'appSecret', env: 'META_APP_SECRET' },
      { key: 'adAccountId', env: 'META_ADS_ACCOUNT_ID' },
      { key: 'accessTier', env: 'META_ADS_ACCESS_TIER', required: false },
      { key: 'apiVersion', env: 'META_ADS_API_VERSION', required: false },
      { key: 'baseUrl', env: 'META_ADS_BASE_URL', required: false },
    ],
    deps,
  );
  const account = `act_${settings.adAccountId!.replace(/^act_/, '')}`;
  const version = settings.apiVersion ?? META_ADS_API_VERSION;
  let lastWaitMs = 0;
  const client = new HttpClient({
    platform: 'meta_ads',
    baseUrl: deps.baseUrl ?? settings.baseUrl ?? 'https://graph.facebook.com',
    apiVersion: version,
    successorVersion: 'the oldest Graph version still listed in the Meta changelog',
    auth: metaAuth(settings.accessToken!, settings.appSecret!),
    clock: deps.clock,
    limiter: deps.limiter,
    quota: settings.accessTier === 'standard' ? META_ADS_STANDARD_QUOTA : META_ADS_DEV_QUOTA,
    account,
    interpret: interpretMetaAds,
    ...clientOptions(deps),
    fetch: withMetaRetryAfter(deps.fetch, (waitMs) => {
      lastWaitMs = waitMs;
    }),
  });
  const base = `/${version}`;

  const call = async <T>(request: HttpRequest<T>): Promise<T> => {
    try {
      return (await client.request({ lane: 'ads', ...request })).data;
    } catch (error) {
      if (!(error instanceof ConnectorError) || error.code !== 'quota_exhausted') throw error;
      throw new ConnectorError({
        platform: 'meta_ads',
        code: 'quota_exhausted',
        message: `${error.message.replace(/^meta_ads: /, '')}; access returns in ${Math.ceil(lastWaitMs / 60_000)} min`,
        status: error.status!,
        retryAfterMs: lastWaitMs,
        platformCode: error.platformCode!,
        platformMessage: error.platformMessage!,
      });
    }
  };

  let accountInfo: Promise<AdAccount> | undefined;
  const adAccount = (signal?: AbortSignal): Promise<AdAccount> => {
    accountInfo ??= call({
      method: 'GET',
      path: `${base}/${account}`,
      query: { fields: 'currency,timezone_name' },
      idempotent: true,
      schema: AdAccount,
      ...(signal ? { signal } : {}),
    }).catch((error: unknown) => {
      accountInfo = undefined;
      throw error;
    });
    return accountInfo;
  };

  const invalid = (message: string): ConnectorError =>
    new ConnectorError({ platform: 'meta_ads', code: 'invalid_request', message });

  const plan = async (request: ActionRequest): Promise<Plan> => {
    const option = (name: string): string | undefined => {
      const value = request.options[name];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const target = option('adSetId') ?? option('campaignId');
    if (request.action === 'audience_sync') {
      const audienceId = option('audienceId');
      if (!audienceId) throw invalid('audience_sync needs options.audienceId');
      return { kind: 'audience', id: audienceId, body: metaAudienceBody(request) };
    }
    const budget = request.budget ? await budgetFields(request) : {};
    if (request.action === 'ad_launch' && target === undefined) {
      return {
        kind: 'create',
        body: {
          name: campaignName(request),
          objective: option('objective') ?? 'OUTCOME_TRAFFIC',
          status: 'ACTIVE',
          special_ad_categories: request.options.specialAdCategories ?? [],
          ...budget,
        },
      };
    }
    if (target === undefined)
      throw invalid(`${request.action} needs options.campaignId or adSetId`);
    if (request.action === 'ad_launch')
      return { kind: 'update', id: target, body: { status: 'ACTIVE', ...budget } };
    if (request.action === 'ad_pause')
      return { kind: 'update', id: target, body: { status: 'PAUSED' } };
    if (request.action === 'budget_change' && request.budget)
      return { kind: 'update', id: target, body: budget };
    throw invalid(`${request.action} is not a Meta Ads action (or lacks a budget)`);
  };

  const budgetFields = async (request: ActionRequest): Promise<Record<string, number>> => {
    const { currency } = await adAccount(request.signal);
    if (currency !== request.currency) {
      throw invalid(`the budget is in ${request.currency} but the ad account bills in ${currency}`);
    }
    const minor = Math.round(request.budget!.amount * (OFFSET_ONE.has(currency) ? 1 : 100));
    return { [request.budget!.period === 'daily' ? 'daily_budget' : 'lifetime_budget']: minor };
  };

  return {
    platform: 'meta_ads',
    capabilities: ['launch_ads', 'pause_ads', 'change_budget', 'sync_audience', 'fetch_metrics'],
    maxBatchSize: 10_000,
    async perform(request: ActionRequest): Promise<ActionResult> {
      const step = await plan(request);
      const signal = request.signal ? { signal: request.signal } : {};
      if (step.kind === 'create') {
        const created = await call({
          method: 'POST',
          path: `${base}/${account}/campaigns`,
          body: step.body,
          idempotent: false,
          schema: CreatedResponse,
          ...signal,
        });
        return { externalId: created.id, outputs: { id: created.id }, accepted: 1 };
      }
      if (step.kind === 'audience') {
        assertHashed(step.body);
        const uploaded = await call({
          method: 'POST',
          path: `${base}/${step.id}/users`,
          body: step.body,
          lane: 'custom_audience',
          idempotent: false,
          schema: AudienceUsersResponse,
          ...signal,
        });
        return {
          externalId: uploaded.audience_id,
          outputs: { id: uploaded.audience_id },
          accepted: uploaded.num_received - uploaded.num_invalid_entries,
        };
      }
      const budgeted = 'daily_budget' in step.body || 'lifetime_budget' in step.body;
      await call({
        method: 'POST',
        path: `${base}/${step.id}`,
        body: step.body,
        ...(budgeted ? { lane: `budget:${step.id}`, quota: META_ADS_BUDGET_QUOTA } : {}),
        // Setting the same status or budget twice has the same effect (contract §8).
        idempotent: true,
        schema: UpdateResponse,
        ...signal,
      });
      return { externalId: step.id, outputs: { id: step.id }, accepted: 1 };
    },
    async reconcile(request: ActionRequest): Promise<Reconciliation> {
      const step = await plan(request);
      const signal = request.signal ? { signal: request.signal } : {};
      if (step.kind === 'audience') {
        return {
          status: 'unknown',
          reason:
            'Meta cannot list which hashed members an upload added; re-adding the same hashes is harmless',
        };
      }
      if (step.kind === 'create') {
        const found = await call({
          method: 'GET',
          path: `${base}/${account}/campaigns`,
          query: {
            fields: 'id,name',
            filtering: JSON.stringify([
              { field: 'name', operator: 'EQUAL', value: step.body.name },
            ]),
          },
          idempotent: true,
          schema: CampaignList,
          ...signal,
        });
        const [campaign] = found.data;
        return campaign
          ? {
              status: 'done',
              result: { externalId: campaign.id, outputs: { id: campaign.id }, accepted: 1 },
            }
          : { status: 'not_found' };
      }
      const current = await call({
        method: 'GET',
        path: `${base}/${step.id}`,
        query: { fields: 'id,status,daily_budget,lifetime_budget' },
        idempotent: true,
        schema: AdObject,
        ...signal,
      });
      const applied = Object.entries(step.body).every(
        ([field, value]) => String(current[field]) === String(value),
      );
      return applied
        ? { status: 'done', result: { externalId: step.id, outputs: { id: step.id }, accepted: 1 } }
        : { status: 'not_found' };
    },
    async fetchMetrics(query: MetricsRequest): Promise<readonly MetricsRow[]> {
      const signal = query.signal ? { signal: query.signal } : {};
      const { currency, timezone_name: timeZone } = await adAccount(query.signal);
      const rows: MetricsRow[] = [];
      let after: string | undefined;
      do {
        const page = await call({
          method: 'GET',
          path: `${base}/${account}/insights`,
          query: {
            level: 'campaign',
            time_increment: '1',
            time_range: JSON.stringify({ since: query.from, until: query.to }),
            fields: INSIGHTS_FIELDS,
            limit: String(INSIGHTS_PAGE_SIZE),
            ...(query.entities
              ? {
                  filtering: JSON.stringify([
                    { field: 'campaign.id', operator: 'IN', value: query.entities },
                  ]),
                }
              : {}),
            ...(after ? { after } : {}),
          },
          idempotent: true,
          schema: InsightsPage,
          ...signal,
        });
        for (const row of page.data) {
          const {
            date_start: date,
            campaign_id: entity,
            actions,
            action_values: values,
            ...rest
          } = row;
          const metrics: Record<string, number | string | null> = {};
          for (const name of INSIGHTS_FIELDS.split(',')) {
            const value = rest[name];
            if (typeof value === 'string' || typeof value === 'number') metrics[name] = value;
          }
          for (const action of actions ?? [])
            metrics[`actions.${action.action_type}`] = action.value;
          for (const value of values ?? [])
            metrics[`action_values.${value.action_type}`] = value.value;
          rows.push({ date, entity, metrics, currency, timeZone });
        }
        after = page.paging?.next ? page.paging.cursors?.after : undefined;
      } while (after);
      return rows;
    },
    health: (): ConnectorHealth => client.health(),
  };
}

/** Name of a campaign Herald creates: the key makes it findable after a lost answer. */
function campaignName(request: ActionRequest): string {
  return `${request.content.title ?? request.campaignId} [herald:${request.idempotencyKey}]`;
}
