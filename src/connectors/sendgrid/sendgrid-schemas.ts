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
