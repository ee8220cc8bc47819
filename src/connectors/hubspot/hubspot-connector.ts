/**
 * @module
 * HubSpot (contract: hubspot.md): contact upserts keyed by email, publishing a marketing
 * e-mail, and daily marketing-email statistics whose ratios are percentages (0–100), kept so.
 * Auth is a private-app token as `Authorization: Bearer`.
 *
 * Exactly-once: no idempotency key (contract §8). Contacts go through `batch/upsert` with
 * `idProperty=email`, idempotent by construction, and `reconcile` reads them back with
 * `batch/read`. Publishing first reads the e-mail: one already published or scheduled is not
 * published again, and `reconcile` answers `done` for it, `not_found` for a draft.
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
import { ConnectorError, type ConnectorErrorCode } from '../connector-error.js';
import { HttpClient, type HttpRequest } from '../http-client.js';
import type { RateQuota } from '../quota-limiter.js';
import type { RawResponse, ResponseFailure } from '../raw-response.js';
import {
  BatchResponse,
  Histogram,
  HubSpotErrorBody,
  MarketingEmail,
  NoContent,
} from './hubspot-schemas.js';

/** Free/Starter apps: 100 requests per 10 seconds (contract §4), the lowest tier. */
export const HUBSPOT_QUOTA: RateQuota = { limit: 100, windowMs: 10_000 };
/** Contacts per batch call (contract §3.3). */
const BATCH_SIZE = 100;
const LIVE = new Set(['PUBLISHED', 'SCHEDULED', 'PUBLISHED_OR_SCHEDULED']);

/** Maps a HubSpot response to a failure (contract §5). */
export function interpretHubSpot(response: RawResponse): ResponseFailure | undefined {
  if (response.status < 300) return undefined;
  const parsed = HubSpotErrorBody.safeParse(response.body);
  if (!parsed.success) {
    // Retired endpoints answer a bare 404 (Lists v1 after its sunset, contract §1).
    return { code: response.status === 404 ? 'version_sunset' : statusCode(response.status) };
  }
  const { message, category, policyName } = parsed.data;
  const code: ConnectorErrorCode =
    response.status === 429 && policyName === 'DAILY'
      ? 'quota_exhausted'
      : statusCode(response.status);
  return {
    code,
    platformCode: policyName ?? category ?? String(response.status),
    platformMessage: message,
  };
}

function statusCode(status: number): ConnectorErrorCode {
  if (status === 401) return 'auth_expired';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 410) return 'version_sunset';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'transient';
  return 'invalid_request';
}

/**
 * Wraps `fetch` so a ten-secondly 429 carries `Retry-After` (HubSpot sends none, contract §4):
 * the window length from `X-HubSpot-RateLimit-Interval-Milliseconds`, 10 s when absent. A daily
 * 429 gets none: it resets at midnight in the account's zone, which Herald does not know.
 */
export function withHubSpotRetryAfter(base: typeof fetch | undefined): typeof fetch {
  return async (input, init) => {
    const response = await (base ?? globalThis.fetch)(input, init);
    if (response.status !== 429 || response.headers.has('retry-after')) return response;
    const body = HubSpotErrorBody.safeParse(
      await response
        .clone()
        .json()
        .catch(() => undefined),
    );
    if (body.success && body.data.policyName === 'DAILY') return response;
    const interval = Number(
      response.headers.get('x-hubspot-ratelimit-interval-milliseconds') ?? 10_000,
    );
    const headers = new Headers(response.headers);
    headers.set('retry-after', String(Math.ceil(interval / 1000)));
    return new Response(response.body, { status: 429, statusText: response.statusText, headers });
  };
}

/**
 * Builds the HubSpot connector. Settings: `accessToken` (`HUBSPOT_ACCESS_TOKEN`, a private-app
 * token); optional `baseUrl`. Step options: `emailId` (the marketing e-mail an `email` step
 * publishes).
 * @example
 * const hubspot = createHubSpotConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createHubSpotConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'hubspot',
    [
      { key: 'accessToken', env: 'HUBSPOT_ACCESS_TOKEN' },
      { key: 'baseUrl', env: 'HUBSPOT_BASE_URL', required: false },
    ],
    deps,
  );
  const client = new HttpClient({
    platform: 'hubspot',
    baseUrl: deps.baseUrl ?? settings.baseUrl ?? 'https://api.hubapi.com',
    apiVersion: 'v3',
    successorVersion: 'the date-based version (e.g. 2026-03) of the same API',
    auth: apiKeyAuth({ key: settings.accessToken! }),
    clock: deps.clock,
    limiter: deps.limiter,
    quota: HUBSPOT_QUOTA,
    interpret: interpretHubSpot,
    ...clientOptions(deps),
    fetch: withHubSpotRetryAfter(deps.fetch),
  });
  const call = async <T>(request: HttpRequest<T>): Promise<T> =>
    (await client.request(request)).data;
  const invalid = (message: string): ConnectorError =>
    new ConnectorError({ platform: 'hubspot', code: 'invalid_request', message });

  const emailsOf = (request: ActionRequest): string[] => {
    const emails = request.recipients.flatMap((r) =>
      r.email ? [r.email.trim().toLowerCase()] : [],
    );
    if (emails.length === 0 || emails.length > BATCH_SIZE)
      throw invalid(`audience_sync needs 1–${BATCH_SIZE} recipients with an e-mail address`);
    return emails;
  };
  const emailIdOf = (request: ActionRequest): string => {
    const id = request.options.emailId;
    if (typeof id !== 'string' || !/^\d+$/.test(id))
      throw invalid('email needs options.emailId (a HubSpot marketing e-mail id)');
    return id;
  };
  const readEmail = (id: string, signal?: AbortSignal) =>
    call({
      method: 'GET',
      path: `/marketing/v3/emails/${id}`,
      idempotent: true,
      schema: MarketingEmail,
      ...(signal ? { signal } : {}),
    });
  const published = (request: ActionRequest, id: string): ActionResult => ({
    externalId: id,
    outputs: { emailId: id },
    accepted: request.recipients.length,
  });

  return {
    platform: 'hubspot',
    capabilities: ['send_email', 'sync_audience', 'fetch_metrics'],
    maxBatchSize: BATCH_SIZE,
    async perform(request: ActionRequest): Promise<ActionResult> {
      const signal = request.signal ? { signal: request.signal } : {};
      if (request.action === 'email') {
        const id = emailIdOf(request);
        const email = await readEmail(id, request.signal);
        if (!LIVE.has(email.state)) {
          await call({
            method: 'POST',
            path: `/marketing/v3/emails/${id}/publish`,
            idempotent: false,
            schema: NoContent,
            ...signal,
          });
        }
        return published(request, id);
      }
      if (request.action !== 'audience_sync')
        throw invalid(`${request.action} is not a HubSpot action`);
      const emails = [...new Set(emailsOf(request))];
      const response = await call({
        method: 'POST',
        path: '/crm/v3/objects/contacts/batch/upsert',
        body: {
          inputs: emails.map((email) => ({
            id: email,
            idProperty: 'email',
            properties: { email },
          })),
        },
        idempotent: true,
        schema: BatchResponse,
        ...signal,
      });
      return { outputs: { status: response.status }, accepted: response.results.length };
    },
    async reconcile(request: ActionRequest): Promise<Reconciliation> {
      if (request.action === 'email') {
        const id = emailIdOf(request);
        const email = await readEmail(id, request.signal);
        return LIVE.has(email.state)
          ? { status: 'done', result: published(request, id) }
          : { status: 'not_found' };
      }
      const emails = emailsOf(request);
      const response = await call({
        method: 'POST',
        path: '/crm/v3/objects/contacts/batch/read',
        body: { idProperty: 'email', properties: ['email'], inputs: emails.map((id) => ({ id })) },
        idempotent: true,
        schema: BatchResponse,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return response.results.length === new Set(emails).size
        ? {
            status: 'done',
            result: { outputs: { status: response.status }, accepted: emails.length },
          }
        : { status: 'not_found' };
    },
    async fetchMetrics(query: MetricsRequest): Promise<readonly MetricsRow[]> {
      const rows: MetricsRow[] = [];
      for (const entity of query.entities ?? [undefined]) {
        const params = new URLSearchParams({
          interval: 'DAY',
          startTimestamp: `${query.from}T00:00:00Z`,
          endTimestamp: new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000).toISOString(),
          ...(entity ? { emailIds: entity } : {}),
        });
        const histogram = await call({
          method: 'GET',
          path: `/marketing/v3/emails/statistics/histogram?${params.toString()}`,
          idempotent: true,
          schema: Histogram,
          ...(query.signal ? { signal: query.signal } : {}),
        });
        for (const bucket of histogram.results) {
          const { counters, ratios } = bucket.aggregations;
          rows.push({
            date: bucket.interval.start.slice(0, 10),
            ...(entity ? { entity } : {}),
            metrics: { ...counters, ...ratios },
            timeZone: 'UTC',
          });
        }
      }
      return rows;
    },
    health: (): ConnectorHealth => client.health(),
  };
}
