/**
 * @module
 * Fake SendGrid v3 (contract: docs/platforms/sendgrid.md): mail send with its
 * validation rules, batch ids, the `errors[]` envelope, and X-RateLimit-* headers on every
 * answer. Each accepted message has a seeded fate ({@link messageEngagement}); global stats
 * (`/v3/stats`, limit/offset paging) and category stats (`/v3/categories/stats`) count the
 * events of accepted messages by UTC day, the Email Activity feed (`/v3/messages`) lists
 * messages with their open and click counts, and `/v3/suppression/unsubscribes` and
 * `/v3/suppression/bounces` the addresses that left or bounced — nothing for mail never sent.
 *
 * Sandbox conventions: API keys start with `SG.`; a `from` address containing `unverified`
 * is not a verified sender. SendGrid does not publish its quotas, so lanes use 600 per minute
 * per key and endpoint (its documented v2 default).
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';
import {
  EMAIL_ENGAGEMENT,
  messageEngagement,
  type EngagementEvent,
} from '../message-engagement.js';

/** Quota per API key and endpoint. */
export const SENDGRID_SANDBOX_QUOTA = { limit: 600, windowMs: 60_000 } as const;

const MAX_SEND_AT_AHEAD_S = 72 * 3600;

interface Address {
  readonly email?: unknown;
}
interface Personalization {
  readonly to?: readonly Address[];
  readonly cc?: readonly Address[];
  readonly bcc?: readonly Address[];
  readonly custom_args?: Record<string, unknown>;
}
interface MailBody {
  readonly personalizations?: readonly Personalization[];
  readonly from?: Address;
  readonly subject?: unknown;
  readonly content?: readonly unknown[];
  readonly template_id?: unknown;
  readonly categories?: readonly unknown[];
  readonly custom_args?: Record<string, unknown>;
  readonly send_at?: unknown;
  readonly reply_to?: unknown;
  readonly reply_to_list?: unknown;
}

function error(status: number, message: string, field: string | null = null): SandboxResponse {
  return { status, body: { errors: [{ message, field, help: null }] } };
}

/** One recipient's copy of an accepted mail. */
interface SentMail {
  readonly messageId: string;
  readonly to: string;
  readonly subject: string;
  readonly categories: readonly string[];
  readonly sentAt: number;
  readonly events: readonly EngagementEvent[];
}

const DAY = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Builds the fake SendGrid. */
export function createSendGridSandbox(context: SandboxContext): PlatformSandbox {
  const batches = new Set<string>();
  const sent: SentMail[] = [];
  const happened = (mail: SentMail): EngagementEvent[] =>
    mail.events.filter((e) => e.at <= context.clock.now());
  const id = (length: number): string =>
    Array.from({ length }, () => Math.floor(context.random() * 36).toString(36)).join('');

  const mailSend = (body: MailBody): SandboxResponse => {
    const personalizations = body.personalizations ?? [];
    if (personalizations.length < 1 || personalizations.length > 1000) {
      return error(
        400,
        'The personalizations field is required and must have at least one personalization.',
        'personalizations',
      );
    }
    const seen = new Set<string>();
    for (const [i, p] of personalizations.entries()) {
      const to = p.to ?? [];
      if (to.length === 0 || to.some((a) => typeof a.email !== 'string')) {
        return error(
          400,
          'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
          `personalizations.${i}.to`,
        );
      }
      for (const address of [...to, ...(p.cc ?? []), ...(p.bcc ?? [])]) {
        const email = String(address.email).toLowerCase();
        if (seen.has(email)) {
          return error(
            400,
            'Each email address in the personalization block should be unique between to, cc, and bcc.',
            `personalizations.${i}`,
          );
        }
        seen.add(email);
      }
      if (Object.values(p.custom_args ?? {}).some((v) => typeof v !== 'string')) {
        return error(
          400,
          'Custom args values must be strings.',
          `personalizations.${i}.custom_args`,
        );
      }
    }
    if (seen.size > 1000)
      return error(
        400,
        'The total number of recipients must be no more than 1000.',
        'personalizations',
      );
    if (typeof body.from?.email !== 'string')
      return error(400, 'The from object must be provided for every email send.', 'from.email');
    if (body.from.email.includes('unverified')) {
      return error(
        403,
        'The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.',
        'from',
      );
    }
    if (
      body.template_id === undefined &&
      (typeof body.subject !== 'string' || body.subject === '')
    ) {
      return error(
        400,
        'The subject is required. You can get around this requirement if you use a template with a subject defined.',
        'subject',
      );
    }
    if (body.template_id === undefined && (body.content ?? []).length === 0) {
      return error(
        400,
        'Unless a valid template_id is provided, the content parameter is required.',
        'content',
      );
    }
    if ((body.categories ?? []).length > 10)
      return error(400, 'Too many categories on this message.', 'categories');
    if (Object.values(body.custom_args ?? {}).some((v) => typeof v !== 'string')) {
      return error(400, 'Custom args values must be strings.', 'custom_args');
    }
    if (body.reply_to !== undefined && body.reply_to_list !== undefined) {
      return error(
        400,
        'The reply_to and reply_to_list properties are mutually exclusive.',
        'reply_to',
      );
    }
    if (body.send_at !== undefined) {
      const now = Math.floor(context.clock.now() / 1000);
      if (!Number.isInteger(body.send_at) || (body.send_at as number) > now + MAX_SEND_AT_AHEAD_S) {
        return error(
          400,
          'The send_at parameter must be a unix timestamp no more than 72 hours in the future.',
          'send_at',
        );
      }
    }
    const messageId = id(22);
    const key = body.custom_args?.herald_key;
    const sentAt = context.clock.now();
    for (const p of personalizations) {
      for (const address of [...(p.to ?? []), ...(p.cc ?? []), ...(p.bcc ?? [])]) {
        const to = String(address.email);
        context.deliver({
          recipient: to,
          messageId,
          key: typeof key === 'string' ? key : undefined,
        });
        sent.push({
          messageId,
          to,
          subject: typeof body.subject === 'string' ? body.subject : '',
          categories: (body.categories ?? []).map(String),
          sentAt,
          events: messageEngagement(
            context.seed,
            `sendgrid:${messageId}:${to}`,
            sentAt,
            EMAIL_ENGAGEMENT,
          ),
        });
      }
    }
    return { status: 202, headers: { 'x-message-id': messageId } };
  };

  const days = (query: Readonly<Record<string, string>>): string[] | SandboxResponse => {
    const start = query.start_date;
    if (!start || !/^\d{4}-\d{2}-\d{2}$/.test(start))
      return error(400, 'start_date is required (YYYY-MM-DD)', 'start_date');
    const end = query.end_date ?? DAY(context.clock.now());
    const out: string[] = [];
    for (
      let t = Date.parse(`${start}T00:00:00Z`);
      t <= Date.parse(`${end}T00:00:00Z`);
      t += 86_400_000
    ) {
      out.push(DAY(t));
    }
    return out;
  };

  /** Counts, per UTC day, of the events of `mails` that have happened. */
  const countByDay = (mails: readonly SentMail[]): Map<string, Record<string, number>> => {
    const byDay = new Map<string, Record<string, number>>();
    const add = (day: string, field: string, n = 1) => {
      const metrics = byDay.get(day) ?? emptyMetrics();
      metrics[field] = (metrics[field] ?? 0) + n;
      byDay.set(day, metrics);
    };
    for (const mail of mails) {
      add(DAY(mail.sentAt), 'requests');
      add(DAY(mail.sentAt), 'processed');
      for (const event of happened(mail)) {
        const day = DAY(event.at);
        if (event.kind === 'delivered') add(day, 'delivered');
        else if (event.kind === 'bounce') add(day, 'bounces');
        else if (event.kind === 'open') {
          add(day, 'unique_opens');
          add(day, 'opens', 1 + (mail.messageId.charCodeAt(0) % 3));
        } else if (event.kind === 'click') {
          add(day, 'unique_clicks');
          add(day, 'clicks');
        } else if (event.kind === 'unsubscribe') add(day, 'unsubscribes');
      }
    }
    return byDay;
  };

  const stats = (query: Readonly<Record<string, string>>): SandboxResponse => {
    const wanted = days(query);
    if (!Array.isArray(wanted)) return wanted;
    const counted = countByDay(sent);
    const offset = Number(query.offset ?? 0);
    const limit = Number(query.limit ?? 500);
    return {
      status: 200,
      body: wanted
        .slice(offset, offset + limit)
        .map((date) => ({ date, stats: [{ metrics: counted.get(date) ?? emptyMetrics() }] })),
    };
  };

  const categoryStats = (query: Readonly<Record<string, string>>): SandboxResponse => {
    const wanted = days(query);
    if (!Array.isArray(wanted)) return wanted;
    const names = (query.categories ?? '').split(',').filter((c) => c !== '');
    if (names.length === 0 || names.length > 10)
      return error(400, 'categories: between 1 and 10 categories are required', 'categories');
    const counted = names.map((name) => ({
      name,
      byDay: countByDay(sent.filter((m) => m.categories.includes(name))),
    }));
    return {
      status: 200,
      body: wanted.map((date) => ({
        date,
        stats: counted.map(({ name, byDay }) => ({
          type: 'category',
          name,
          metrics: byDay.get(date) ?? emptyMetrics(),
        })),
      })),
    };
  };

  /**
   * The Email Activity feed: clauses `field="value"` and `Contains(categories,"name")` joined
   * by AND; at most 1,000 messages a query, as SendGrid allows.
   */
  const activity = (query: Readonly<Record<string, string>>): SandboxResponse => {
    const limit = Number(query.limit ?? 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      return error(400, 'limit must be between 1 and 1000', 'limit');
    const clauses = (query.query ?? '').split(/\s+AND\s+/i).filter((c) => c.trim() !== '');
    const tests: ((m: SentMail) => boolean)[] = [];
    for (const clause of clauses) {
      const contains = /^\(?\s*Contains\(categories,\s*"([^"]*)"\)\s*\)?$/.exec(clause.trim());
      const equals = /^\(?\s*(to_email|msg_id)\s*=\s*"([^"]*)"\s*\)?$/.exec(clause.trim());
      if (contains) tests.push((m) => m.categories.includes(contains[1]!));
      else if (equals)
        tests.push((m) =>
          equals[1] === 'to_email' ? m.to === equals[2] : m.messageId === equals[2],
        );
      else return error(400, `invalid query: ${clause}`, 'query');
    }
    const matching = sent.filter((m) => tests.every((t) => t(m))).slice(0, limit);
    return {
      status: 200,
      body: {
        messages: matching.map((m) => {
          const events = happened(m);
          const count = (kind: string) => events.filter((e) => e.kind === kind).length;
          return {
            from_email: 'sandbox@example.com',
            msg_id: `${m.messageId}.filter0001.${String(sent.indexOf(m))}.0`,
            subject: m.subject,
            to_email: m.to,
            status:
              count('bounce') > 0
                ? 'not_delivered'
                : count('delivered') > 0
                  ? 'delivered'
                  : 'processing',
            opens_count: count('open'),
            clicks_count: count('click'),
            last_event_time: new Date(events.at(-1)?.at ?? m.sentAt).toISOString(),
          };
        }),
      },
    };
  };

  /** Addresses with a `kind` event so far, as a suppression list. */
  const suppressions = (
    kind: 'unsubscribe' | 'bounce',
    query: Readonly<Record<string, string>>,
  ): SandboxResponse => {
    const since = Number(query.start_time ?? 0) * 1000;
    const list = new Map<string, number>();
    for (const mail of sent) {
      for (const event of happened(mail)) {
        if (event.kind === kind && event.at >= since && !list.has(mail.to))
          list.set(mail.to, event.at);
      }
    }
    const offset = Number(query.offset ?? 0);
    const limit = Number(query.limit ?? 500);
    return {
      status: 200,
      body: [...list].slice(offset, offset + limit).map(([email, at]) => ({
        email,
        created: Math.floor(at / 1000),
        ...(kind === 'bounce' ? { reason: '550 5.1.1 mailbox unavailable', status: '5.1.1' } : {}),
      })),
    };
  };

  return {
    platform: 'sendgrid',
    messages: () =>
      sent.map((m) => ({
        recipient: m.to,
        messageId: m.messageId,
        categories: m.categories,
        sentAt: m.sentAt,
        events: m.events,
      })),
    lane(request: ReceivedRequest): QuotaLane | undefined {
      const key = request.headers.authorization ?? '';
      return {
        key: `${key}:${request.path.endsWith('/stats') ? 'stats' : request.path}`,
        ...SENDGRID_SANDBOX_QUOTA,
      };
    },
    handle(request: ReceivedRequest): SandboxResponse {
      if (!(request.headers.authorization ?? '').startsWith('Bearer SG.')) {
        return error(401, 'The provided authorization grant is invalid, expired, or revoked');
      }
      const route = `${request.method} ${request.path}`;
      if (route === 'POST /v3/mail/send') return mailSend(request.body ?? {});
      if (route === 'POST /v3/mail/batch') {
        const batchId = id(32);
        batches.add(batchId);
        return { status: 201, body: { batch_id: batchId } };
      }
      if (request.method === 'GET' && request.path.startsWith('/v3/mail/batch/')) {
        const batchId = request.path.slice('/v3/mail/batch/'.length);
        return batches.has(batchId)
          ? { status: 200, body: { batch_id: batchId } }
          : error(404, 'batch id not found', 'batch_id');
      }
      if (route === 'GET /v3/stats') return stats(request.query);
      if (route === 'GET /v3/categories/stats') return categoryStats(request.query);
      if (route === 'GET /v3/messages') return activity(request.query);
      if (route === 'GET /v3/suppression/unsubscribes')
        return suppressions('unsubscribe', request.query);
      if (route === 'GET /v3/suppression/bounces') return suppressions('bounce', request.query);
      if (route === 'GET /v3/scopes')
        return { status: 200, body: { scopes: ['mail.send', 'stats.read'] } };
      if (['/v3/mail/send', '/v3/mail/batch', '/v3/stats'].includes(request.path))
        return error(405, 'method not allowed');
      return error(404, 'resource not found');
    },
    rateLimited: () => error(429, 'too many requests'),
    serverError: (status) => error(status, 'Internal server error'),
    expiredToken: () =>
      error(401, 'The provided authorization grant is invalid, expired, or revoked'),
    versionSunset: () => error(410, 'This API version has been retired; use the current version.'),
    quotaHeaders: (lane, used, resetAt) => ({
      'x-ratelimit-limit': String(lane.limit),
      'x-ratelimit-remaining': String(Math.max(0, lane.limit - used)),
      'x-ratelimit-reset': String(Math.ceil(resetAt / 1000)),
    }),
  };
}

/** A day's stats with every count SendGrid reports at zero. */
function emptyMetrics(): Record<string, number> {
  return {
    requests: 0,
    processed: 0,
    delivered: 0,
    deferred: 0,
    bounces: 0,
    bounce_drops: 0,
    blocks: 0,
    invalid_emails: 0,
    opens: 0,
    unique_opens: 0,
    clicks: 0,
    unique_clicks: 0,
    unsubscribes: 0,
    unsubscribe_drops: 0,
    spam_reports: 0,
    spam_report_drops: 0,
  };
}
