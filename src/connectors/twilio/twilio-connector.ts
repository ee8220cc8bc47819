/**
 * @module
 * Twilio Programmable Messaging (contract: twilio-sms.md): one SMS per recipient through
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, HTTP Basic.
 *
 * Exactly-once: Twilio has no idempotency key for creating Messages (contract §8), so a
 * failure after Twilio may have acted is `unknown_outcome`. `reconcile` lists the messages
 * sent from the configured sender to the recipient: none with this body means the attempt
 * never created a Message (`not_found`); one with this body may be this attempt or an earlier
 * step's identical text, so the answer is `unknown`, never a guess.
 *
 * Metrics: Twilio has no campaign report, so `fetchMetrics` counts the sender's messages per
 * UTC day of `date_sent` by status (`messages`, `sent`, `delivered`, `undelivered`, `failed`…)
 * and sums `price` (negative, in `price_unit`) as Twilio reports it (contract §7).
 */
import { basicAuth } from '../auth-strategy.js';
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
import { ConnectorError, type ConnectorErrorCode } from '../connector-error.js';
import { HttpClient } from '../http-client.js';
import type { RateQuota } from '../quota-limiter.js';
import type { RawResponse, ResponseFailure } from '../raw-response.js';
import { MessagePage, TwilioAccount, TwilioErrorBody, TwilioMessage } from './twilio-schemas.js';

/**
 * Messages per rolling minute per sender. Twilio limits REST calls by concurrency and queues
 * messages per sender at its MPS rate (about 1 per second on a US long code, unconfirmed);
 * 1 per second is the safer choice, so queued messages never outlive `ValidityPeriod`.
 */
export const TWILIO_QUOTA: RateQuota = { limit: 60, windowMs: 60_000 };

/** Messages per page of `Messages.json` (Twilio's default). */
const LIST_PAGE_SIZE = 50;
/** Pages of `Messages.json` `reconcile` reads before it answers `unknown`. */
const MAX_LIST_PAGES = 4;

/** Twilio error code → Herald code (contract §5); codes not listed map by HTTP status. */
export const TWILIO_ERROR_CODES: Readonly<Record<number, ConnectorErrorCode>> = {
  20003: 'auth_expired',
  20404: 'not_found',
  20429: 'rate_limited',
  21408: 'permission_denied',
  21610: 'permission_denied',
};

/** Maps a Twilio response to a failure (contract §5). */
export function interpretTwilio(response: RawResponse): ResponseFailure | undefined {
  if (response.status < 300) return undefined;
  const parsed = TwilioErrorBody.safeParse(response.body);
  const code = parsed.success ? TWILIO_ERROR_CODES[parsed.data.code] : undefined;
  const detail = parsed.success
    ? { platformCode: String(parsed.data.code), platformMessage: parsed.data.message }
    : {};
  return { code: code ?? twilioStatusCode(response.status), ...detail };
}

function twilioStatusCode(status: number): ConnectorErrorCode {
  if (status === 401) return 'auth_expired';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  // Twilio documents no retirement signal for 2010-04-01 (unconfirmed): 410 stops, not retries.
  if (status === 410) return 'version_sunset';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'transient';
  return 'invalid_request';
}

/**
 * Builds the Twilio SMS connector. Settings: `accountSid` (`TWILIO_ACCOUNT_SID`), `authToken`
 * (`TWILIO_AUTH_TOKEN`), `from` (`TWILIO_FROM`: an E.164 number, alphanumeric sender or an
 * `MG…` Messaging Service), optional `baseUrl` (`TWILIO_BASE_URL`).
 * @example
 * const twilio = createTwilioConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createTwilioConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'twilio',
    [
      { key: 'accountSid', env: 'TWILIO_ACCOUNT_SID' },
      { key: 'authToken', env: 'TWILIO_AUTH_TOKEN' },
      { key: 'from', env: 'TWILIO_FROM' },
      { key: 'baseUrl', env: 'TWILIO_BASE_URL', required: false },
    ],
    deps,
  );
  const accountSid = settings.accountSid!;
  const from = settings.from!;
  const service = from.startsWith('MG');
  const messagesPath = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const client = new HttpClient({
    platform: 'twilio',
    baseUrl: deps.baseUrl ?? settings.baseUrl ?? 'https://api.twilio.com',
    apiVersion: '2010-04-01',
    successorVersion: 'the version named in the Twilio changelog',
    auth: basicAuth({ username: accountSid, password: settings.authToken! }),
    clock: deps.clock,
    limiter: deps.limiter,
    quota: TWILIO_QUOTA,
    account: accountSid,
    interpret: interpretTwilio,
    ...clientOptions(deps),
  });

  const target = (request: ActionRequest): { to: string; body: string } => {
    const [recipient, ...rest] = request.recipients;
    const body = request.content.text ?? request.content.title ?? '';
    if (request.action !== 'sms' || rest.length > 0 || !recipient?.phone || body === '') {
      throw new ConnectorError({
        platform: 'twilio',
        code: 'invalid_request',
        message: `${request.action} to ${request.recipients.length} recipients cannot be sent; Twilio sends one SMS with text to one phone number`,
      });
    }
    return { to: recipient.phone, body };
  };

  return {
    platform: 'twilio',
    capabilities: ['send_sms', 'fetch_metrics'],
    maxBatchSize: 1,
    async perform(request: ActionRequest): Promise<ActionResult> {
      const { to, body } = target(request);
      const response = await client.request({
        method: 'POST',
        path: messagesPath,
        lane: `messages:${from}`,
        idempotent: false,
        schema: TwilioMessage,
        form: { To: to, [service ? 'MessagingServiceSid' : 'From']: from, Body: body },
        fetch: withIdempotencyToken(deps.fetch, request.idempotencyKey),
        ...(request.signal ? { signal: request.signal } : {}),
      });
      const { sid, status } = response.data;
      return { externalId: sid, outputs: { sid, status }, accepted: 1 };
    },
    async reconcile(request: ActionRequest): Promise<Reconciliation> {
      const { to, body } = target(request);
      const query = new URLSearchParams({ To: to, PageSize: String(LIST_PAGE_SIZE) });
      if (!service) query.set('From', from);
      let path: string | null = `${messagesPath}?${query.toString()}`;
      for (let page = 0; page < MAX_LIST_PAGES && path !== null; page++) {
        const response: { data: MessagePage } = await client.request({
          method: 'GET',
          path,
          lane: 'messages.list',
          idempotent: true,
          schema: MessagePage,
          ...(request.signal ? { signal: request.signal } : {}),
        });
        const same = response.data.messages.find((m) => m.body === body);
        if (same) {
          return {
            status: 'unknown',
            reason: `message ${same.sid} to this number has the same text; Twilio carries no idempotency key to tell whether it is this attempt`,
          };
        }
        path = response.data.next_page_uri;
      }
      return path === null
        ? { status: 'not_found' }
        : {
            status: 'unknown',
            reason: `not among the latest ${MAX_LIST_PAGES * LIST_PAGE_SIZE} messages to this number`,
          };
    },
    async fetchMetrics(query: MetricsRequest): Promise<readonly MetricsRow[]> {
      const params = new URLSearchParams({
        'DateSent>': query.from,
        'DateSent<': query.to,
        PageSize: '1000',
      });
      if (!service) params.set('From', from);
      const days = new Map<
        string,
        { counts: Record<string, number>; price?: number; unit?: string }
      >();
      for (let path: string | null = `${messagesPath}?${params.toString()}`; path !== null;) {
        const response: { data: MessagePage } = await client.request({
          method: 'GET',
          path,
          lane: 'messages.list',
          idempotent: true,
          schema: MessagePage,
          ...(query.signal ? { signal: query.signal } : {}),
        });
        for (const message of response.data.messages) {
          if (!message.date_sent) continue;
          const date = new Date(Date.parse(message.date_sent)).toISOString().slice(0, 10);
          const day = days.get(date) ?? {
            counts: { messages: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0 },
          };
          day.counts.messages = (day.counts.messages ?? 0) + 1;
          day.counts[message.status] = (day.counts[message.status] ?? 0) + 1;
          if (message.price) {
            day.price = (day.price ?? 0) + Number(message.price);
            if (message.price_unit) day.unit = message.price_unit;
          }
          days.set(date, day);
        }
        path = response.data.next_page_uri;
      }
      return [...days.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([date, day]) => ({
          date,
          metrics: {
            ...day.counts,
            ...(day.price === undefined ? {} : { price: Math.round(day.price * 1e5) / 1e5 }),
          },
          ...(day.unit ? { currency: day.unit } : {}),
          timeZone: 'UTC',
        }));
    },
    health: (): ConnectorHealth => client.health(),
    async verify(signal?: AbortSignal): Promise<AccountIdentity> {
      const response = await client.request({
        method: 'GET',
        path: `/2010-04-01/Accounts/${accountSid}.json`,
        lane: 'account',
        idempotent: true,
        schema: TwilioAccount,
        ...(signal ? { signal } : {}),
      });
      const { friendly_name: name, status, type } = response.data;
      if (status !== 'active') {
        throw new ConnectorError({
          platform: 'twilio',
          code: 'permission_denied',
          message: `the Twilio account ${accountSid} is ${status}; reactivate it in the Twilio console`,
        });
      }
      return { account: name, tier: type };
    },
  };
}

/**
 * Adds `I-Twilio-Idempotency-Token: <key>` to a send. Twilio documents the header only on its
 * own webhooks (contract §8, unconfirmed on requests): it is sent so logs and the sandbox see
 * the key, never relied on for deduplication.
 */
function withIdempotencyToken(base: typeof fetch | undefined, key: string): typeof fetch {
  return (input, init) =>
    (base ?? globalThis.fetch)(input, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), 'i-twilio-idempotency-token': key },
    });
}
