/**
 * @module
 * Zod schemas of the LinkedIn Rest.li responses Herald reads (Posts API, organisation share
 * statistics, OAuth refresh). Loose: unknown fields pass, missing or changed ones fail as
 * `schema_drift`.
 */
import { z } from 'zod';

/** `POST /rest/posts` answers 201 with an empty body. */
export const CreatedBody = z.string();
/** `POST /rest/posts` answers 201 with an empty body. */
export type CreatedBody = z.infer<typeof CreatedBody>;

/** The URN of a post, from the `x-restli-id` header. */
export const PostUrn = z.string().regex(/^urn:li:(share|ugcPost):\S+$/);
/** The URN of a post. */
export type PostUrn = z.infer<typeof PostUrn>;

/** Rest.li offset paging. */
const Paging = z.object({ start: z.number(), count: z.number() }).loose();

/** `GET /rest/posts?q=author`: the author's posts, newest first. */
export const PostsByAuthor = z
  .object({
    paging: Paging,
    elements: z.array(z.object({ id: z.string(), commentary: z.string().optional() }).loose()),
  })
  .loose();
/** `GET /rest/posts?q=author`. */
export type PostsByAuthor = z.infer<typeof PostsByAuthor>;

/** `GET /rest/organizationalEntityShareStatistics` with `timeIntervals`. */
export const ShareStatistics = z
  .object({
    paging: Paging,
    elements: z.array(
      z
        .object({
          organizationalEntity: z.string(),
          share: z.string().optional(),
          ugcPost: z.string().optional(),
          timeRange: z.object({ start: z.number(), end: z.number() }).loose(),
          totalShareStatistics: z.record(z.string(), z.unknown()),
        })
        .loose(),
    ),
  })
  .loose();
/** `GET /rest/organizationalEntityShareStatistics`. */
export type ShareStatistics = z.infer<typeof ShareStatistics>;

/** `POST /oauth/v2/accessToken` with `grant_type=refresh_token`. */
export const LinkedInTokenResponse = z
  .object({
    access_token: z.string(),
    expires_in: z.number(),
    refresh_token: z.string().optional(),
  })
  .loose();
/** The refresh answer. */
export type LinkedInTokenResponse = z.infer<typeof LinkedInTokenResponse>;

/** `{ status, serviceErrorCode, code, message }`, or OAuth's `{ error, error_description }`. */
export const LinkedInErrorBody = z
  .object({
    code: z.string().optional(),
    message: z.string().optional(),
    serviceErrorCode: z.number().optional(),
    error: z.string().optional(),
    error_description: z.string().optional(),
  })
  .loose();
/** LinkedIn's error envelope. */
export type LinkedInErrorBody = z.infer<typeof LinkedInErrorBody>;
