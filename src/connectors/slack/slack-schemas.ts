/**
 * @module
 * Zod schemas of the Slack Web API responses Herald reads. Loose: unknown fields pass,
 * missing or changed ones fail as `schema_drift`.
 */
import { z } from 'zod';

/** `chat.postMessage` success. */
export const PostMessageResponse = z
  .object({ ok: z.literal(true), channel: z.string(), ts: z.string() })
  .loose();
/** `chat.postMessage` success. */
export type PostMessageResponse = z.infer<typeof PostMessageResponse>;

/** One message of `conversations.history`, with the metadata Herald attaches. */
export const HistoryMessage = z
  .object({
    ts: z.string(),
    metadata: z
      .object({
        event_type: z.string(),
        event_payload: z.record(z.string(), z.unknown()),
      })
      .loose()
      .optional(),
  })
  .loose();
/** One message of `conversations.history`. */
export type HistoryMessage = z.infer<typeof HistoryMessage>;

/** `conversations.history` page. */
export const HistoryResponse = z
  .object({
    ok: z.literal(true),
    messages: z.array(HistoryMessage),
    has_more: z.boolean().optional(),
    response_metadata: z.object({ next_cursor: z.string() }).loose().optional(),
  })
  .loose();
/** `conversations.history` page. */
export type HistoryResponse = z.infer<typeof HistoryResponse>;

/** `oauth.v2.access` with `grant_type=refresh_token` (token rotation). */
export const TokenResponse = z
  .object({ ok: z.literal(true), access_token: z.string(), refresh_token: z.string() })
  .loose();
/** `oauth.v2.access` refresh answer. */
export type TokenResponse = z.infer<typeof TokenResponse>;

/** Incoming webhooks answer `ok` as plain text. */
export const WebhookResponse = z.literal('ok');
/** Incoming webhooks answer `ok` as plain text. */
export type WebhookResponse = z.infer<typeof WebhookResponse>;

/** Slack's `{ ok: false, error }` envelope. */
export const SlackErrorBody = z.object({ ok: z.literal(false), error: z.string() }).loose();
/** Slack's `{ ok: false, error }` envelope. */
export type SlackErrorBody = z.infer<typeof SlackErrorBody>;

/** `auth.test`: whose token this is. */
export const AuthTestResponse = z
  .object({ ok: z.literal(true), team_id: z.string(), team: z.string().optional() })
  .loose();
/** `auth.test` success. */
export type AuthTestResponse = z.infer<typeof AuthTestResponse>;
