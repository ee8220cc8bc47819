/**
 * @module
 * Fake SendGrid v3 (contract: /work/shared/platforms/sendgrid.md): mail send with its
 * validation rules, batch ids, seeded stats with limit/offset paging, the `errors[]`
 * envelope, and X-RateLimit-* headers on every answer.
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
import { hashSeed, seededRandom } from '../seeded-random.js';

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

/** Builds the fake SendGrid. */
export function createSendGridSandbox(context: SandboxContext): PlatformSandbox {
  const batches = new Set<string>();
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
    for (const p of personalizations) {
      for (const address of [...(p.to ?? []), ...(p.cc ?? []), ...(p.bcc ?? [])]) {
        context.deliver({
          recipient: String(address.email),
          messageId,
          key: typeof key === 'string' ? key : undefined,
        });
      }
    }
    return { status: 202, headers: { 'x-message-id': messageId } };
  };

  const stats = (query: Readonly<Record<string, string>>): SandboxResponse => {
    const start = query.start_date;
    if (!start || !/^\d{4}-\d{2}-\d{2}$/.test(start))
      return error(400, 'start_date is required (YYYY-MM-DD)', 'start_date');
    const end = query.end_date ?? new Date(context.clock.now()).toISOString().slice(0, 10);
    const days: string[] = [];
    for (
      let t = Date.parse(`${start}T00:00:00Z`);
      t <= Date.parse(`${end}T00:00:00Z`);
      t += 86_400_000
    ) {
      days.push(new Date(t).toISOString().slice(0, 10));
    }
    const offset = Number(query.offset ?? 0);
    const limit = Number(query.limit ?? 500);
    return {
      status: 200,
      body: days
        .slice(offset, offset + limit)
        .map((date) => ({ date, stats: [{ metrics: seededMetrics(context.seed, date) }] })),
    };
  };

  return {
    platform: 'sendgrid',
    lane(request: ReceivedRequest): QuotaLane | undefined {
      const key = request.headers.authorization ?? '';
      return {
        key: `${key}:${request.path.startsWith('/v3/stats') ? 'stats' : request.path}`,
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

/** Reproducible daily stats: the same seed and date always give the same counts. */
export function seededMetrics(seed: number, date: string): Record<string, number> {
  const random = seededRandom(seed ^ hashSeed(`sendgrid:${date}`));
  const requests = 1000 + Math.floor(random() * 9000);
  const bounces = Math.floor(requests * 0.02 * random());
  const delivered = requests - bounces;
  const uniqueOpens = Math.floor(delivered * (0.15 + 0.25 * random()));
  const uniqueClicks = Math.floor(uniqueOpens * (0.05 + 0.2 * random()));
  return {
    requests,
    processed: requests,
    delivered,
    deferred: Math.floor(requests * 0.01 * random()),
    bounces,
    bounce_drops: 0,
    blocks: 0,
    invalid_emails: 0,
    opens: uniqueOpens + Math.floor(uniqueOpens * random()),
    unique_opens: uniqueOpens,
    clicks: uniqueClicks + Math.floor(uniqueClicks * random()),
    unique_clicks: uniqueClicks,
    unsubscribes: Math.floor(delivered * 0.002 * random()),
    unsubscribe_drops: 0,
    spam_reports: Math.floor(delivered * 0.0005 * random()),
    spam_report_drops: 0,
  };
}
