/**
 * @module
 * Zod schemas of the Segment Tracking API responses Herald reads. Loose: unknown fields pass,
 * missing or changed ones fail as `schema_drift`.
 */
import { z } from 'zod';

/** `POST /v1/batch` answers `{ success: true }`. */
export const BatchAccepted = z.object({ success: z.literal(true) }).loose();
/** `POST /v1/batch` answer. */
export type BatchAccepted = z.infer<typeof BatchAccepted>;
