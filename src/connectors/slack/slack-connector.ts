/**
 * @module
 * Slack notifications: Web API `chat.postMessage` with a bot token (optionally rotated through
 * `oauth.v2.access`), or an incoming webhook. The reference connector for OAuth platforms and
 * for platforms that answer errors with HTTP 200.
 *
 * Exactly-once: each message carries `metadata.event_payload.idempotency_key`, so `reconcile`
 * searches `conversations.history` for it. Webhooks leave no trace to search: `unknown`.
 */
import { ConfigurationError } from '../../errors.js';
import { apiKeyAuth, oauth2Auth, type AuthStrategy } from '../auth-strategy.js';
import type {
  AccountIdentity,
  ActionRequest,
  ActionResult,
  Connector,
  ConnectorHealth,
  Reconciliation,
} from '../connector.js';
import { readSettings } from '../connector-credentials.js';
import { clientOptions, type ConnectorDeps } from '../connector-deps.js';
import { ConnectorError } from '../connector-error.js';
import { HttpClient } from '../http-client.js';
import type { RateQuota } from '../quota-limiter.js';
import { interpretSlack } from './slack-error-codes.js';
import {
  AuthTestResponse,
  HistoryResponse,
  PostMessageResponse,
  TokenResponse,
  WebhookResponse,
} from './slack-schemas.js';

/** `chat.postMessage`: about one message per second per channel (contract §4). */
export const SLACK_POST_QUOTA: RateQuota = { limit: 60, windowMs: 60_000 };
/** `conversations.history`: Tier 3, 50 per minute. */
export const SLACK_HISTORY_QUOTA: RateQuota = { limit: 50, windowMs: 60_000 };
/** Incoming webhooks: one per second. */
export const SLACK_WEBHOOK_QUOTA: RateQuota = { limit: 60, windowMs: 60_000 };

/** Pages of history `reconcile` reads before it answers `unknown`. */
const MAX_HISTORY_PAGES = 5;
/** `metadata.event_type` of every message Herald posts. */
export const SLACK_EVENT_TYPE = 'herald_action';

/**
 * Builds the Slack connector. Settings: `botToken` (`SLACK_BOT_TOKEN`) and/or `webhookUrl`
 * (`SLACK_WEBHOOK_URL`); for token rotation `refreshToken`, `clientId`, `clientSecret`
 * (`SLACK_REFRESH_TOKEN`, `SLACK_CLIENT_ID`, `SLACK_CLIENT_SECRET`); optional `account`
 * (`SLACK_TEAM_ID`) and `baseUrl`.
 * @example
 * const slack = createSlackConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createSlackConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'slack',
    [
      { key: 'botToken', env: 'SLACK_BOT_TOKEN', required: false },
      { key: 'webhookUrl', env: 'SLACK_WEBHOOK_URL', required: false },
      { key: 'refreshToken', env: 'SLACK_REFRESH_TOKEN', required: false },
      { key: 'account', env: 'SLACK_TEAM_ID', required: false },
      { key: 'baseUrl', env: 'SLACK_BASE_URL', required: false },
    ],
    deps,
  );
  if (settings.botToken === undefined && settings.webhookUrl === undefined) {
    throw new ConfigurationError(
      'missing_credential',
      'slack: set SLACK_BOT_TOKEN or SLACK_WEBHOOK_URL (or config.slack) before starting',
    );
  }
  const rotation =
    settings.refreshToken === undefined
      ? undefined
      : readSettings(
          'slack',
          [
            { key: 'clientId', env: 'SLACK_CLIENT_ID' },
            { key: 'clientSecret', env: 'SLACK_CLIENT_SECRET' },
          ],
          deps,
        );
  const webhookUrl = settings.webhookUrl;
  const botToken = settings.botToken ?? '';

  const refresh = async (refreshToken: string, signal?: AbortSignal) => {
    const response = await client.request({
      method: 'POST',
      path: '/api/oauth.v2.access',
      lane: 'oauth',
      idempotent: true,
      authenticate: false,
      schema: TokenResponse,
      ...(signal ? { signal } : {}),
      form: {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: rotation!.clientId!,
        client_secret: rotation!.clientSecret!,
      },
    });
    return { accessToken: response.data.access_token, refreshToken: response.data.refresh_token };
  };
  const auth: AuthStrategy = rotation
    ? oauth2Auth({
        tokens: { accessToken: botToken, refreshToken: settings.refreshToken! },
        refresh,
        clientSecret: rotation.clientSecret!,
      })
    : apiKeyAuth({ key: botToken });
  const secrets = (): readonly string[] => auth.secrets();
  const client: HttpClient = new HttpClient({
    platform: 'slack',
    baseUrl: deps.baseUrl ?? settings.baseUrl ?? 'https://slack.com',
    apiVersion: 'Web API',
    successorVersion: 'the method named in the Slack changelog',
    auth: { ...auth, secrets: () => (webhookUrl ? [...secrets(), webhookUrl] : secrets()) },
    clock: deps.clock,
    limiter: deps.limiter,
    quota: SLACK_POST_QUOTA,
    account: settings.account ?? 'default',
    interpret: interpretSlack,
    ...clientOptions(deps),
  });

  const channelOf = (request: ActionRequest): string | undefined => {
    const option = request.options.channel;
    const channel = request.content.channel ?? (typeof option === 'string' ? option : undefined);
    return settings.botToken !== undefined ? channel : undefined;
  };
  const textOf = (request: ActionRequest): string =>
    [request.content.title, request.content.text, request.content.link]
      .filter((part) => part !== undefined && part !== '')
      .join('\n');

  return {
    platform: 'slack',
    capabilities: ['notify'],
    maxBatchSize: 1,
    async perform(request: ActionRequest): Promise<ActionResult> {
      const channel = channelOf(request);
      const text = textOf(request);
      if (request.action !== 'notify' || text === '' || (!channel && !webhookUrl)) {
        throw new ConnectorError({
          platform: 'slack',
          code: 'invalid_request',
          message: `${request.action} needs text and a channel (with a bot token) or a webhook`,
        });
      }
      const signal = request.signal ? { signal: request.signal } : {};
      if (!channel) {
        await client.request({
          method: 'POST',
          path: webhookUrl!,
          lane: 'webhook',
          quota: SLACK_WEBHOOK_QUOTA,
          authenticate: false,
          idempotent: false,
          schema: WebhookResponse,
          body: { text },
          ...signal,
        });
        return { outputs: {}, accepted: 1 };
      }
      const response = await client.request({
        method: 'POST',
        path: '/api/chat.postMessage',
        lane: `chat.postMessage:${channel}`,
        idempotent: false,
        schema: PostMessageResponse,
        body: {
          channel,
          text,
          metadata: {
            event_type: SLACK_EVENT_TYPE,
            event_payload: {
              idempotency_key: request.idempotencyKey,
              campaign_id: request.campaignId,
              step_id: request.stepId,
            },
          },
        },
        ...signal,
      });
      const { ts } = response.data;
      return {
        externalId: ts,
        outputs: { channel: response.data.channel, ts },
        accepted: 1,
      };
    },
    async reconcile(request: ActionRequest): Promise<Reconciliation> {
      const channel = channelOf(request);
      if (!channel) {
        return { status: 'unknown', reason: 'incoming webhooks leave nothing to look up' };
      }
      let cursor = '';
      for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
        const response = await client.request({
          method: 'GET',
          path: '/api/conversations.history',
          lane: `conversations.history:${channel}`,
          quota: SLACK_HISTORY_QUOTA,
          idempotent: true,
          schema: HistoryResponse,
          query: { channel, include_all_metadata: 'true', limit: '200', cursor },
          ...(request.signal ? { signal: request.signal } : {}),
        });
        const found = response.data.messages.find(
          (m) =>
            m.metadata?.event_type === SLACK_EVENT_TYPE &&
            m.metadata.event_payload.idempotency_key === request.idempotencyKey,
        );
        if (found) {
          return {
            status: 'done',
            result: { externalId: found.ts, outputs: { channel, ts: found.ts }, accepted: 1 },
          };
        }
        cursor = response.data.response_metadata?.next_cursor ?? '';
        if (cursor === '') return { status: 'not_found' };
      }
      return {
        status: 'unknown',
        reason: `not among the latest ${MAX_HISTORY_PAGES * 200} messages of the channel`,
      };
    },
    health: (): ConnectorHealth => client.health(),
    async verify(signal?: AbortSignal): Promise<AccountIdentity> {
      if (!settings.botToken)
        return { account: 'an incoming webhook (Slack offers no check without posting)' };
      const response = await client.request({
        method: 'POST',
        path: '/api/auth.test',
        lane: 'auth',
        idempotent: true,
        schema: AuthTestResponse,
        ...(signal ? { signal } : {}),
      });
      return { account: response.data.team ?? response.data.team_id };
    },
  };
}
