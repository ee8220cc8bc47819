/**
 * @module
 * Zod schemas of the Google Ads API (REST) responses Herald reads. Loose: unknown fields pass,
 * missing or changed ones fail as `schema_drift`.
 */
import { z } from 'zod';

/** One GAQL result row: objects keyed by resource, lowerCamelCase, int64 as strings. */
export const GaqlRow = z.record(z.string(), z.record(z.string(), z.unknown()));
/** One GAQL result row. */
export type GaqlRow = z.infer<typeof GaqlRow>;

/** `googleAds:searchStream` answers a JSON array of batches (contract §3.1). */
export const SearchStreamResponse = z.array(
  z.object({ results: z.array(GaqlRow).default([]), requestId: z.string() }).loose(),
);
/** `googleAds:searchStream` answer. */
export type SearchStreamResponse = z.infer<typeof SearchStreamResponse>;

/** `…:mutate` answer: one resource name per operation. */
export const MutateResponse = z
  .object({ results: z.array(z.object({ resourceName: z.string() }).loose()) })
  .loose();
/** `…:mutate` answer. */
export type MutateResponse = z.infer<typeof MutateResponse>;

/** `offlineUserDataJobs:create` answer. */
export const CreateJobResponse = z.object({ resourceName: z.string() }).loose();
/** `offlineUserDataJobs:create` answer. */
export type CreateJobResponse = z.infer<typeof CreateJobResponse>;

/** `…:addOperations` and `…:run` answer objects Herald does not read further. */
export const AnyObject = z.object({}).loose();
/** Any JSON object. */
export type AnyObject = z.infer<typeof AnyObject>;

/** One `GoogleAdsError` inside the `GoogleAdsFailure` detail. */
const GoogleAdsError = z
  .object({
    errorCode: z.record(z.string(), z.string()),
    message: z.string(),
    details: z
      .object({
        quotaErrorDetails: z.object({ retryDelay: z.string().optional() }).loose().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

/** `google.rpc.Status` envelope with `GoogleAdsFailure` details (contract §5). */
export const GoogleErrorBody = z
  .object({
    error: z
      .object({
        code: z.number(),
        message: z.string(),
        status: z.string().optional(),
        details: z
          .array(z.object({ errors: z.array(GoogleAdsError).optional() }).loose())
          .optional(),
      })
      .loose(),
  })
  .loose();
/** `google.rpc.Status` envelope. */
export type GoogleErrorBody = z.infer<typeof GoogleErrorBody>;
