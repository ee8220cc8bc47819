/**
 * @module
 * Zod schemas of the Contentful Content Management API responses Herald reads. Loose: unknown
 * fields pass, missing or changed ones fail as `schema_drift`.
 */
import { z } from 'zod';

/** An entry's `sys`: its id, version and, once published, the published version. */
export const ContentfulEntry = z
  .object({
    sys: z
      .object({
        id: z.string(),
        type: z.literal('Entry'),
        version: z.number().int(),
        publishedVersion: z.number().int().optional(),
      })
      .loose(),
    fields: z.record(z.string(), z.unknown()),
  })
  .loose();
/** An entry. */
export type ContentfulEntry = z.infer<typeof ContentfulEntry>;

/** `{ sys: { type: "Error", id }, message, details }`. */
export const ContentfulErrorBody = z
  .object({
    sys: z.object({ type: z.literal('Error'), id: z.string() }).loose(),
    message: z.string().optional(),
  })
  .loose();
/** Contentful's error envelope. */
export type ContentfulErrorBody = z.infer<typeof ContentfulErrorBody>;
