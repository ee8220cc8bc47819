/**
 * @module
 * Zod schemas of the Meta Marketing API responses Herald reads. Loose: unknown fields pass,
 * missing or changed ones fail as `schema_drift`.
 */
import { z } from 'zod';

/** `POST /act_{id}/campaigns` → `{ id }`. */
export const CreatedResponse = z.object({ id: z.string() }).loose();
/** `POST /act_{id}/campaigns` → `{ id }`. */
export type CreatedResponse = z.infer<typeof CreatedResponse>;

/** `POST /{object-id}` updates answer `{ success: true }`. */
export const UpdateResponse = z.object({ success: z.literal(true) }).loose();
/** `POST /{object-id}` update answer. */
export type UpdateResponse = z.infer<typeof UpdateResponse>;

/** `GET /act_{id}?fields=currency,timezone_name`. */
export const AdAccount = z.object({ currency: z.string(), timezone_name: z.string() }).loose();
/** The ad account's currency and reporting zone. */
export type AdAccount = z.infer<typeof AdAccount>;

/** `GET /{campaign|adset id}?fields=status,daily_budget,lifetime_budget`: budgets are strings. */
export const AdObject = z
  .object({
    id: z.string(),
    status: z.string(),
    daily_budget: z.string().optional(),
    lifetime_budget: z.string().optional(),
  })
  .loose();
/** A campaign or ad set as read back. */
export type AdObject = z.infer<typeof AdObject>;

/** Graph cursor paging. */
const Paging = z
  .object({
    cursors: z.object({ after: z.string() }).loose().optional(),
    next: z.string().optional(),
  })
  .loose();

/** `GET /act_{id}/campaigns` page. */
export const CampaignList = z
  .object({
    data: z.array(z.object({ id: z.string(), name: z.string() }).loose()),
    paging: Paging.optional(),
  })
  .loose();
/** `GET /act_{id}/campaigns` page. */
export type CampaignList = z.infer<typeof CampaignList>;

/** `POST /{audience_id}/users`. */
export const AudienceUsersResponse = z
  .object({ audience_id: z.string(), num_received: z.number(), num_invalid_entries: z.number() })
  .loose();
/** `POST /{audience_id}/users`. */
export type AudienceUsersResponse = z.infer<typeof AudienceUsersResponse>;

/** One Ads Insights row: numbers are strings, `actions` a list of `{ action_type, value }`. */
export const InsightsRow = z
  .object({
    date_start: z.string(),
    campaign_id: z.string(),
    actions: z.array(z.object({ action_type: z.string(), value: z.string() }).loose()).optional(),
    /** Conversion values (revenue) per action type, major units. */
    action_values: z
      .array(z.object({ action_type: z.string(), value: z.string() }).loose())
      .optional(),
  })
  .catchall(z.unknown());
/** One Ads Insights row. */
export type InsightsRow = z.infer<typeof InsightsRow>;

/** `GET /act_{id}/insights` page. */
export const InsightsPage = z
  .object({ data: z.array(InsightsRow), paging: Paging.optional() })
  .loose();
/** `GET /act_{id}/insights` page. */
export type InsightsPage = z.infer<typeof InsightsPage>;

/** The Graph error envelope. */
export const MetaErrorBody = z
  .object({
    error: z
      .object({
        message: z.string(),
        code: z.number(),
        error_subcode: z.number().optional(),
        is_transient: z.boolean().optional(),
      })
      .loose(),
  })
  .loose();
/** The Graph error envelope. */
export type MetaErrorBody = z.infer<typeof MetaErrorBody>;
