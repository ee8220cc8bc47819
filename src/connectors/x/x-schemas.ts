/**
 * @module
 * Zod schemas of the X API v2 responses Herald reads. Loose: unknown fields pass, missing or
 * changed ones fail as `schema_drift`.
 */
import { z } from 'zod';

/** `POST /2/tweets` → 201 `{ data: { id, text } }`; ids are snowflakes sent as strings. */
export const CreatePostResponse = z
  .object({ data: z.object({ id: z.string(), text: z.string() }).loose() })
  .loose();
/** `POST /2/tweets` answer. */
export type CreatePostResponse = z.infer<typeof CreatePostResponse>;

/** `GET /2/users/me`. */
export const MeResponse = z
  .object({ data: z.object({ id: z.string(), username: z.string() }).loose() })
  .loose();
/** `GET /2/users/me`. */
export type MeResponse = z.infer<typeof MeResponse>;

/** A post with the metric groups Herald asks for; a group X withheld is absent. */
export const XPost = z
  .object({
    id: z.string(),
    text: z.string(),
    created_at: z.string().optional(),
    public_metrics: z.record(z.string(), z.unknown()).optional(),
    non_public_metrics: z.record(z.string(), z.unknown()).optional(),
    organic_metrics: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
/** A post. */
export type XPost = z.infer<typeof XPost>;

/** A page of posts (`GET /2/users/:id/tweets`, `GET /2/tweets?ids=`); `data` is absent when empty. */
export const PostsPage = z
  .object({
    data: z.array(XPost).optional(),
    meta: z.object({ next_token: z.string().optional() }).loose().optional(),
  })
  .loose();
/** A page of posts. */
export type PostsPage = z.infer<typeof PostsPage>;

/** `POST /2/oauth2/token` with `grant_type=refresh_token`; refresh tokens rotate. */
export const XTokenResponse = z
  .object({ access_token: z.string(), refresh_token: z.string() })
  .loose();
/** The refresh answer. */
export type XTokenResponse = z.infer<typeof XTokenResponse>;

/** An RFC 7807 problem object, or the legacy v1.1 `{ errors: [{ code, message }] }`. */
export const XErrorBody = z
  .object({
    title: z.string().optional(),
    type: z.string().optional(),
    detail: z.string().optional(),
    errors: z.array(z.object({ message: z.string().optional() }).loose()).optional(),
  })
  .loose();
/** X's error body. */
export type XErrorBody = z.infer<typeof XErrorBody>;
