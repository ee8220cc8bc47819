/**
 * @module
 * Fake Twilio Programmable Messaging (contract: docs/platforms/twilio-sms.md):
 * form-encoded `POST …/Messages.json` answering 201 with string counters and RFC 2822 dates,
 * `GET …/Messages.json` pages (`PageSize`, `Page`, `PageToken`, `next_page_uri`, newest
 * first), `GET …/Messages/{Sid}.json`, and the `{ code, message, more_info, status }` envelope.
 *
 * Messages turn `delivered` 5 s (sandbox clock) after the send, or `undelivered` with 30003
 * for numbers ending in 7, with a price of -0.0079 USD a segment.
 *
 * Sandbox conventions: HTTP Basic with an `AC…` account SID equal to the one in the path and
 * any auth token of 8+ characters; Twilio's magic test numbers fail as in its test account:
 * `+15005550001` 21211 (invalid), `+15005550009` 21614 (not mobile), `+15005550004` 21610
 * (unsubscribed). Twilio queues over-rate messages per sender instead of refusing them; the
 * fake answers 20429 above one message per second per sender so an over-quota client shows.
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';

/** Messages per sender: one per second. */
export const TWILIO_SANDBOX_QUOTA = { limit: 60, windowMs: 60_000 } as const;

/** Carriers report a final status this long after the send. */
const DELIVERY_DELAY_MS = 5000;
const E164 = /^\+[1-9]\d{7,14}$/;
const MAGIC: Readonly<Record<string, readonly [number, string]>> = {
  '+15005550001': [21211, "Invalid 'To' Phone Number"],
  '+15005550009': [21614, "'To' number is not a valid mobile number"],
  '+15005550004': [21610, 'Attempt to send to unsubscribed recipient'],
};

interface Message {
  readonly sid: string;
  readonly account_sid: string;
  readonly messaging_service_sid: string | null;
  readonly from: string | null;
  readonly to: string;
  readonly body: string;
  readonly status: string;
  readonly date_created: string;
}

function error(status: number, code: number, message: string): SandboxResponse {
  return {
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  };
}

const rfc2822 = (ms: number): string => new Date(ms).toUTCString().replace('GMT', '+0000');

/** Builds the fake Twilio. */
export function createTwilioSandbox(context: SandboxContext): PlatformSandbox {
  const messages: Message[] = [];
  const hex = (length: number): string =>
    Array.from({ length }, () => Math.floor(context.random() * 16).toString(16)).join('');

  /** A message as Twilio shows it now: carriers answer 5 s after the send. */
  const resource = (m: Message): Record<string, unknown> => {
    const done = context.clock.now() - Date.parse(m.date_created) >= DELIVERY_DELAY_MS;
    const failed = m.to.endsWith('7');
    const segments = Math.max(1, Math.ceil(m.body.length / 160));
    return {
      ...m,
      status: done ? (failed ? 'undelivered' : 'delivered') : m.status,
      direction: 'outbound-api',
      num_segments: String(segments),
      num_media: '0',
      price: done ? (-0.0079 * segments).toFixed(5) : null,
      price_unit: 'USD',
      error_code: done && failed ? 30003 : null,
      error_message: done && failed ? 'Unreachable destination handset' : null,
      date_updated: m.date_created,
      date_sent: done ? m.date_created : null,
      api_version: '2010-04-01',
      uri: `/2010-04-01/Accounts/${m.account_sid}/Messages/${m.sid}.json`,
    };
  };
  const sentDay = (m: Message): string =>
    new Date(Date.parse(m.date_created)).toISOString().slice(0, 10);

  const send = (account: string, form: Record<string, unknown>, key: unknown): SandboxResponse => {
    const to = typeof form.To === 'string' ? form.To : '';
    const service = typeof form.MessagingServiceSid === 'string' ? form.MessagingServiceSid : null;
    const from = typeof form.From === 'string' ? form.From : null;
    const body = typeof form.Body === 'string' ? form.Body : '';
    if (to === '') return error(400, 21604, "A 'To' phone number is required.");
    const magic = MAGIC[to];
    if (magic) return error(400, magic[0], magic[1]);
    if (!E164.test(to)) return error(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (from === null && service === null)
      return error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required");
    if (body === '') return error(400, 21602, 'Message body is required.');
    if (body.length > 1600)
      return error(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    const message: Message = {
      sid: `SM${hex(32)}`,
      account_sid: account,
      messaging_service_sid: service,
      from,
      to,
      body,
      status: service === null ? 'queued' : 'accepted',
      date_created: rfc2822(context.clock.now()),
    };
    messages.push(message);
    context.deliver({
      recipient: to,
      messageId: message.sid,
      key: typeof key === 'string' ? key : undefined,
    });
    return { status: 201, body: resource(message) };
  };

  const list = (account: string, path: string, query: Readonly<Record<string, string>>) => {
    const size = Math.min(Number(query.PageSize ?? 50), 1000);
    const page = Number(query.Page ?? 0);
    const matching = messages
      .filter(
        (m) =>
          m.account_sid === account &&
          (query.To === undefined || m.to === query.To) &&
          (query.From === undefined || m.from === query.From) &&
          (query['DateSent>'] === undefined || sentDay(m) >= query['DateSent>']) &&
          (query['DateSent<'] === undefined || sentDay(m) <= query['DateSent<']),
      )
      .reverse();
    const start = page * size;
    const more = start + size < matching.length;
    const uri = (n: number): string => {
      const params = new URLSearchParams({ ...query, PageSize: String(size), Page: String(n) });
      if (n > 0) params.set('PageToken', `PASM${n}`);
      return `${path}?${params.toString()}`;
    };
    return {
      status: 200,
      body: {
        messages: matching.slice(start, start + size).map(resource),
        page,
        page_size: size,
        start,
        end: Math.max(start, Math.min(start + size, matching.length) - 1),
        uri: uri(page),
        first_page_uri: uri(0),
        next_page_uri: more ? uri(page + 1) : null,
        previous_page_uri: page > 0 ? uri(page - 1) : null,
      },
    };
  };

  const accountOf = (request: ReceivedRequest): string | undefined => {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) return undefined;
    const [user = '', password = ''] = Buffer.from(header.slice(6), 'base64')
      .toString('utf8')
      .split(':');
    return user.startsWith('AC') && password.length >= 8 ? user : undefined;
  };

  return {
    platform: 'twilio',
    messages: () =>
      messages.map((m) => {
        const sentAt = Date.parse(m.date_created);
        return {
          recipient: m.to,
          messageId: m.sid,
          categories: [],
          sentAt,
          events: [
            { kind: m.to.endsWith('7') ? 'bounce' : 'delivered', at: sentAt + DELIVERY_DELAY_MS },
          ],
        };
      }),
    lane(request: ReceivedRequest): QuotaLane | undefined {
      if (request.method !== 'POST' || !request.path.endsWith('/Messages.json')) return undefined;
      const form = (request.body ?? {}) as Record<string, unknown>;
      const sender = String(form.MessagingServiceSid ?? form.From);
      return { key: `${request.path}:${sender}`, ...TWILIO_SANDBOX_QUOTA };
    },
    handle(request: ReceivedRequest): SandboxResponse {
      const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages(?:\/([^/]+))?\.json$/.exec(
        request.path,
      );
      const account = accountOf(request);
      if (account === undefined || (match && match[1] !== account))
        return error(401, 20003, 'Authenticate');
      if (request.method === 'GET' && request.path === `/2010-04-01/Accounts/${account}.json`)
        return {
          status: 200,
          body: { sid: account, friendly_name: 'Herald sandbox', status: 'active', type: 'Full' },
        };
      if (!match) return error(404, 20404, 'The requested resource was not found');
      const sid = match[2];
      if (sid !== undefined) {
        const found = messages.find((m) => m.sid === sid && m.account_sid === account);
        if (request.method !== 'GET' || !found)
          return error(404, 20404, `The requested resource ${request.path} was not found`);
        return { status: 200, body: resource(found) };
      }
      if (request.method === 'GET') return list(account, request.path, request.query);
      if (typeof request.body !== 'object')
        return error(400, 21604, "A 'To' phone number is required.");
      return send(
        account,
        request.body as Record<string, unknown>,
        request.headers['i-twilio-idempotency-token'],
      );
    },
    rateLimited: () => error(429, 20429, 'Too Many Requests'),
    serverError: (status) => error(status, 20500, 'Internal Server Error'),
    expiredToken: () => error(401, 20003, 'Authenticate'),
    // Twilio documents no retirement answer for 2010-04-01 (unconfirmed): a 410 stands for it.
    versionSunset: () => error(410, 20410, 'API version 2010-04-01 is no longer available'),
  };
}
