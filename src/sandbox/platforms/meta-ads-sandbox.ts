/**
 * @module
 * Fake Meta Marketing API (contract: docs/platforms/meta-ads.md) under `/v{N}.0/`:
 * the ad account node, campaign create and name-filtered listing, status/budget updates with
 * budgets kept as integer minor units and read back as strings (a fifth budget change of an
 * object within an hour fails with code 17), custom-audience uploads that accept only SHA-256
 * hex, and seeded daily Ads Insights (numbers as strings, `spend` in major units, days in the
 * account's zone) with cursor paging. Errors use the Graph `{ error: { … } }` envelope; throttles
 * are HTTP 400 with code 80004 and an `X-Business-Use-Case-Usage` header.
 *
 * Sandbox conventions: tokens start with `EAA` and every call carries `appsecret_proof` (64
 * hex); the account bills in EUR in `Europe/Berlin`; ids containing `missing` do not exist;
 * accounts always have two seeded campaigns. The development tier is modelled: 20 writes
 * (60 points) per ad account per 300 s. Insights cover only the days a client had a campaign
 * `ACTIVE` (see {@link AdLedger}), with purchases and their `action_values`.
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';
import { AdLedger, type AdDay } from '../ad-delivery.js';

/** Development tier: 60 points per 300 s, a write costing 3. */
export const META_ADS_SANDBOX_QUOTA = { limit: 20, windowMs: 300_000 } as const;

const SEEDED_CAMPAIGNS = ['120210000000000001', '120210000000000002'] as const;
const SHA256 = /^[a-f0-9]{64}$/;

interface AdObject {
  readonly id: string;
  name: string;
  status: string;
  daily_budget?: number;
  lifetime_budget?: number;
  readonly budgetChanges: number[];
}

function error(
  status: number,
  code: number,
  message: string,
  subcode?: number,
  headers?: Record<string, string>,
): SandboxResponse {
  return {
    status,
    ...(headers ? { headers } : {}),
    body: {
      error: {
        message,
        type: code === 190 ? 'OAuthException' : 'GraphMethodException',
        code,
        ...(subcode === undefined ? {} : { error_subcode: subcode }),
        fbtrace_id: 'AsandboxTrace',
      },
    },
  };
}

const bucHeader = (minutes: number): Record<string, string> => ({
  'x-business-use-case-usage': JSON.stringify({
    '1000000000': [
      {
        type: 'ads_management',
        call_count: 100,
        total_cputime: 20,
        total_time: 20,
        estimated_time_to_regain_access: minutes,
        ads_api_access_tier: 'development_access',
      },
    ],
  }),
});

/** Builds the fake Meta Marketing API. */
export function createMetaAdsSandbox(context: SandboxContext): PlatformSandbox {
  const objects = new Map<string, AdObject>();
  let serial = 0;
  for (const id of SEEDED_CAMPAIGNS) {
    objects.set(id, {
      id,
      name: `Seeded ${id}`,
      status: 'ACTIVE',
      daily_budget: 5000,
      budgetChanges: [],
    });
  }
  const ledger = new AdLedger(context.seed, 'meta_ads', 'Europe/Berlin', () => context.clock.now());
  /** Budgets are minor units (EUR cents); a lifetime budget paces evenly over 30 days. */
  const track = (o: AdObject) => {
    ledger.setBudget(o.id, (o.daily_budget ?? (o.lifetime_budget ?? 0) / 30) / 100);
  };
  for (const o of objects.values()) track(o);

  const readBack = (o: AdObject): Record<string, unknown> => ({
    id: o.id,
    name: o.name,
    status: o.status,
    effective_status: o.status,
    ...(o.daily_budget === undefined ? {} : { daily_budget: String(o.daily_budget) }),
    ...(o.lifetime_budget === undefined ? {} : { lifetime_budget: String(o.lifetime_budget) }),
  });

  const applyBudgets = (
    o: AdObject,
    body: Record<string, unknown>,
  ): SandboxResponse | undefined => {
    for (const field of ['daily_budget', 'lifetime_budget'] as const) {
      if (body[field] === undefined) continue;
      const value = Number(body[field]);
      if (!Number.isInteger(value) || value <= 0)
        return error(400, 100, `Invalid parameter: ${field} must be a positive integer`);
      const now = context.clock.now();
      const recent = o.budgetChanges.filter((t) => t > now - 3_600_000);
      if (recent.length >= 4) {
        return error(
          400,
          17,
          'User request limit reached: budget changed too often; try again in an hour',
          2446079,
          bucHeader(60),
        );
      }
      o.budgetChanges.splice(0, o.budgetChanges.length, ...recent, now);
      o[field] = value;
      track(o);
    }
    return undefined;
  };

  const createCampaign = (body: Record<string, unknown>): SandboxResponse => {
    if (typeof body.name !== 'string' || body.name === '')
      return error(400, 100, 'Invalid parameter: name is required');
    if (!Array.isArray(body.special_ad_categories))
      return error(400, 100, 'Invalid parameter: special_ad_categories is required');
    if (typeof body.objective !== 'string' || !body.objective.startsWith('OUTCOME_'))
      return error(400, 100, 'Invalid parameter: objective');
    serial++;
    const id = `1202100000${String(serial).padStart(8, '0')}`;
    const campaign: AdObject = {
      id,
      name: body.name,
      status: typeof body.status === 'string' ? body.status : 'PAUSED',
      budgetChanges: [],
    };
    const problem = applyBudgets(campaign, body);
    if (problem) return problem;
    objects.set(id, campaign);
    track(campaign);
    ledger.setLive(id, campaign.status === 'ACTIVE');
    return { status: 200, body: { id } };
  };

  const listCampaigns = (query: Readonly<Record<string, string>>): SandboxResponse => {
    const filters = JSON.parse(query.filtering ?? '[]') as {
      field: string;
      operator: string;
      value: unknown;
    }[];
    const data = [...objects.values()]
      .filter((o) =>
        filters.every((f) => f.field !== 'name' || f.operator !== 'EQUAL' || o.name === f.value),
      )
      .map((o) => ({ id: o.id, name: o.name }));
    return { status: 200, body: { data, paging: { cursors: { before: 'MA', after: 'MA' } } } };
  };

  const audienceUsers = (body: Record<string, unknown>): SandboxResponse => {
    const payload = body.payload as { schema?: unknown; data?: unknown } | undefined;
    const rows = Array.isArray(payload?.data) ? (payload.data as unknown[]) : [];
    if (!Array.isArray(payload?.schema) || rows.length === 0 || rows.length > 10_000)
      return error(400, 100, 'Invalid parameter: payload needs a schema and 1–10000 rows');
    const invalid = rows.filter(
      (row) =>
        !Array.isArray(row) ||
        row.some((v) => typeof v !== 'string' || (v !== '' && !SHA256.test(v))),
    ).length;
    return {
      status: 200,
      body: {
        audience_id: 'sandbox-audience',
        session_id: (body.session as { session_id?: unknown } | undefined)?.session_id,
        num_received: rows.length,
        num_invalid_entries: invalid,
        invalid_entry_samples: {},
      },
    };
  };

  const insights = (query: Readonly<Record<string, string>>): SandboxResponse => {
    const range = JSON.parse(query.time_range ?? '{}') as { since?: string; until?: string };
    if (!range.since || !range.until)
      return error(400, 100, 'Invalid parameter: time_range needs since and until');
    const wanted = JSON.parse(query.filtering ?? '[]') as { value: string[] }[];
    const campaigns = [...objects.keys()].filter(
      (id) => wanted.length === 0 || wanted[0]!.value.includes(id),
    );
    const rows: Record<string, unknown>[] = [];
    for (
      let t = Date.parse(`${range.since}T00:00:00Z`);
      t <= Date.parse(`${range.until}T00:00:00Z`);
      t += 86_400_000
    ) {
      const date = new Date(t).toISOString().slice(0, 10);
      for (const id of campaigns) {
        const delivered = ledger.day(id, date);
        if (delivered) rows.push(insightsRow(id, date, delivered));
      }
    }
    const limit = Number(query.limit ?? 25);
    const start = Number(query.after ? Buffer.from(query.after, 'base64').toString('utf8') : 0);
    const more = start + limit < rows.length;
    const after = Buffer.from(String(start + limit)).toString('base64');
    return {
      status: 200,
      body: {
        data: rows.slice(start, start + limit),
        paging: {
          cursors: { before: 'MA', after },
          ...(more ? { next: `https://graph.facebook.com/insights?after=${after}` } : {}),
        },
      },
    };
  };

  return {
    platform: 'meta_ads',
    lane(request: ReceivedRequest): QuotaLane | undefined {
      if (request.method !== 'POST') return undefined;
      return { key: `writes:${request.headers.authorization ?? ''}`, ...META_ADS_SANDBOX_QUOTA };
    },
    handle(request: ReceivedRequest): SandboxResponse {
      const auth = request.headers.authorization ?? '';
      if (!auth.startsWith('Bearer EAA'))
        return error(400, 190, 'Invalid OAuth access token - Cannot parse access token');
      if (!SHA256.test(request.query.appsecret_proof ?? ''))
        return error(400, 100, 'appsecret_proof is required for this app');
      const match = /^\/v\d+\.0\/([^/]+)(?:\/([a-z_]+))?$/.exec(request.path);
      if (!match) return error(400, 2500, 'Unknown path components');
      const [, node = '', edge] = match;
      const body = (request.body ?? {}) as Record<string, unknown>;
      const route = `${request.method} ${edge ?? ''}`;
      if (node.includes('missing'))
        return error(400, 100, `Unsupported request - object ${node} does not exist`, 33);
      if (node.startsWith('act_')) {
        if (route === 'GET ')
          return {
            status: 200,
            body: { id: node, currency: 'EUR', timezone_name: 'Europe/Berlin' },
          };
        if (route === 'POST campaigns') return createCampaign(body);
        if (route === 'GET campaigns') return listCampaigns(request.query);
        if (route === 'GET insights') return insights(request.query);
        return error(400, 100, `Unsupported ${request.method} on ${edge ?? node}`);
      }
      if (route === 'POST users') return audienceUsers(body);
      const object = objects.get(node);
      if (!object || edge !== undefined)
        return error(400, 100, `Unsupported request - object ${node} does not exist`, 33);
      if (request.method === 'GET') return { status: 200, body: readBack(object) };
      if (typeof body.status === 'string') {
        object.status = body.status;
        ledger.setLive(object.id, body.status === 'ACTIVE');
      }
      return applyBudgets(object, body) ?? { status: 200, body: { success: true } };
    },
    rateLimited: (retryAfterSeconds) =>
      error(
        400,
        80004,
        'There have been too many calls to this ad-account. Wait a bit and try again.',
        2446079,
        bucHeader(Math.ceil(retryAfterSeconds / 60)),
      ),
    serverError: (status) =>
      error(status, status === 503 ? 2 : 1, 'An unknown error occurred', undefined),
    expiredToken: () => error(400, 190, 'Error validating access token: Session has expired', 463),
    // Meta serves a retired version with the next one (contract §1); 2635 is the error
    // observed for a refused deprecated version (unconfirmed).
    versionSunset: () =>
      error(
        400,
        2635,
        'You are calling a deprecated version of the Ads API. Please update to the latest version.',
      ),
  };
}

/** A day of delivery as an Ads Insights row: strings, spend in major units. */
function insightsRow(campaign: string, date: string, day: AdDay): Record<string, unknown> {
  const reach = Math.floor(day.impressions * 0.8);
  return {
    account_id: '1000000000',
    campaign_id: campaign,
    date_start: date,
    date_stop: date,
    impressions: String(day.impressions),
    reach: String(reach),
    frequency: reach > 0 ? (day.impressions / reach).toFixed(6) : '0',
    clicks: String(day.clicks),
    spend: day.spend.toFixed(2),
    ctr: day.impressions > 0 ? ((day.clicks / day.impressions) * 100).toFixed(6) : '0',
    cpc: day.clicks > 0 ? (day.spend / day.clicks).toFixed(6) : undefined,
    cpm: day.impressions > 0 ? ((day.spend / day.impressions) * 1000).toFixed(6) : undefined,
    actions: [
      { action_type: 'link_click', value: String(day.clicks) },
      ...(day.conversions > 0
        ? [{ action_type: 'offsite_conversion.fb_pixel_purchase', value: String(day.conversions) }]
        : []),
    ],
    ...(day.conversions > 0
      ? {
          action_values: [
            { action_type: 'offsite_conversion.fb_pixel_purchase', value: day.value.toFixed(2) },
          ],
        }
      : {}),
  };
}
