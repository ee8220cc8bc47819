/**
 * @module
 * Zod schemas of the Graph API responses the Facebook Pages connector reads. Loose: unknown
 * fields pass, missing or changed ones fail as `schema_drift`.
 */
import { z } from 'zod';

/** `POST /{page-id}/feed` → `{ id: "{page-id}_{post-id}" }`. */
export const FeedPostResponse = z.object({ id: z.string().regex(/^\d+_\d+$/) }).loose();
/** `POST /{page-id}/feed` answer. */
export type FeedPostResponse = z.infer<typeof FeedPostResponse>;

/** A page of `GET /{page-id}/feed` or `/scheduled_posts`; `paging.next` is a full URL. */
export const FeedPage = z
  .object({
    data: z.array(z.object({ id: z.string(), message: z.string().optional() }).loose()),
    paging: z.object({ next: z.string().optional() }).loose().optional(),
  })
  .loose();
/** A page of posts. */
export type FeedPage = z.infer<typeof FeedPage>;

/** `GET /{object-id}/insights`: one entry per metric, values by `end_time`. */
export const InsightsResponse = z
  .object({
    data: z.array(
      z
        .object({
          name: z.string(),
          period: z.string(),
          values: z.array(
            z.object({ value: z.unknown(), end_time: z.string().optional() }).loose(),
          ),
        })
        .loose(),
    ),
  })
  .loose();
/** `GET /{object-id}/insights`. */
export type InsightsResponse = z.infer<typeof InsightsResponse>;

/** Graph's `{ error: { message, type, code, error_subcode, is_transient } }`. */
export const GraphErrorBody = z
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
/** Graph's error envelope. */
export type GraphErrorBody = z.infer<typeof GraphErrorBody>;
