/**
 * @module
 * Zod schemas of the HubSpot responses Herald reads. Loose: unknown fields pass, missing or
 * changed ones fail as `schema_drift`.
 */
import { z } from 'zod';

/** `POST /crm/v3/objects/contacts/batch/upsert` and `batch/read`. */
export const BatchResponse = z
  .object({ status: z.string(), results: z.array(z.object({ id: z.string() }).loose()) })
  .loose();
/** A contacts batch answer. */
export type BatchResponse = z.infer<typeof BatchResponse>;

/** `GET /marketing/v3/emails/{emailId}`. */
export const MarketingEmail = z.object({ id: z.string(), state: z.string() }).loose();
/** A marketing email. */
export type MarketingEmail = z.infer<typeof MarketingEmail>;

/** `POST /marketing/v3/emails/{emailId}/publish` answers 204. */
export const NoContent = z.literal('');
/** An empty 204 answer. */
export type NoContent = z.infer<typeof NoContent>;

/** `GET /marketing/v3/emails/statistics/histogram`: counters and percentage ratios per interval. */
export const Histogram = z
  .object({
    results: z.array(
      z
        .object({
          interval: z.object({ start: z.string(), end: z.string() }).loose(),
          aggregations: z
            .object({
              counters: z.record(z.string(), z.number()),
              ratios: z.record(z.string(), z.number()),
            })
            .loose(),
        })
        .loose(),
    ),
  })
  .loose();
/** The statistics histogram. */
export type Histogram = z.infer<typeof Histogram>;

/** HubSpot's error body (contract §5). */
export const HubSpotErrorBody = z
  .object({
    message: z.string(),
    category: z.string().optional(),
    policyName: z.string().optional(),
  })
  .loose();
/** HubSpot's error body. */
export type HubSpotErrorBody = z.infer<typeof HubSpotErrorBody>;
