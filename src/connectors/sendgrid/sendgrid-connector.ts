/**
 * @module
 * SendGrid v3 mail send and stats. The reference connector for API-key platforms: copy this
 * folder, change the settings, the request mapping, `interpretSendGrid` and the schemas.
 *
 * Exactly-once: SendGrid has no idempotency key and no look-up of a send by its
 * `custom_args` (contract §8), so every send carries `custom_args.herald_key` (echoed in every
 * Event Webhook event, for downstream dedupe) and a failure after the platform may have acted
 * is `unknown_outcome`; `reconcile` answers `unknown`, never guessing.
 */
import { apiKeyAuth } from '../auth-strategy.js';
import type {
  AccountIdentity,
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
import { HttpClient } from '../http-client.js';
import type { RawResponse, ResponseFailure } from '../raw-response.js';
import type { RateQuota } from '../quota-limiter.js';
import { validateResponse } from '../response-validation.js';
import {
  ActivityResponse,
  MailSendResponse,
  ScopesResponse,
  SendGridErrorBody,
  StatsResponse,
  SuppressionList,
} from './sendgrid-schemas.js';

/**
 * Requests per rolling minute Herald allows itself. SendGrid does not publish its limits
 * (contract §4); 600/min is its documented v2 default and the safer choice.
 */
export const SENDGRID_QUOTA: RateQuota = { limit: 600, windowMs: 60_000 };

/** Rows of a stats page. */
const STATS_PAGE_SIZE = 100;
/** Most messages one Email Activity query returns (contract: `limit` ≤ 1000). */
const ACTIVITY_LIMIT = 1000;

/**
 * The category every mail of a campaign step carries, under which its metrics are collected.
 * @example
 * sendGridStepCategory('launch', 'email-1'); // "launch/email-1"
 */
export function sendGridStepCategory(campaignId: string, stepId: string): string {
  return `${campaignId}/${stepId}`.slice(0, 255);
}

/** Maps a SendGrid response to a failure (contract §5). */
export function interpretSendGrid(response: RawResponse): ResponseFailure | undefined {
  if (response.status < 300) return undefined;
  const parsed = SendGridErrorBody.safeParse(response.body);
  const first = parsed.success ? parsed.data.errors[0] : undefined;
  const detail = first
    ? { platformMessage: first.field ? `${first.field}: ${first.message}` : first.message }
    : {};
  return { code: sendGridCode(response.status), ...detail };
}

function sendGridCode(status: number): ResponseFailure['code'] {
  if (status === 401) return 'auth_expired';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 410 || status === 426) return 'version_sunset';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'transient';
  return 'invalid_request';
}

/**
 * Builds the SendGrid connector. Settings: `apiKey` (`SENDGRID_API_KEY`), `fromEmail`
 * (`SENDGRID_FROM_EMAIL`), optional `account` (`SENDGRID_ACCOUNT`) and `baseUrl`.
 * @example
 * const sendgrid = createSendGridConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createSendGridConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'sendgrid',
    [
      { key: 'apiKey', env: 'SENDGRID_API_KEY' },
      { key: 'fromEmail', env: 'SENDGRID_FROM_EMAIL' },
      { key: 'account', env: 'SENDGRID_ACCOUNT', required: false },
      { key: 'baseUrl', env: 'SENDGRID_BASE_URL', required: false },
    ],
    deps,
  );
  const client = new HttpClient({
    platform: 'sendgrid',
    baseUrl: deps.baseUrl ?? settings.baseUrl ?? 'https://api.sendgrid.com',
    apiVersion: 'v3',
    auth: apiKeyAuth({ key: settings.apiKey! }),
    clock: deps.clock,
    limiter: deps.limiter,
    quota: SENDGRID_QUOTA,
    account: settings.account ?? 'default',
    interpret: interpretSendGrid,
    ...clientOptions(deps),
  });

  return {
    platform: 'sendgrid',
    capabilities: ['send_email', 'fetch_metrics'],
    maxBatchSize: 1000,
    async perform(request: ActionRequest): Promise<ActionResult> {
      const recipients = request.recipients.filter((r) => r.email !== undefined);
      if (request.action !== 'email' || recipients.length === 0) {
        throw new ConnectorError({
          platform: 'sendgrid',
          code: 'invalid_request',
          message: `${request.action} with ${recipients.length} e-mail recipients cannot be sent; SendGrid sends e-mail to at least one address`,
        });
      }
      const content = [
        ...(request.content.text ? [{ type: 'text/plain', value: request.content.text }] : []),
        ...(request.content.html ? [{ type: 'text/html', value: request.content.html }] : []),
      ];
      const response = await client.request({
        method: 'POST',
        path: '/v3/mail/send',
        lane: 'mail.send',
        idempotent: false,
        schema: MailSendResponse,
        ...(request.signal ? { signal: request.signal } : {}),
        body: {
          personalizations: recipients.map((r) => ({
            to: [{ email: r.email }],
            custom_args: { herald_recipient: r.id },
          })),
          from: { email: settings.fromEmail },
          subject: request.content.subject ?? request.content.title ?? '',
          content: content.length > 0 ? content : [{ type: 'text/plain', value: ' ' }],
          categories: [
            request.campaignId.slice(0, 255),
            sendGridStepCategory(request.campaignId, request.stepId),
          ],
          custom_args: {
            herald_key: request.idempotencyKey,
            herald_campaign: request.campaignId,
            herald_step: request.stepId,
          },
        },
      });
      const messageId = validateResponse(
        'sendgrid',
        '/v3/mail/send',
        MailSendResponse,
        response.headers.get('x-message-id') ?? undefined,
      );
      return {
        externalId: messageId,
        outputs: {
          messageId,
          metricsEntity: sendGridStepCategory(request.campaignId, request.stepId),
        },
        accepted: recipients.length,
      };
    },
    reconcile(): Promise<Reconciliation> {
      return Promise.resolve({
        status: 'unknown',
        reason:
          'SendGrid v3 cannot look up a mail send by custom_args.herald_key; check the Event Webhook or Email Activity for it before re-sending',
      });
    },
    async fetchMetrics(query: MetricsRequest): Promise<readonly MetricsRow[]> {
      const signal = query.signal ? { signal: query.signal } : {};
      // Account-wide without entities; per step category with them.
      const scopes = query.entities ?? [undefined];
      const rows: MetricsRow[] = [];
      for (const category of scopes) {
        for (let offset = 0; ; offset += STATS_PAGE_SIZE) {
          const page = await client.request({
            method: 'GET',
            path: category === undefined ? '/v3/stats' : '/v3/categories/stats',
            lane: 'stats',
            idempotent: true,
            schema: StatsResponse,
            ...signal,
            query: {
              start_date: query.from,
              end_date: query.to,
              aggregated_by: 'day',
              ...(category === undefined
                ? { limit: String(STATS_PAGE_SIZE), offset: String(offset) }
                : { categories: category }),
            },
          });
          for (const bucket of page.data) {
            rows.push({
              date: bucket.date,
              ...(category === undefined ? {} : { entity: category }),
              metrics: sumMetrics(bucket.stats),
            });
          }
          if (category !== undefined || page.data.length < STATS_PAGE_SIZE) break;
        }
      }
      return rows;
    },
    async fetchEngagement(category, options = {}) {
      const signal = options.signal ? { signal: options.signal } : {};
      const activity = await client.request({
        method: 'GET',
        path: '/v3/messages',
        lane: 'messages',
        idempotent: true,
        schema: ActivityResponse,
        ...signal,
        query: { limit: String(ACTIVITY_LIMIT), query: `Contains(categories,"${category}")` },
      });
      const unsubscribed = new Set<string>();
      for (let offset = 0; ; offset += 500) {
        const page = await client.request({
          method: 'GET',
          path: '/v3/suppression/unsubscribes',
          lane: 'suppression',
          idempotent: true,
          schema: SuppressionList,
          ...signal,
          query: { limit: '500', offset: String(offset) },
        });
        for (const entry of page.data) unsubscribed.add(entry.email.toLowerCase());
        if (page.data.length < 500) break;
      }
      const messages = activity.data.messages;
      return {
        complete: messages.length < ACTIVITY_LIMIT,
        recipients: messages.map((m) => ({
          address: m.to_email,
          delivered: m.status === 'delivered',
          bounced: m.status === 'not_delivered',
          opened: m.opens_count > 0,
          clicked: m.clicks_count > 0,
          unsubscribed: unsubscribed.has(m.to_email.toLowerCase()),
        })),
      };
    },
    health: (): ConnectorHealth => client.health(),
    async verify(signal?: AbortSignal): Promise<AccountIdentity> {
      const response = await client.request({
        method: 'GET',
        path: '/v3/scopes',
        lane: 'scopes',
        idempotent: true,
        schema: ScopesResponse,
        ...(signal ? { signal } : {}),
      });
      if (!response.data.scopes.includes('mail.send')) {
        throw new ConnectorError({
          platform: 'sendgrid',
          code: 'permission_denied',
          message: 'SENDGRID_API_KEY cannot send mail; give the key the "Mail Send" permission',
        });
      }
      return { account: settings.account ?? `sender ${settings.fromEmail!}` };
    },
  };
}

function sumMetrics(stats: StatsResponse[number]['stats']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of stats) {
    for (const [name, value] of Object.entries(entry.metrics)) {
      if (typeof value === 'number') out[name] = (out[name] ?? 0) + value;
    }
  }
  return out;
}
