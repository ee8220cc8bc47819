/**
 * @module
 * Zod schemas of the WordPress REST API (`wp/v2`) responses Herald reads. Loose: unknown
 * fields pass, missing or changed ones fail as `schema_drift`.
 */
import { z } from 'zod';

/** A post as `POST /wp/v2/posts` and `GET /wp/v2/posts?context=edit` return it. */
export const WordPressPost = z
  .object({
    id: z.number().int(),
    status: z.string(),
    slug: z.string(),
    link: z.string(),
    date_gmt: z.string().nullable(),
  })
  .loose();
/** A post as `POST /wp/v2/posts` and `GET /wp/v2/posts?context=edit` return it. */
export type WordPressPost = z.infer<typeof WordPressPost>;

/** `GET /wp/v2/posts`: a page of posts. */
export const WordPressPostList = z.array(WordPressPost);
/** `GET /wp/v2/posts`: a page of posts. */
export type WordPressPostList = z.infer<typeof WordPressPostList>;

/** The WP_Error envelope `{ code, message, data: { status } }`. */
export const WordPressErrorBody = z
  .object({ code: z.string(), message: z.string(), data: z.unknown().optional() })
  .loose();
/** The WP_Error envelope. */
export type WordPressErrorBody = z.infer<typeof WordPressErrorBody>;
