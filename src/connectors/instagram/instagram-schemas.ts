/**
 * @module
 * Zod schemas of the Instagram Graph API responses Herald reads. Loose: unknown fields pass,
 * missing or changed ones fail as `schema_drift`.
 */
import { z } from 'zod';

/** `POST /{ig-user-id}/media` (a container id) and `/media_publish` (a media id). */
export const IdResponse = z.object({ id: z.string() }).loose();
/** An id answer. */
export type IdResponse = z.infer<typeof IdResponse>;

/** `GET /{container-id}?fields=status_code,status`. */
export const ContainerStatus = z
  .object({
    status_code: z.enum(['IN_PROGRESS', 'FINISHED', 'PUBLISHED', 'ERROR', 'EXPIRED']),
    status: z.string().optional(),
  })
  .loose();
/** A container's status. */
export type ContainerStatus = z.infer<typeof ContainerStatus>;

/** One media object of `GET /{ig-user-id}/media` or `GET /{media-id}`. */
export const IgMedia = z
  .object({
    id: z.string(),
    caption: z.string().optional(),
    permalink: z.string(),
    timestamp: z.string().optional(),
  })
  .loose();
/** A media object. */
export type IgMedia = z.infer<typeof IgMedia>;

/** A page of `GET /{ig-user-id}/media`, newest first, with Graph cursor paging. */
export const MediaPage = z
  .object({
    data: z.array(IgMedia),
    paging: z.object({ next: z.string().optional() }).loose().optional(),
  })
  .loose();
/** A page of media. */
export type MediaPage = z.infer<typeof MediaPage>;
