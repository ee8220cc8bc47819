/**
 * @module
 * Mailchimp Marketing API v3 (contract: mailchimp.md): audience upserts, e-mail campaigns to
 * a static segment of the batch's recipients (create, content, send or schedule) and campaign
 * reports. The data centre comes from the API key's suffix; at most 10 requests are in flight
 * per key (Mailchimp's connection cap).
 *
 * Exactly-once: no idempotency key (contract §8). Each campaign and segment is titled
 * `herald:<idempotencyKey>`, so `reconcile` finds the campaign by title: sending, sent or
 * scheduled is `done`, none `not_found`, a campaign created but never sent `unknown`. Member
 * upserts are idempotent `PUT`s; `reconcile` reads each member back.
 */
import { createHash } from 'node:crypto';
import { ConfigurationError } from '../../errors.js';
import { basicAuth } from '../auth-strategy.js';
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
  Campaign,
  CampaignPage,
  Content,
  Member,
  NoContent,
  ProblemBody,
  Report,
  Segment,
} from './mailchimp-schemas.js';

/** Mailchimp allows 10 simultaneous connections per user (contract §4). */
export const MAILCHIMP_MAX_IN_FLIGHT = 10;
/** Mailchimp publishes no request quota (contract §4); 10 a second is Herald's own ceiling. */
export const MAILCHIMP_QUOTA: RateQuota = { limit: 600, windowMs: 60_000 };
/** Campaigns per page when looking one up by title. */
const CAMPAIGN_PAGE_SIZE = 1000;
const SENT = new Set(['sending', 'sent', 'schedule']);

/** Maps a Mailchimp response to a failure (contract §5). */
export function interpretMailchimp(response: RawResponse): ResponseFailure | undefined {
  if (response.status < 300) return undefined;
  const parsed = ProblemBody.safeParse(response.body);
  if (!parsed.success) {
    // "At exceptionally high volumes … 429 or 403 without a JSON body" (contract §4).
    return { code: response.status === 403 ? 'rate_limited' : statusCode(response.status) };
  }
  const { title, detail } = parsed.data;
  const code: ConnectorErrorCode =
    title === 'Member In Compliance State' ? 'permission_denied' : statusCode(response.status);
  return { code, platformCode: title, platformMessage: detail };
}

function statusCode(status: number): ConnectorErrorCode {
  if (status === 401) return 'auth_expired';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  // Mailchimp documents no retirement answer for 3.0 (contract §1, unconfirmed): 410 stops.
  if (status === 410) return 'version_sunset';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'transient';
  return 'invalid_request';
}

/** Mailchimp's member id: MD5 of the lowercased, trimmed address (contract §3.1). */
export function subscriberHash(email: string): string {
  return createHash('md5').update(email.trim().toLowerCase()).digest('hex');
}

/**
 * Builds the Mailchimp connector. Settings: `apiKey` (`MAILCHIMP_API_KEY`, `<key>-<dc>`),
 * `listId` (`MAILCHIMP_LIST_ID`), `fromName` (`MAILCHIMP_FROM_NAME`), `replyTo`
 * (`MAILCHIMP_REPLY_TO`); optional `baseUrl`. Step options: `scheduleTime` (UTC ISO on a
 * quarter hour) and `timewarp` to schedule instead of sending; `status` of new members for
 * `audience_sync` (default `subscribed`).
 * @example
 * const mailchimp = createMailchimpConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createMailchimpConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'mailchimp',
    [
      { key: 'apiKey', env: 'MAILCHIMP_API_KEY' },
      { key: 'listId', env: 'MAILCHIMP_LIST_ID' },
      { key: 'fromName', env: 'MAILCHIMP_FROM_NAME' },
      { key: 'replyTo', env: 'MAILCHIMP_REPLY_TO' },
      { key: 'baseUrl', env: 'MAILCHIMP_BASE_URL', required: false },
    ],
    deps,
  );
  const apiKey = settings.apiKey!;
  const dc = /-([a-z]+\d+)$/.exec(apiKey)?.[1];
  const configured = deps.baseUrl ?? settings.baseUrl;
  if (!dc && !configured) {
    throw new ConfigurationError(
      'invalid_credential',
      'mailchimp: MAILCHIMP_API_KEY has no data-centre suffix (e.g. -us19)',
    );
  }
  const auth = basicAuth({ username: 'herald', password: apiKey });
  const listId = settings.listId!;
  const client = new HttpClient({
    platform: 'mailchimp',
    baseUrl: configured ?? `https://${dc!}.api.mailchimp.com`,
    apiVersion: '3.0',
    successorVersion: 'the version named in the Mailchimp release notes',
    auth: { ...auth, secrets: () => [...auth.secrets(), apiKey] },
    clock: deps.clock,
    limiter: deps.limiter,
    quota: MAILCHIMP_QUOTA,
    account: listId,
    interpret: interpretMailchimp,
    ...clientOptions(deps),
  });

  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const call = async <T>(request: HttpRequest<T>): Promise<T> => {
    if (inFlight >= MAILCHIMP_MAX_IN_FLIGHT) await new Promise<void>((r) => waiting.push(r));
    inFlight++;
    try {
      return (await client.request(request)).data;
    } finally {
      inFlight--;
      waiting.shift()?.();
    }
  };

  const title = (request: ActionRequest): string => `herald:${request.idempotencyKey}`;
  const invalid = (message: string): ConnectorError =>
    new ConnectorError({ platform: 'mailchimp', code: 'invalid_request', message });
  const emailsOf = (request: ActionRequest): string[] => {
    const emails = request.recipients.flatMap((r) => (r.email ? [r.email] : []));
    if (emails.length === 0)
      throw invalid(`${request.action} needs recipients with an e-mail address`);
    return emails;
  };

  /** Pages through the list's campaigns, newest first, for the one titled `name`. */
  const findCampaign = async (
    name: string,
    signal?: AbortSignal,
  ): Promise<Campaign | undefined> => {
    for (let offset = 0; ; offset += CAMPAIGN_PAGE_SIZE) {
      const list = await call({
        method: 'GET',
        path: '/3.0/campaigns',
        query: {
          count: String(CAMPAIGN_PAGE_SIZE),
          offset: String(offset),
          list_id: listId,
          sort_field: 'create_time',
          sort_dir: 'DESC',
        },
        idempotent: true,
        schema: CampaignPage,
        ...(signal ? { signal } : {}),
      });
      const found = list.campaigns.find((c) => c.settings.title === name);
      if (found || offset + CAMPAIGN_PAGE_SIZE >= list.total_items) return found;
    }
  };

  const upsert = (email: string, status: string, signal?: AbortSignal) =>
    call({
      method: 'PUT',
      path: `/3.0/lists/${listId}/members/${subscriberHash(email)}`,
      body: { email_address: email, status_if_new: status },
      idempotent: true,
      schema: Member,
      ...(signal ? { signal } : {}),
    });

  const sendCampaign = async (request: ActionRequest): Promise<ActionResult> => {
    const emails = emailsOf(request);
    const subject = request.content.subject ?? request.content.title;
    const html = request.content.html ?? request.content.text;
    if (!subject || !html) throw invalid('email needs a subject and html or text content');
    const signal = request.signal ? { signal: request.signal } : {};
    const segment = await call({
      method: 'POST',
      path: `/3.0/lists/${listId}/segments`,
      body: { name: title(request), static_segment: emails },
      idempotent: false,
      schema: Segment,
      ...signal,
    });
    const campaign = await call({
      method: 'POST',
      path: '/3.0/campaigns',
      body: {
        type: 'regular',
        recipients: { list_id: listId, segment_opts: { saved_segment_id: segment.id } },
        settings: {
          subject_line: subject,
          title: title(request),
          from_name: settings.fromName,
          reply_to: settings.replyTo,
        },
        tracking: { opens: true, html_clicks: true, text_clicks: true },
      },
      idempotent: false,
      schema: Campaign,
      ...signal,
    });
    await call({
      method: 'PUT',
      path: `/3.0/campaigns/${campaign.id}/content`,
      body: { html, ...(request.content.text ? { plain_text: request.content.text } : {}) },
      idempotent: true,
      schema: Content,
      ...signal,
    });
    const scheduleTime = request.options.scheduleTime;
    await call({
      method: 'POST',
      path: `/3.0/campaigns/${campaign.id}/actions/${typeof scheduleTime === 'string' ? 'schedule' : 'send'}`,
      ...(typeof scheduleTime === 'string'
        ? { body: { schedule_time: scheduleTime, timewarp: request.options.timewarp === true } }
        : {}),
      idempotent: false,
      schema: NoContent,
      ...signal,
    });
    return {
      externalId: campaign.id,
      outputs: { campaignId: campaign.id },
      accepted: segment.member_count,
    };
  };

  return {
    platform: 'mailchimp',
    capabilities: ['send_email', 'sync_audience', 'fetch_metrics'],
    // Static segments of up to 1,000 addresses per request, the safer bound (unconfirmed).
    maxBatchSize: 1000,
    async perform(request: ActionRequest): Promise<ActionResult> {
      if (request.action === 'email') return sendCampaign(request);
      if (request.action !== 'audience_sync')
        throw invalid(`${request.action} is not a Mailchimp action`);
      const status =
        typeof request.options.status === 'string' ? request.options.status : 'subscribed';
      const members = await Promise.all(
        emailsOf(request).map((email) => upsert(email, status, request.signal)),
      );
      return { outputs: { listId }, accepted: members.length };
    },
    async reconcile(request: ActionRequest): Promise<Reconciliation> {
      if (request.action === 'audience_sync') {
        const signal = request.signal ? { signal: request.signal } : {};
        const found = await Promise.all(
          emailsOf(request).map((email) =>
            call({
              method: 'GET',
              path: `/3.0/lists/${listId}/members/${subscriberHash(email)}`,
              query: { fields: 'id,status' },
              idempotent: true,
              schema: Member,
              ...signal,
            }).then(
              () => true,
              (error: unknown) => {
                if (error instanceof ConnectorError && error.code === 'not_found') return false;
                throw error;
              },
            ),
          ),
        );
        return found.every(Boolean)
          ? { status: 'done', result: { outputs: { listId }, accepted: found.length } }
          : { status: 'not_found' };
      }
      const campaign = await findCampaign(title(request), request.signal);
      if (!campaign) return { status: 'not_found' };
      if (!SENT.has(campaign.status)) {
        return {
          status: 'unknown',
          reason: `campaign ${campaign.id} was created but is ${campaign.status}; send or delete it before retrying`,
        };
      }
      return {
        status: 'done',
        result: {
          externalId: campaign.id,
          outputs: { campaignId: campaign.id },
          accepted: emailsOf(request).length,
        },
      };
    },
    async fetchMetrics(query: MetricsRequest): Promise<readonly MetricsRow[]> {
      const signal = query.signal ? { signal: query.signal } : {};
      const ids =
        query.entities ??
        (
          await call({
            method: 'GET',
            path: '/3.0/campaigns',
            query: {
              status: 'sent',
              list_id: listId,
              since_send_time: `${query.from}T00:00:00+00:00`,
              before_send_time: new Date(
                Date.parse(`${query.to}T00:00:00Z`) + 86_400_000,
              ).toISOString(),
              count: String(CAMPAIGN_PAGE_SIZE),
            },
            idempotent: true,
            schema: CampaignPage,
            ...signal,
          })
        ).campaigns.map((c) => c.id);
      const rows: MetricsRow[] = [];
      for (const id of ids) {
        const report = await call({
          method: 'GET',
          path: `/3.0/reports/${id}`,
          idempotent: true,
          schema: Report,
          ...signal,
        });
        const metrics: Record<string, number | string | null> = {
          emails_sent: report.emails_sent,
          abuse_reports: report.abuse_reports,
          unsubscribed: report.unsubscribed,
        };
        for (const [group, values] of [
          ['bounces', report.bounces],
          ['opens', report.opens],
          ['clicks', report.clicks],
        ] as const) {
          for (const [name, value] of Object.entries(values)) {
            if (typeof value === 'number') metrics[`${group}.${name}`] = value;
          }
        }
        rows.push({ date: report.send_time.slice(0, 10), entity: id, metrics, timeZone: 'UTC' });
      }
      return rows;
    },
    health: (): ConnectorHealth => client.health(),
  };
}
