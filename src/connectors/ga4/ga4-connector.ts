/**
 * @module
 * Google Analytics 4 Data API v1beta (contract: ga4.md): daily traffic and conversion reports
 * per session campaign through `properties/{id}:runReport`, metric values kept as the strings
 * GA4 sends, in the property's currency and reporting zone. Read-only: `perform` refuses every
 * action and `reconcile` answers `not_found`, as nothing was ever sent.
 *
 * Quota is token-based per property (contract §4); a 429 for hourly or daily tokens is
 * `quota_exhausted` with the longest wait GA4 names ("under an hour", "tomorrow"), a 429 for
 * concurrent requests `rate_limited`.
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
import { ConnectorError, type ConnectorErrorCode } from '../connector-error.js';
import { googleRefreshAuth } from '../google-oauth.js';
import { HttpClient } from '../http-client.js';
import type { RateQuota } from '../quota-limiter.js';
import type { RawResponse, ResponseFailure } from '../raw-response.js';
import { GoogleStatusBody, RunReportResponse } from './ga4-schemas.js';

/**
 * 14,000 tokens per project per property an hour (contract §4), at up to 10 tokens a request
 * (the safer reading of "most < 10").
 */
export const GA4_QUOTA: RateQuota = { limit: 1400, windowMs: 3_600_000 };
/** Rows per report page (GA4's default; the maximum is 250,000). */
const PAGE_SIZE = 10_000;
const METRICS = [
  'sessions',
  'activeUsers',
  'newUsers',
  'engagementRate',
  'keyEvents',
  'totalRevenue',
];

/** Maps a Data API response to a failure (contract §5). */
export function interpretGa4(response: RawResponse): ResponseFailure | undefined {
  if (response.status < 300) return undefined;
  const parsed = GoogleStatusBody.safeParse(response.body);
  if (!parsed.success) {
    // A retired version answers a bare 404 for the path Herald built (unconfirmed): stop.
    return { code: response.status === 404 ? 'version_sunset' : statusCode(response.status, '') };
  }
  const { message, status } = parsed.data.error;
  return {
    code: statusCode(response.status, message),
    platformCode: status,
    platformMessage: message,
  };
}

function statusCode(status: number, message: string): ConnectorErrorCode {
  if (status === 429) return /per (hour|day)/.test(message) ? 'quota_exhausted' : 'rate_limited';
  if (status === 401) return 'auth_expired';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'transient';
  return 'invalid_request';
}

/**
 * Builds the GA4 connector. Settings: `propertyId` (`GA4_PROPERTY_ID`, numeric), `clientId`,
 * `clientSecret`, `refreshToken` (`GA4_CLIENT_ID`, `GA4_CLIENT_SECRET`, `GA4_REFRESH_TOKEN`);
 * optional `accessToken` (`GA4_ACCESS_TOKEN`) and `baseUrl`. Metric entities are session
 * campaign names.
 * @example
 * const ga4 = createGa4Connector({ env: process.env, clock: systemClock, limiter });
 */
export function createGa4Connector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'ga4',
    [
      { key: 'propertyId', env: 'GA4_PROPERTY_ID' },
      { key: 'clientId', env: 'GA4_CLIENT_ID' },
      { key: 'clientSecret', env: 'GA4_CLIENT_SECRET' },
      { key: 'refreshToken', env: 'GA4_REFRESH_TOKEN' },
      { key: 'accessToken', env: 'GA4_ACCESS_TOKEN', required: false },
      { key: 'baseUrl', env: 'GA4_BASE_URL', required: false },
    ],
    deps,
  );
  const auth = googleRefreshAuth({
    client: () => client,
    ...(deps.baseUrl ? { baseUrl: deps.baseUrl } : {}),
    clientId: settings.clientId!,
    clientSecret: settings.clientSecret!,
    refreshToken: settings.refreshToken!,
    ...(settings.accessToken === undefined ? {} : { accessToken: settings.accessToken }),
  });
  const client: HttpClient = new HttpClient({
    platform: 'ga4',
    baseUrl: deps.baseUrl ?? settings.baseUrl ?? 'https://analyticsdata.googleapis.com',
    apiVersion: 'v1beta',
    successorVersion: 'the Data API version named in the GA4 changelog',
    auth,
    clock: deps.clock,
    limiter: deps.limiter,
    quota: GA4_QUOTA,
    account: settings.propertyId!,
    interpret: interpretGa4,
    ...clientOptions(deps),
  });

  const report = async (body: Record<string, unknown>, signal?: AbortSignal) => {
    try {
      return (
        await client.request({
          method: 'POST',
          path: `/v1beta/properties/${settings.propertyId!}:runReport`,
          body,
          idempotent: true,
          schema: RunReportResponse,
          ...(signal ? { signal } : {}),
        })
      ).data;
    } catch (error) {
      if (!(error instanceof ConnectorError) || error.code !== 'quota_exhausted') throw error;
      const daily = (error.platformMessage ?? '').includes('per day');
      throw new ConnectorError({
        platform: 'ga4',
        code: 'quota_exhausted',
        message: error.message.replace(/^ga4: /, ''),
        status: 429,
        // "return in under an hour" / "return tomorrow": the longest wait each names.
        retryAfterMs: daily ? 86_400_000 : 3_600_000,
        platformCode: error.platformCode!,
        platformMessage: error.platformMessage!,
      });
    }
  };

  return {
    platform: 'ga4',
    capabilities: ['fetch_metrics'],
    maxBatchSize: 1,
    perform(request: ActionRequest): Promise<ActionResult> {
      return Promise.reject(
        new ConnectorError({
          platform: 'ga4',
          code: 'invalid_request',
          message: `${request.action}: GA4 is read-only; use it for reports`,
        }),
      );
    },
    reconcile(): Promise<Reconciliation> {
      return Promise.resolve({ status: 'not_found' });
    },
    async fetchMetrics(query: MetricsRequest): Promise<readonly MetricsRow[]> {
      const rows: MetricsRow[] = [];
      for (let offset = 0, total = 1; offset < total; offset += PAGE_SIZE) {
        const page = await report(
          {
            dateRanges: [{ startDate: query.from, endDate: query.to }],
            dimensions: [{ name: 'date' }, { name: 'sessionCampaignName' }],
            metrics: METRICS.map((name) => ({ name })),
            ...(query.entities
              ? {
                  dimensionFilter: {
                    filter: {
                      fieldName: 'sessionCampaignName',
                      inListFilter: { values: query.entities },
                    },
                  },
                }
              : {}),
            orderBys: [{ dimension: { dimensionName: 'date' } }],
            limit: String(PAGE_SIZE),
            offset: String(offset),
          },
          query.signal,
        );
        total = page.rowCount;
        const names = page.metricHeaders.map((m) => m.name);
        for (const row of page.rows) {
          const [date = '', entity = ''] = row.dimensionValues.map((d) => d.value);
          const metrics: Record<string, string> = {};
          row.metricValues.forEach((value, i) => {
            metrics[names[i]!] = value.value;
          });
          rows.push({
            date: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`,
            entity,
            metrics,
            currency: page.metadata.currencyCode,
            timeZone: page.metadata.timeZone,
          });
        }
      }
      return rows;
    },
    health: (): ConnectorHealth => client.health(),
  };
}
