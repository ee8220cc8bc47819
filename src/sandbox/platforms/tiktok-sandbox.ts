/**
 * @module
 * Fake TikTok API for Business v1.3 (contract: docs/platforms/tiktok-ads.md) under
 * `/open_api/v1.3/…/` (trailing slash required, else HTTP 404 "404 page not found"): the
 * `Access-Token` header, HTTP 200 envelopes `{ code, message, request_id, data }` for every
 * logical error and throttle (code 40100, no rate-limit headers), campaign status and budget
 * updates, `/campaign/get/`, `/advertiser/info/`, and the integrated report with string
 * metrics, `stat_time_day` as `YYYY-MM-DD 00:00:00`, page/page_size paging and the 30-day
 * limit for daily rows.
 *
 * Sandbox conventions: any token works except ones containing `revoked` (40105); the
 * advertiser pays in USD in `America/Los_Angeles` and has campaigns 1800000000000001 and
 * 1800000000000002; Basic tier, 600 requests per token a minute.
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';
import { AdLedger, type AdDay } from '../ad-delivery.js';

/** Basic tier: 600 requests a minute. */
export const TIKTOK_SANDBOX_QUOTA = { limit: 600, windowMs: 60_000 } as const;

interface Campaign {
  readonly campaign_id: string;
  operation_status: string;
  budget: number;
  budget_mode: string;
}

/** Builds the fake TikTok API for Business. */
export function createTikTokSandbox(context: SandboxContext): PlatformSandbox {
  const campaigns = new Map<string, Campaign>(
    ['1800000000000001', '1800000000000002'].map((id) => [
      id,
      { campaign_id: id, operation_status: 'ENABLE', budget: 100, budget_mode: 'BUDGET_MODE_DAY' },
    ]),
  );
  const adGroups = new Map<string, string>([['1700000000000001', 'ENABLE']]);
  const ledger = new AdLedger(context.seed, 'tiktok', 'America/Los_Angeles', () =>
    context.clock.now(),
  );
  const dailyOf = (c: Campaign) => (c.budget_mode === 'BUDGET_MODE_DAY' ? c.budget : c.budget / 30);
  for (const c of campaigns.values()) ledger.setBudget(c.campaign_id, dailyOf(c));
  let serial = 0;
  const answer = (code: number, message: string, data: unknown = {}): SandboxResponse => {
    serial++;
    const requestId = `20261125120000${String(serial).padStart(20, '0')}`;
    return {
      status: 200,
      headers: { 'x-tt-logid': requestId },
      body: { code, message, request_id: requestId, data },
    };
  };
  const ok = (data: unknown): SandboxResponse => answer(0, 'OK', data);
  const json = <T>(text: string | undefined, fallback: T): T => {
    try {
      return text === undefined ? fallback : (JSON.parse(text) as T);
    } catch {
      return fallback;
    }
  };

  const statusUpdate = (
    level: 'campaign' | 'adgroup',
    body: Record<string, unknown>,
  ): SandboxResponse => {
    const ids = body[`${level}_ids`];
    const status = body.operation_status;
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > 20)
      return answer(40002, `${level}_ids: Length must be between 1 and 20.`);
    if (status !== 'ENABLE' && status !== 'DISABLE' && status !== 'DELETE')
      return answer(40002, 'operation_status: Not a valid choice.');
    for (const id of ids as string[]) {
      const known = level === 'campaign' ? campaigns.get(id)?.operation_status : adGroups.get(id);
      if (known === undefined) return answer(40007, `${level} ${id} does not exist.`);
      if (known === 'DELETE') return answer(40002, `${level} ${id} has been deleted.`);
    }
    for (const id of ids as string[]) {
      if (level === 'campaign') {
        campaigns.get(id)!.operation_status = status;
        ledger.setLive(id, status === 'ENABLE');
      } else adGroups.set(id, status);
    }
    return ok({ [`${level}_ids`]: ids, status });
  };

  const campaignUpdate = (body: Record<string, unknown>): SandboxResponse => {
    const campaign = campaigns.get(String(body.campaign_id));
    if (!campaign) return answer(40007, `campaign ${String(body.campaign_id)} does not exist.`);
    if (typeof body.budget !== 'number' || body.budget <= 0)
      return answer(40002, 'budget: Must be a positive number.');
    if (body.budget_mode !== 'BUDGET_MODE_DAY' && body.budget_mode !== 'BUDGET_MODE_TOTAL')
      return answer(40002, 'budget_mode: Not a valid choice.');
    campaign.budget = body.budget;
    campaign.budget_mode = body.budget_mode;
    ledger.setBudget(campaign.campaign_id, dailyOf(campaign));
    return ok({ campaign_id: campaign.campaign_id });
  };

  const report = (query: Readonly<Record<string, string>>): SandboxResponse => {
    if (!query.report_type) return answer(40002, 'Missing required field(s): report_type.');
    const dimensions = json<string[]>(query.dimensions, []);
    const metrics = json<string[]>(query.metrics, []);
    const start = Date.parse(`${query.start_date ?? ''}T00:00:00Z`);
    const end = Date.parse(`${query.end_date ?? ''}T00:00:00Z`);
    if (!Number.isFinite(start) || !Number.isFinite(end) || end < start)
      return answer(40002, 'start_date and end_date are required (YYYY-MM-DD).');
    if (dimensions.includes('stat_time_day') && end - start >= 30 * 86_400_000)
      return answer(
        40002,
        'The time range cannot exceed 30 days when stat_time_day is a dimension.',
      );
    const filter = json<{ filter_value?: string }[]>(query.filtering, [])[0];
    const only = filter?.filter_value ? json<string[]>(filter.filter_value, []) : undefined;
    const rows: unknown[] = [];
    for (let t = start; t <= end; t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      for (const id of campaigns.keys()) {
        if (only && !only.includes(id)) continue;
        const delivered = ledger.day(id, day);
        if (!delivered) continue;
        const all = tiktokMetrics(delivered);
        rows.push({
          dimensions: { campaign_id: id, stat_time_day: `${day} 00:00:00` },
          metrics: Object.fromEntries(metrics.filter((m) => m in all).map((m) => [m, all[m]])),
        });
      }
    }
    const size = Math.min(Number(query.page_size ?? 10), 1000);
    const page = Number(query.page ?? 1);
    return ok({
      list: rows.slice((page - 1) * size, page * size),
      page_info: {
        page,
        page_size: size,
        total_number: rows.length,
        total_page: Math.max(1, Math.ceil(rows.length / size)),
      },
    });
  };

  return {
    platform: 'tiktok',
    lane(request: ReceivedRequest): QuotaLane | undefined {
      return { key: String(request.headers['access-token']), ...TIKTOK_SANDBOX_QUOTA };
    },
    handle(request: ReceivedRequest): SandboxResponse {
      if (!request.path.startsWith('/open_api/v1.3/') || !request.path.endsWith('/'))
        return { status: 404, body: '404 page not found' };
      const token = request.headers['access-token'];
      if (typeof token !== 'string' || token === '')
        return answer(
          40104,
          'Access token is null, you should set it in http header with key Access-Token.',
        );
      if (token.includes('revoked')) return answer(40105, 'Access token is invalid or incorrect.');
      const body = (request.body ?? {}) as Record<string, unknown>;
      const route = `${request.method} ${request.path.slice('/open_api/v1.3'.length)}`;
      switch (route) {
        case 'POST /campaign/status/update/':
          return statusUpdate('campaign', body);
        case 'POST /adgroup/status/update/':
          return statusUpdate('adgroup', body);
        case 'POST /campaign/update/':
          return campaignUpdate(body);
        case 'GET /campaign/get/': {
          const ids = json<{ campaign_ids?: string[] }>(request.query.filtering, {}).campaign_ids;
          const list = [...campaigns.values()].filter((c) => !ids || ids.includes(c.campaign_id));
          return ok({
            list,
            page_info: { page: 1, page_size: 10, total_number: list.length, total_page: 1 },
          });
        }
        case 'GET /advertiser/info/':
          return ok({
            list: [
              {
                advertiser_id: '7000000000000000001',
                currency: 'USD',
                timezone: 'America/Los_Angeles',
              },
            ],
          });
        case 'GET /report/integrated/get/':
          return report(request.query);
        default:
          return answer(40008, 'The endpoint is not implemented.');
      }
    },
    rateLimited: () => answer(40100, 'Requests made too frequently, please try again later.'),
    serverError: (status) => ({
      status,
      body: { code: 50000, message: 'System error', request_id: 'sandbox-5xx', data: {} },
    }),
    expiredToken: () => answer(40102, 'Access token has expired.'),
    versionSunset: () => answer(40051, 'Invalid API version.'),
  };
}

/** A day of delivery as TikTok's strings (major units, percent, `-` for no value). */
function tiktokMetrics(day: AdDay): Record<string, string> {
  return {
    spend: day.spend.toFixed(2),
    impressions: String(day.impressions),
    clicks: String(day.clicks),
    ctr: day.impressions > 0 ? ((day.clicks / day.impressions) * 100).toFixed(2) : '0.00',
    cpc: day.clicks > 0 ? (day.spend / day.clicks).toFixed(2) : '-',
    cpm: day.impressions > 0 ? ((day.spend / day.impressions) * 1000).toFixed(2) : '-',
    reach: String(Math.floor(day.impressions * 0.7)),
    conversion: String(day.conversions),
    // Purchase value per unit of spend (ROAS), as TikTok reports it.
    total_complete_payment_rate: day.spend > 0 ? (day.value / day.spend).toFixed(4) : '0.0000',
  };
}
