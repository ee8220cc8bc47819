/**
 * @module
 * Fake Mailchimp Marketing API v3 (contract: docs/platforms/mailchimp.md): member
 * upserts keyed by MD5 (`status_if_new` required for new members, compliance-state refusals),
 * static segments, campaign create/content/send/schedule (actions answer 204 with an empty
 * body; schedule times must fall on a quarter hour, not with both timewarp and batch
 * delivery), offset-paged campaign lists, seeded reports for sent campaigns and
 * `application/problem+json` errors.
 *
 * Sandbox conventions: keys look like `<32 hex>-us1`, sent as HTTP Basic passwords; addresses
 * containing `unsubscribed` are in compliance state. Mailchimp's limit is 10 concurrent
 * connections, which a fake that answers synchronously cannot hold open, so it counts a
 * window instead: 600 requests per minute per key.
 */
import { createHash } from 'node:crypto';
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';
import { fnv1a, seededRandom } from '../../seeded-random.js';

/** Requests per key per minute (the fake's stand-in for the concurrency cap). */
export const MAILCHIMP_SANDBOX_QUOTA = { limit: 600, windowMs: 60_000 } as const;

const KEY = /^[0-9a-f]{32}-[a-z]+\d+$/;

interface Campaign {
  readonly id: string;
  readonly title: string;
  readonly listId: string;
  readonly segmentId: number | undefined;
  status: string;
  send_time: string;
  html: string | undefined;
  readonly created: number;
}

function problem(
  status: number,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
    body: {
      type: 'https://mailchimp.com/developer/marketing/docs/errors/',
      title,
      status,
      detail,
      instance: '00000000-0000-4000-8000-000000000000',
      ...extra,
    },
  };
}

const md5 = (text: string): string =>
  createHash('md5').update(text.trim().toLowerCase()).digest('hex');

/** Builds the fake Mailchimp. */
export function createMailchimpSandbox(context: SandboxContext): PlatformSandbox {
  const members = new Map<string, { email: string; status: string }>();
  const segments = new Map<number, string[]>();
  const campaigns: Campaign[] = [];
  let serial = 0;
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(context.random() * 16).toString(16)).join('');

  const view = (c: Campaign): Record<string, unknown> => ({
    id: c.id,
    web_id: campaigns.indexOf(c) + 1,
    type: 'regular',
    create_time: new Date(c.created).toISOString(),
    status: c.status,
    emails_sent: c.status === 'sent' ? (segments.get(c.segmentId ?? -1) ?? []).length : 0,
    send_time: c.send_time,
    content_type: 'html',
    recipients: { list_id: c.listId, segment_opts: { saved_segment_id: c.segmentId } },
    settings: { title: c.title },
  });

  const upsert = (listId: string, hash: string, body: Record<string, unknown>): SandboxResponse => {
    const key = `${listId}:${hash}`;
    const existing = members.get(key);
    const email = typeof body.email_address === 'string' ? body.email_address : existing?.email;
    if (!existing) {
      if (typeof body.status_if_new !== 'string' || email === undefined)
        return problem(400, 'Invalid Resource', 'The resource submitted could not be validated.', {
          errors: [{ field: 'status_if_new', message: 'This value should not be blank.' }],
        });
      if (md5(email) !== hash)
        return problem(400, 'Invalid Resource', 'The subscriber hash does not match the address.');
      if (email.includes('unsubscribed'))
        return problem(
          400,
          'Member In Compliance State',
          `${email} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.`,
        );
      members.set(key, { email, status: body.status_if_new });
    }
    const member = members.get(key)!;
    return {
      status: 200,
      body: { id: hash, email_address: member.email, status: member.status, list_id: listId },
    };
  };

  const campaignAction = (
    c: Campaign,
    action: string,
    body: Record<string, unknown>,
  ): SandboxResponse => {
    if (c.status !== 'save')
      return problem(400, 'Bad Request', `Campaign ${c.id} has already been ${c.status}.`);
    if (c.html === undefined)
      return problem(400, 'Bad Request', 'Your Campaign is not ready to send.');
    if (action === 'schedule') {
      const at =
        typeof body.schedule_time === 'string' ? Date.parse(body.schedule_time) : Number.NaN;
      if (
        !Number.isFinite(at) ||
        new Date(at).getUTCMinutes() % 15 !== 0 ||
        at <= context.clock.now()
      )
        return problem(
          400,
          'Invalid Resource',
          'Schedule time must be in the future and on the quarter-hour (:00, :15, :30, :45).',
        );
      if (body.timewarp === true && body.batch_delivery !== undefined)
        return problem(400, 'Invalid Resource', 'Timewarp and batch delivery cannot both be used.');
      c.status = 'schedule';
      c.send_time = new Date(at).toISOString();
      return { status: 204 };
    }
    c.status = 'sent';
    c.send_time = new Date(context.clock.now()).toISOString();
    const key = c.title.startsWith('herald:') ? c.title.slice('herald:'.length) : undefined;
    for (const email of segments.get(c.segmentId ?? -1) ?? []) {
      context.deliver({ recipient: email, messageId: c.id, key });
    }
    return { status: 204 };
  };

  const route = (request: ReceivedRequest): SandboxResponse => {
    const parts = request.path.split('/').slice(2);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const [root, id, sub, subId, action] = parts;
    const method = request.method;
    if (root === 'lists' && id && sub === 'members' && subId && parts.length === 4) {
      if (method === 'PUT') return upsert(id, subId, body);
      const member = members.get(`${id}:${subId}`);
      if (method === 'GET' && member)
        return {
          status: 200,
          body: { id: subId, email_address: member.email, status: member.status },
        };
      return problem(404, 'Resource Not Found', 'The requested resource could not be found.');
    }
    if (root === 'lists' && id && sub === 'segments' && parts.length === 3 && method === 'POST') {
      const wanted = Array.isArray(body.static_segment) ? (body.static_segment as unknown[]) : [];
      const inList = wanted.filter(
        (e): e is string => typeof e === 'string' && members.has(`${id}:${md5(e)}`),
      );
      serial++;
      segments.set(serial, inList);
      return {
        status: 200,
        body: {
          id: serial,
          name: body.name,
          member_count: inList.length,
          type: 'static',
          list_id: id,
        },
      };
    }
    if (root === 'campaigns' && parts.length === 1) {
      if (method === 'POST') {
        const recipients = body.recipients as
          { list_id?: unknown; segment_opts?: { saved_segment_id?: unknown } } | undefined;
        const settings = body.settings as Record<string, unknown> | undefined;
        if (body.type !== 'regular' || typeof recipients?.list_id !== 'string')
          return problem(
            400,
            'Invalid Resource',
            'The resource submitted could not be validated.',
            {
              errors: [{ field: 'recipients.list_id', message: 'Required' }],
            },
          );
        const segmentId = recipients.segment_opts?.saved_segment_id;
        const campaign: Campaign = {
          id: hex(10),
          title: typeof settings?.title === 'string' ? settings.title : '',
          listId: recipients.list_id,
          segmentId: typeof segmentId === 'number' ? segmentId : undefined,
          status: 'save',
          send_time: '',
          html: undefined,
          created: context.clock.now(),
        };
        campaigns.push(campaign);
        return { status: 200, body: view(campaign) };
      }
      const {
        status,
        list_id: listId,
        since_send_time: since,
        before_send_time: before,
      } = request.query;
      const matching = campaigns
        .filter(
          (c) =>
            (status === undefined || c.status === status) &&
            (listId === undefined || c.listId === listId) &&
            (since === undefined ||
              (c.send_time !== '' && Date.parse(c.send_time) >= Date.parse(since))) &&
            (before === undefined ||
              (c.send_time !== '' && Date.parse(c.send_time) < Date.parse(before))),
        )
        .reverse();
      const offset = Number(request.query.offset ?? 0);
      const count = Math.min(Number(request.query.count ?? 10), 1000);
      return {
        status: 200,
        body: {
          campaigns: matching.slice(offset, offset + count).map(view),
          total_items: matching.length,
        },
      };
    }
    const campaign =
      root === 'campaigns' || root === 'reports' ? campaigns.find((c) => c.id === id) : undefined;
    if (!campaign)
      return problem(404, 'Resource Not Found', 'The requested resource could not be found.');
    if (root === 'reports' && parts.length === 2 && method === 'GET') {
      if (campaign.status !== 'sent')
        return problem(404, 'Resource Not Found', 'The requested resource could not be found.');
      return {
        status: 200,
        body: mailchimpReport(
          context.seed,
          campaign.id,
          campaign.send_time,
          (segments.get(campaign.segmentId ?? -1) ?? []).length,
        ),
      };
    }
    if (sub === 'content' && parts.length === 3 && method === 'PUT') {
      if (typeof body.html !== 'string')
        return problem(400, 'Invalid Resource', 'Exactly one content source is required.');
      campaign.html = body.html;
      return { status: 200, body: { html: body.html, plain_text: body.plain_text ?? '' } };
    }
    if (sub === 'actions' && subId && parts.length === 4 && method === 'POST')
      return campaignAction(campaign, subId, body);
    if (parts.length === 2 && method === 'GET') return { status: 200, body: view(campaign) };
    return problem(
      405,
      'Method Not Allowed',
      `The requested method and resource are not compatible.${action ?? ''}`,
    );
  };

  return {
    platform: 'mailchimp',
    lane(request: ReceivedRequest): QuotaLane | undefined {
      return { key: request.headers.authorization ?? '', ...MAILCHIMP_SANDBOX_QUOTA };
    },
    handle(request: ReceivedRequest): SandboxResponse {
      const header = request.headers.authorization ?? '';
      const password = header.startsWith('Basic ')
        ? (Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[1] ?? '')
        : '';
      if (!KEY.test(password))
        return problem(
          401,
          'API Key Invalid',
          "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
        );
      if (!request.path.startsWith('/3.0/'))
        return problem(404, 'Resource Not Found', 'The requested resource could not be found.');
      return route(request);
    },
    rateLimited: () =>
      problem(
        429,
        'Too Many Requests',
        'You have exceeded the limit of 10 simultaneous connections.',
      ),
    serverError: (status) =>
      problem(status, 'Internal Server Error', 'An unexpected internal error has occurred.'),
    expiredToken: () =>
      problem(
        401,
        'API Key Invalid',
        "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
      ),
    // Mailchimp documents no retirement answer for 3.0 (unconfirmed): a 410 stands for it.
    versionSunset: () => problem(410, 'Gone', 'API version 3.0 is no longer available.'),
  };
}

/** A reproducible report of one sent campaign, rates as 0–1 fractions as observed. */
export function mailchimpReport(
  seed: number,
  id: string,
  sendTime: string,
  sent: number,
): Record<string, unknown> {
  const random = seededRandom(seed ^ fnv1a(`mailchimp:${id}`));
  const emailsSent = Math.max(sent, 1);
  const hard = Math.floor(emailsSent * 0.01 * random());
  const delivered = emailsSent - hard;
  const uniqueOpens = Math.floor(delivered * (0.2 + 0.3 * random()));
  const uniqueClicks = Math.floor(uniqueOpens * 0.2 * random());
  return {
    id,
    campaign_title: `herald report ${id}`,
    type: 'regular',
    list_id: 'sandbox',
    emails_sent: emailsSent,
    abuse_reports: 0,
    unsubscribed: Math.floor(delivered * 0.005 * random()),
    send_time: sendTime,
    bounces: { hard_bounces: hard, soft_bounces: 0, syntax_errors: 0 },
    forwards: { forwards_count: 0, forwards_opens: 0 },
    opens: {
      opens_total: uniqueOpens * 2,
      unique_opens: uniqueOpens,
      open_rate: delivered > 0 ? uniqueOpens / delivered : 0,
      last_open: sendTime,
    },
    clicks: {
      clicks_total: uniqueClicks * 2,
      unique_clicks: uniqueClicks,
      unique_subscriber_clicks: uniqueClicks,
      click_rate: delivered > 0 ? uniqueClicks / delivered : 0,
      last_click: sendTime,
    },
  };
}
