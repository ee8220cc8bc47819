/**
 * @module
 * Zod schemas of the GA4 Data API v1beta responses Herald reads. Loose: unknown fields pass,
 * missing or changed ones fail as `schema_drift`.
 */
import { z } from 'zod';

const Value = z.object({ value: z.string() }).loose();

/** `properties/{id}:runReport` (contract §3): every value a string, `date` as `YYYYMMDD`. */
export const RunReportResponse = z
  .object({
    dimensionHeaders: z.array(z.object({ name: z.string() }).loose()),
    metricHeaders: z.array(z.object({ name: z.string(), type: z.string() }).loose()),
    rows: z
      .array(z.object({ dimensionValues: z.array(Value), metricValues: z.array(Value) }).loose())
      .default([]),
    rowCount: z.number().default(0),
    metadata: z.object({ currencyCode: z.string(), timeZone: z.string() }).loose(),
  })
  .loose();
/** A report page. */
export type RunReportResponse = z.infer<typeof RunReportResponse>;

/** `google.rpc.Status` envelope (contract §5). */
export const GoogleStatusBody = z
  .object({
    error: z.object({ code: z.number(), message: z.string(), status: z.string() }).loose(),
  })
  .loose();
/** `google.rpc.Status` envelope. */
export type GoogleStatusBody = z.infer<typeof GoogleStatusBody>;
