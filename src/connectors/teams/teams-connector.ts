/**
 * @module
 * Microsoft Teams notifications through an incoming webhook (contract: teams.md): a legacy
 * Microsoft 365 connector URL (200 `1`) or its replacement, a Workflows (Power Automate) URL
 * (202, empty). Both get the same Adaptive Card envelope.
 *
 * Exactly-once: a webhook has no idempotency and nothing to read back (contract §8), so a
 * failure after Teams may have posted is `unknown_outcome` and `reconcile` answers `unknown`.
 * Connectors report throttling inside a 200 body; that text is read as `rate_limited`.
 */
import { ConfigurationError } from '../../errors.js';
import type { AuthStrategy } from '../auth-strategy.js';
import type {
  ActionRequest,
  ActionResult,
  Connector,
  ConnectorHealth,
  Reconciliation,
} from '../connector.js';
import { readSettings } from '../connector-credentials.js';
import { clientOptions, type ConnectorDeps } from '../connector-deps.js';
import { ConnectorError, type ConnectorErrorCode } from '../connector-error.js';
import { HttpClient } from '../http-client.js';
import type { RateQuota } from '../quota-limiter.js';
import type { RawResponse, ResponseFailure } from '../raw-response.js';
import { WebhookAnswer } from './teams-schemas.js';

/**
 * Connector windows per webhook (contract §4): 4 per second, 60 per 30 s, 100 per hour, 150
 * per 2 h, 1,800 per day. Workflows' limits are unpublished; the same windows are the safer
 * choice for them too.
 */
export const TEAMS_QUOTAS: readonly RateQuota[] = [
  { limit: 4, windowMs: 1000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 100, windowMs: 3_600_000 },
  { limit: 150, windowMs: 7_200_000 },
  { limit: 1800, windowMs: 86_400_000 },
];

/** Maps a webhook answer to a failure (contract §5), including 429s reported in a 200 body. */
export function interpretTeams(response: RawResponse): ResponseFailure | undefined {
  const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  if (response.status < 300 && !/HTTP error 429|delivery failed/i.test(text)) return undefined;
  const detail = text.trim() === '' ? {} : { platformMessage: text.trim().slice(0, 300) };
  return { code: teamsCode(response.status, text), ...detail };
}

function teamsCode(status: number, text: string): ConnectorErrorCode {
  if (status === 429 || /HTTP error 429/.test(text)) return 'rate_limited';
  // The body says delivery failed: Teams did not post it.
  if (status < 300) return 'transient';
  if (status === 401) return 'auth_expired';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  // Retired connector URLs answer 410 (unconfirmed): a Workflows URL replaces them.
  if (status === 410) return 'version_sunset';
  if (status >= 500) return 'transient';
  return 'invalid_request';
}

/** The URL is its own credential: nothing to sign, only to scrub from errors. */
function urlAuth(url: string): AuthStrategy {
  return {
    authorize: () => Promise.resolve(''),
    refresh: () => Promise.resolve(false),
    secrets: () => [url, new URL(url).pathname, new URL(url).searchParams.get('sig') ?? ''],
  };
}

/**
 * Builds the Teams connector. Setting: `webhookUrl` (`TEAMS_WEBHOOK_URL`), a connector
 * (`…webhook.office.com/webhookb2/…`) or Workflows (`…/workflows/…/paths/invoke?…&sig=…`)
 * URL. On the sandbox the URL's origin is replaced by the sandbox's. Step content: `title`,
 * `text` (Markdown) and `link` (an "Open" button).
 * @example
 * const teams = createTeamsConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createTeamsConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings('teams', [{ key: 'webhookUrl', env: 'TEAMS_WEBHOOK_URL' }], deps);
  let configured: URL;
  try {
    configured = new URL(settings.webhookUrl!);
  } catch {
    throw new ConfigurationError('invalid_credential', 'teams: TEAMS_WEBHOOK_URL is not a URL');
  }
  const webhook = deps.baseUrl
    ? `${deps.baseUrl}${configured.pathname}${configured.search}`
    : configured.toString();
  const client = new HttpClient({
    platform: 'teams',
    baseUrl: new URL(webhook).origin,
    apiVersion: configured.pathname.includes('/workflows/')
      ? 'Workflows webhook'
      : 'Microsoft 365 connector',
    successorVersion: 'a Workflows (Power Automate) webhook URL',
    auth: urlAuth(webhook),
    clock: deps.clock,
    limiter: deps.limiter,
    quota: TEAMS_QUOTAS.at(-1)!,
    account: configured.pathname,
    interpret: interpretTeams,
    ...clientOptions(deps),
  });

  return {
    platform: 'teams',
    capabilities: ['notify'],
    maxBatchSize: 1,
    async perform(request: ActionRequest): Promise<ActionResult> {
      const { title, text, link } = request.content;
      if (request.action !== 'notify' || ((title ?? '') === '' && (text ?? '') === '')) {
        throw new ConnectorError({
          platform: 'teams',
          code: 'invalid_request',
          message: `${request.action} needs a title or text; Teams webhooks take notifications`,
        });
      }
      // Every window but the longest is waited for here; the client holds the longest.
      for (const quota of TEAMS_QUOTAS.slice(0, -1)) {
        await deps.limiter.acquire(
          `teams:${configured.pathname}:${quota.windowMs}`,
          quota,
          request.signal,
        );
      }
      await client.request({
        method: 'POST',
        path: webhook,
        lane: 'webhook',
        authenticate: false,
        idempotent: false,
        schema: WebhookAnswer,
        ...(request.signal ? { signal: request.signal } : {}),
        body: {
          type: 'message',
          attachments: [
            {
              contentType: 'application/vnd.microsoft.card.adaptive',
              contentUrl: null,
              content: {
                $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
                type: 'AdaptiveCard',
                version: '1.4',
                body: [
                  ...(title
                    ? [
                        {
                          type: 'TextBlock',
                          text: title,
                          weight: 'Bolder',
                          size: 'Medium',
                          wrap: true,
                        },
                      ]
                    : []),
                  ...(text ? [{ type: 'TextBlock', text, wrap: true }] : []),
                ],
                ...(link
                  ? { actions: [{ type: 'Action.OpenUrl', title: 'Open', url: link }] }
                  : {}),
              },
            },
          ],
        },
      });
      return { outputs: {}, accepted: 1 };
    },
    reconcile(): Promise<Reconciliation> {
      return Promise.resolve({
        status: 'unknown',
        reason: 'Teams webhooks leave nothing to look up; check the channel before re-sending',
      });
    },
    health: (): ConnectorHealth => client.health(),
  };
}
