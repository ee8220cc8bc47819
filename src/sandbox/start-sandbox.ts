/**
 * @module
 * `startSandbox`: one loopback HTTP server per platform, speaking its contract, with a log of
 * every request received, per-recipient delivery records, documented quotas enforced with
 * 429 + Retry-After, seeded metrics and fault injection. Each platform is one module in
 * {@link SANDBOX_PLATFORMS}.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { systemClock, type Clock } from '../schedule/clock.js';
import type { Platform } from '../spec/platforms.js';
import { createGa4Sandbox } from './platforms/ga4-sandbox.js';
import { createGoogleAdsSandbox } from './platforms/google-ads-sandbox.js';
import { createHubSpotSandbox } from './platforms/hubspot-sandbox.js';
import { createLinkedInSandbox } from './platforms/linkedin-sandbox.js';
import { createMailchimpSandbox } from './platforms/mailchimp-sandbox.js';
import { createMetaAdsSandbox } from './platforms/meta-ads-sandbox.js';
import { createSegmentSandbox } from './platforms/segment-sandbox.js';
import { createSendGridSandbox } from './platforms/sendgrid-sandbox.js';
import { createSlackSandbox } from './platforms/slack-sandbox.js';
import { createContentfulSandbox } from './platforms/contentful-sandbox.js';
import { createTeamsSandbox } from './platforms/teams-sandbox.js';
import { createInstagramSandbox } from './platforms/instagram-sandbox.js';
import { createFacebookSandbox } from './platforms/facebook-sandbox.js';
import { createTikTokSandbox } from './platforms/tiktok-sandbox.js';
import { createXSandbox } from './platforms/x-sandbox.js';
import { createTwilioSandbox } from './platforms/twilio-sandbox.js';
import { createWordPressSandbox } from './platforms/wordpress-sandbox.js';
import type {
  Delivery,
  MessageRecord,
  PlatformSandbox,
  PlatformSandboxFactory,
  ReceivedRequest,
  SandboxFault,
  SandboxResponse,
} from './sandbox-types.js';
import { fnv1a, seededRandom } from '../seeded-random.js';
import { SlidingWindow } from './sliding-window.js';

/** Platform → fake. Next platforms add a row here. */
export const SANDBOX_PLATFORMS: Readonly<Partial<Record<Platform, PlatformSandboxFactory>>> = {
  ga4: createGa4Sandbox,
  google_ads: createGoogleAdsSandbox,
  hubspot: createHubSpotSandbox,
  mailchimp: createMailchimpSandbox,
  meta_ads: createMetaAdsSandbox,
  segment: createSegmentSandbox,
  sendgrid: createSendGridSandbox,
  slack: createSlackSandbox,
  contentful: createContentfulSandbox,
  teams: createTeamsSandbox,
  instagram: createInstagramSandbox,
  facebook: createFacebookSandbox,
  tiktok: createTikTokSandbox,
  x: createXSandbox,
  linkedin: createLinkedInSandbox,
  twilio: createTwilioSandbox,
  wordpress: createWordPressSandbox,
};

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** @default every platform in SANDBOX_PLATFORMS */
  readonly platforms?: readonly Platform[];
  /** Time of the request log and of quota windows. @default systemClock */
  readonly clock?: Clock;
  /** Seed of ids and metrics. @default 1 */
  readonly seed?: number;
  /**
   * Answer 429 past each platform's documented quota. Off for a sandbox serving runs on
   * simulated time, whose quota windows the sandbox's real clock cannot see. @default true
   */
  readonly enforceQuotas?: boolean;
  /** Called with every delivery as it is recorded. */
  readonly onDelivery?: (platform: Platform, delivery: Delivery) => void;
}

/** The header a sender sets to its clock's time of sending (ISO); recorded as `Delivery.sentAt`. */
export const SEND_TIME_HEADER = 'x-herald-send-time';

/** A running sandbox. */
export interface Sandbox {
  /** Base URL per platform, e.g. `http://127.0.0.1:54321`. */
  readonly urls: Readonly<Partial<Record<Platform, string>>>;
  /** Every request the platform received, in order. */
  received(platform: Platform): readonly ReceivedRequest[];
  /** Every message that reached a recipient, in order. */
  deliveries(platform: Platform): readonly Delivery[];
  /**
   * Every message the platform accepted with its seeded engagement, future events included
   * (empty for platforms that send no messages): the ground truth of engagement.
   */
  engagement(platform: Platform): readonly MessageRecord[];
  /** Queues a fault for the next matching requests. */
  inject(platform: Platform, fault: SandboxFault): void;
  /** Drops queued faults (of one platform, or all). */
  clearFaults(platform?: Platform): void;
  /** Stops every server, destroying held connections. */
  close(): Promise<void>;
}

interface Running {
  readonly fake: PlatformSandbox;
  readonly server: Server;
  readonly log: ReceivedRequest[];
  readonly deliveries: Delivery[];
  faults: { fault: SandboxFault; left: number }[];
  readonly window: SlidingWindow;
  readonly sockets: Set<Socket>;
  readonly enforceQuotas: boolean;
  /** The request being handled (deliveries read its send-time header). */
  current: ReceivedRequest | undefined;
}

/**
 * Starts the fakes on 127.0.0.1, port 0.
 * @example
 * const sandbox = await startSandbox({ platforms: ['sendgrid'], clock });
 * sandbox.inject('sendgrid', { kind: '429', retryAfterSeconds: 2, times: 3 });
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? systemClock;
  const seed = options.seed ?? 1;
  const platforms = options.platforms ?? (Object.keys(SANDBOX_PLATFORMS) as Platform[]);
  const running = new Map<Platform, Running>();
  const urls: Partial<Record<Platform, string>> = {};

  for (const platform of platforms) {
    const factory = SANDBOX_PLATFORMS[platform];
    if (!factory) throw new Error(`the sandbox has no fake for ${platform}`);
    const deliveries: Delivery[] = [];
    const fake = factory({
      clock,
      seed,
      random: seededRandom(seed ^ fnv1a(platform)),
      deliver: (delivery) => {
        const header = entry.current?.headers[SEND_TIME_HEADER];
        const sentAt = typeof header === 'string' ? Date.parse(header) : Number.NaN;
        const recorded: Delivery = {
          ...delivery,
          at: clock.now(),
          ...(Number.isNaN(sentAt) ? {} : { sentAt }),
        };
        deliveries.push(recorded);
        options.onDelivery?.(platform, recorded);
      },
    });
    const entry: Running = {
      fake,
      server: createServer(),
      log: [],
      deliveries,
      faults: [],
      window: new SlidingWindow(),
      sockets: new Set(),
      enforceQuotas: options.enforceQuotas ?? true,
      current: undefined,
    };
    entry.server.on('connection', (socket) => {
      entry.sockets.add(socket);
      socket.on('close', () => entry.sockets.delete(socket));
    });
    entry.server.on('request', (req, res) => {
      serve(entry, clock, req, res).catch((error: unknown) => {
        // A fake that fails answers like a broken server instead of crashing the process.
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`sandbox error: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    await new Promise<void>((resolve) => entry.server.listen(0, '127.0.0.1', resolve));
    urls[platform] = `http://127.0.0.1:${(entry.server.address() as AddressInfo).port}`;
    running.set(platform, entry);
  }

  const get = (platform: Platform): Running => {
    const entry = running.get(platform);
    if (!entry) throw new Error(`the sandbox is not running ${platform}`);
    return entry;
  };

  return {
    urls,
    received: (platform) => get(platform).log,
    deliveries: (platform) => get(platform).deliveries,
    engagement: (platform) => get(platform).fake.messages?.() ?? [],
    inject(platform, fault) {
      const entry = get(platform);
      if (fault.kind === 'expiredToken' && entry.fake.expireTokens) {
        entry.fake.expireTokens();
        return;
      }
      entry.faults.push({ fault, left: fault.times ?? 1 });
    },
    clearFaults(platform) {
      for (const [name, entry] of running) if (!platform || platform === name) entry.faults = [];
    },
    async close() {
      await Promise.all(
        [...running.values()].map(
          (entry) =>
            new Promise<void>((resolve) => {
              for (const socket of entry.sockets) socket.destroy();
              entry.server.close(() => {
                resolve();
              });
            }),
        ),
      );
    },
  };
}

async function serve(
  entry: Running,
  clock: Clock,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const request: ReceivedRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    body: parseBody(req.headers['content-type'], text),
    at: clock.now(),
  };
  entry.log.push(request);

  const fault = takeFault(entry, request.path);
  if (fault?.kind === 'timeout') return;
  const lane = entry.enforceQuotas ? entry.fake.lane(request) : undefined;
  let response: SandboxResponse;
  if (fault?.kind === '429') {
    response = withRetryAfter(
      entry.fake.rateLimited(fault.retryAfterSeconds),
      fault.retryAfterSeconds,
    );
  } else if (fault?.kind === '5xx') {
    response = entry.fake.serverError(fault.status ?? 500);
  } else if (fault?.kind === 'expiredToken') {
    response = entry.fake.expiredToken();
  } else if (fault?.kind === 'versionSunset') {
    response = entry.fake.versionSunset();
  } else {
    const used = lane ? entry.window.inWindow(lane.key, request.at, lane.windowMs) : [];
    if (lane && used.length >= lane.limit) {
      const retryAfter = Math.max(1, Math.ceil((used[0]! + lane.windowMs - request.at) / 1000));
      response = withRetryAfter(entry.fake.rateLimited(retryAfter), retryAfter);
    } else {
      if (lane) entry.window.add(lane.key, request.at);
      entry.current = request;
      try {
        response = entry.fake.handle(request);
      } finally {
        entry.current = undefined;
      }
      if (fault?.kind === 'schemaDrift') response = drift(response, fault.field, fault.renameTo);
      if (fault?.kind === 'dropAfterCommit') {
        req.socket.destroy();
        return;
      }
    }
  }
  if (lane && entry.fake.quotaHeaders) {
    const used = entry.window.inWindow(lane.key, request.at, lane.windowMs);
    const resetAt = (used[0] ?? request.at) + lane.windowMs;
    response = {
      ...response,
      headers: { ...entry.fake.quotaHeaders(lane, used.length, resetAt), ...response.headers },
    };
  }
  request.status = response.status;
  const isText = typeof response.body === 'string';
  res.writeHead(response.status, {
    ...(response.body === undefined
      ? {}
      : {
          'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
        }),
    ...response.headers,
  });
  res.end(
    response.body === undefined
      ? undefined
      : isText
        ? response.body
        : JSON.stringify(response.body),
  );
}

function takeFault(entry: Running, path: string): SandboxFault | undefined {
  const match = entry.faults.find((f) => f.fault.path === undefined || f.fault.path === path);
  if (!match) return undefined;
  match.left--;
  if (match.left <= 0) entry.faults = entry.faults.filter((f) => f !== match);
  return match.fault;
}

function withRetryAfter(response: SandboxResponse, seconds: number): SandboxResponse {
  return { ...response, headers: { ...response.headers, 'retry-after': String(seconds) } };
}

function parseBody(contentType: string | undefined, text: string): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  if (contentType?.includes('x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  return text;
}

/**
 * Renames or removes `field` (dot path, numeric segments index arrays) in a JSON body, or the
 * header named after `header:`.
 */
function drift(
  response: SandboxResponse,
  field: string,
  renameTo: string | undefined,
): SandboxResponse {
  if (field.startsWith('header:')) {
    const name = field.slice('header:'.length);
    const headers = { ...response.headers };
    if (renameTo !== undefined && headers[name] !== undefined) headers[renameTo] = headers[name];
    Reflect.deleteProperty(headers, name);
    return { ...response, headers };
  }
  const body = structuredClone(response.body);
  const path = field.split('.');
  const last = path.pop()!;
  let target: unknown = body;
  for (const part of path) target = (target as Record<string, unknown> | undefined)?.[part];
  if (target && typeof target === 'object' && last in target) {
    const record = target as Record<string, unknown>;
    if (renameTo !== undefined) record[renameTo] = record[last];
    Reflect.deleteProperty(record, last);
  }
  return { ...response, body };
}
