/**
 * @module
 * Zod schemas of the SendGrid v3 responses Herald reads. Loose: unknown fields pass, missing
 * or changed ones fail as `schema_drift`.
 */
import { z } from 'zod';

/** `POST /v3/mail/send` answers 202 with an empty body. */
export const MailSendResponse = z.string();
/** `POST /v3/mail/send` answers 202 with an empty body. */
export type MailSendResponse = z.infer<typeof MailSendResponse>;

/** The metric counts Herald reads from every stats bucket. */
export const StatsMetrics = z
  .object({
    requests: z.number(),
    processed: z.number(),
    delivered: z.number(),
    bounces: z.number(),
    opens: z.number(),
    unique_opens: z.number(),
    clicks: z.number(),
    unique_clicks: z.number(),
    unsubscribes: z.number(),
    spam_reports: z.number(),
  })
  .catchall(z.unknown());
/** The metric counts Herald reads from every stats bucket. */
export type StatsMetrics = z.infer<typeof StatsMetrics>;

/** One bucket of `GET /v3/stats`. */
export const StatsBucket = z
  .object({
    date: z.string(),
    stats: z.array(z.object({ metrics: StatsMetrics }).loose()),
  })
  .loose();
/** One bucket of `GET /v3/stats`. */
export type StatsBucket = z.infer<typeof StatsBucket>;

/** `GET /v3/stats`. */
export const StatsResponse = z.array(StatsBucket);
/** `GET /v3/stats`. */
export type StatsResponse = z.infer<typeof StatsResponse>;

/** SendGrid's error envelope. */
export const SendGridErrorBody = z
  .object({
    errors: z.array(z.object({ message: z.string(), field: z.string().nullish() }).loose()),
  })
  .loose();
/** SendGrid's error envelope. */
export type SendGridErrorBody = z.infer<typeof SendGridErrorBody>;

/** One message of the Email Activity feed (`GET /v3/messages`). */
export const ActivityMessage = z
  .object({
    msg_id: z.string(),
    to_email: z.string(),
    status: z.string(),
    opens_count: z.number(),
    clicks_count: z.number(),
  })
  .loose();
/** One message of the Email Activity feed (`GET /v3/messages`). */
export type ActivityMessage = z.infer<typeof ActivityMessage>;

/** `GET /v3/messages`. */
export const ActivityResponse = z.object({ messages: z.array(ActivityMessage) }).loose();
/** `GET /v3/messages`. */
export type ActivityResponse = z.infer<typeof ActivityResponse>;

/** `GET /v3/suppression/unsubscribes` and `/bounces`: one address each. */
export const SuppressionList = z.array(
  z.object({ email: z.string(), created: z.number() }).loose(),
);
/** `GET /v3/suppression/unsubscribes` and `/bounces`: one address each. */
export type SuppressionList = z.infer<typeof SuppressionList>;
/** `GET /v3/scopes`: the permissions of the API key. */
export const ScopesResponse = z.looseObject({ scopes: z.array(z.string()) });
/** `GET /v3/scopes`. */
export type ScopesResponse = z.infer<typeof ScopesResponse>;
