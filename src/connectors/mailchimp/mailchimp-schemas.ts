/**
 * @module
 * Zod schemas of the Mailchimp Marketing API v3 responses Herald reads. Loose: unknown fields
 * pass, missing or changed ones fail as `schema_drift`.
 */
import { z } from 'zod';

/** A list member (`PUT`/`GET /lists/{id}/members/{hash}`). */
export const Member = z.object({ id: z.string(), status: z.string() }).loose();
/** A list member. */
export type Member = z.infer<typeof Member>;

/** `POST /lists/{id}/segments` with `static_segment`. */
export const Segment = z.object({ id: z.number(), member_count: z.number() }).loose();
/** A static segment. */
export type Segment = z.infer<typeof Segment>;

/** A campaign (`POST /campaigns`, items of `GET /campaigns`). */
export const Campaign = z
  .object({
    id: z.string(),
    status: z.string(),
    send_time: z.string(),
    settings: z.object({ title: z.string().optional() }).loose(),
  })
  .loose();
/** A campaign. */
export type Campaign = z.infer<typeof Campaign>;

/** `GET /campaigns` page. */
export const CampaignPage = z
  .object({ campaigns: z.array(Campaign), total_items: z.number() })
  .loose();
/** `GET /campaigns` page. */
export type CampaignPage = z.infer<typeof CampaignPage>;

/** `PUT /campaigns/{id}/content`. */
export const Content = z.object({ html: z.string().optional() }).loose();
/** Campaign content. */
export type Content = z.infer<typeof Content>;

/** Actions answer 204 with an empty body. */
export const NoContent = z.literal('');
/** Actions answer 204 with an empty body. */
export type NoContent = z.infer<typeof NoContent>;

/** `GET /reports/{id}` (contract §7): counts and rates as Mailchimp sends them. */
export const Report = z
  .object({
    id: z.string(),
    send_time: z.string(),
    emails_sent: z.number(),
    abuse_reports: z.number(),
    unsubscribed: z.number(),
    bounces: z.record(z.string(), z.number()),
    opens: z.record(z.string(), z.unknown()),
    clicks: z.record(z.string(), z.unknown()),
  })
  .loose();
/** A campaign report. */
export type Report = z.infer<typeof Report>;

/** The problem+json error envelope (contract §5). */
export const ProblemBody = z
  .object({ title: z.string(), status: z.number(), detail: z.string() })
  .loose();
/** The problem+json error envelope. */
export type ProblemBody = z.infer<typeof ProblemBody>;
