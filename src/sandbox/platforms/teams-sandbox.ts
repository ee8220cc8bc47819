/**
 * @module
 * Fake Microsoft Teams webhooks (contract: docs/platforms/teams.md), both flavours:
 * connector URLs (`/webhookb2/…/IncomingWebhook/…`, 200 `1`, throttling reported as 200 with
 * "Microsoft Teams endpoint returned HTTP error 429" text, `Action.Submit` refused, 28 KB cap)
 * and Workflows URLs (`/workflows/{id}/triggers/manual/paths/invoke?…&sig=…`, 202 with an
 * empty body; a bad card is accepted and fails later in the flow run, so it is recorded as a
 * run failure and never delivered). Connector windows are enforced per URL: 4/s (the lane),
 * 60/30 s, 100/h, 150/2 h and 1,800/day.
 *
 * Sandbox conventions: a connector path containing `retired` answers 410, `deleted` 404; a
 * Workflows URL without `sig` answers 401.
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';
import { SlidingWindow } from '../sliding-window.js';

/** The shortest connector window, enforced as the lane. */
export const TEAMS_SANDBOX_QUOTA = { limit: 4, windowMs: 1000 } as const;
/** The longer connector windows, enforced by the fake itself. */
const WINDOWS = [
  { limit: 60, windowMs: 30_000 },
  { limit: 100, windowMs: 3_600_000 },
  { limit: 150, windowMs: 7_200_000 },
  { limit: 1800, windowMs: 86_400_000 },
] as const;
const MAX_BYTES = 28 * 1024;
const CARD = 'application/vnd.microsoft.card.adaptive';

/** What a Workflows run did with an accepted request. */
export interface TeamsRunFailure {
  readonly path: string;
  readonly reason: string;
}

const throttled = (): SandboxResponse => ({
  status: 200,
  body: 'Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0,server=msgapi-sandbox,cv=sandbox.',
});

function cardProblem(body: unknown, connector: boolean): string | undefined {
  const message = body as { type?: unknown; attachments?: unknown; text?: unknown } | undefined;
  if (connector && typeof message?.text === 'string' && message.attachments === undefined)
    return undefined;
  if (
    message?.type !== 'message' ||
    !Array.isArray(message.attachments) ||
    message.attachments.length === 0
  )
    return 'type must be "message" with at least one attachment';
  for (const attachment of message.attachments as {
    contentType?: unknown;
    content?: { type?: unknown };
  }[]) {
    if (attachment.contentType !== CARD || attachment.content?.type !== 'AdaptiveCard')
      return `attachments must be ${CARD} AdaptiveCard content`;
  }
  if (connector && JSON.stringify(body).includes('"Action.Submit"'))
    return 'Action.Submit is not supported';
  return undefined;
}

/** Builds the fake Teams webhooks. */
export function createTeamsSandbox(context: SandboxContext): PlatformSandbox & {
  runFailures(): readonly TeamsRunFailure[];
} {
  const windows = new SlidingWindow();
  const failures: TeamsRunFailure[] = [];
  let serial = 0;

  const overLimit = (path: string, at: number): boolean => {
    if (
      WINDOWS.some(
        (w) => windows.inWindow(`${path}:${w.windowMs}`, at, w.windowMs).length >= w.limit,
      )
    )
      return true;
    for (const w of WINDOWS) windows.add(`${path}:${w.windowMs}`, at);
    return false;
  };

  const deliver = (path: string): void => {
    serial++;
    context.deliver({ recipient: path, messageId: `teams-${serial}`, key: undefined });
  };

  return {
    platform: 'teams',
    runFailures: () => failures,
    lane(request: ReceivedRequest): QuotaLane | undefined {
      return request.method === 'POST' && request.path.includes('/IncomingWebhook/')
        ? { key: request.path, ...TEAMS_SANDBOX_QUOTA }
        : undefined;
    },
    handle(request: ReceivedRequest): SandboxResponse {
      if (request.method !== 'POST') return { status: 405, body: 'Method Not Allowed' };
      if (
        request.path.startsWith('/workflows/') &&
        request.path.endsWith('/triggers/manual/paths/invoke')
      ) {
        if (!request.query.sig)
          return {
            status: 401,
            body: {
              error: {
                code: 'DirectApiAuthorizationRequired',
                message: 'The request must be authenticated only by Shared Access scheme.',
              },
            },
          };
        const problem = cardProblem(request.body, false);
        if (problem) failures.push({ path: request.path, reason: problem });
        else deliver(request.path);
        return { status: 202 };
      }
      if (!request.path.startsWith('/webhookb2/') || !request.path.includes('/IncomingWebhook/'))
        return { status: 404, body: 'Not Found' };
      if (request.path.includes('deleted')) return { status: 404, body: 'Webhook not found' };
      if (request.path.includes('retired')) return this.versionSunset();
      if (JSON.stringify(request.body ?? '').length > MAX_BYTES)
        return { status: 413, body: 'Message size is too large.' };
      const problem = cardProblem(request.body, true);
      if (problem)
        return {
          status: 400,
          body: `Bad payload received by generic incoming webhook: ${problem}`,
        };
      if (overLimit(request.path, request.at)) return throttled();
      deliver(request.path);
      return { status: 200, body: '1' };
    },
    rateLimited: () => throttled(),
    serverError: (status) => ({
      status,
      body: status === 503 ? 'Service Unavailable' : 'Internal Server Error',
    }),
    expiredToken: () => ({
      status: 401,
      body: {
        error: {
          code: 'DirectApiAuthorizationRequired',
          message: 'The signature is invalid or expired.',
        },
      },
    }),
    versionSunset: () => ({
      status: 410,
      body: 'This Office 365 connector has been retired. Use a Workflows webhook instead.',
    }),
  };
}
