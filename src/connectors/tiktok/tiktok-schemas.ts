/**
 * @module
 * Zod schemas of the TikTok API for Business v1.3 responses Herald reads. Loose: unknown
 * fields pass, missing or changed ones fail as `schema_drift`. Every answer is the envelope
 * `{ code, message, request_id, data }`; ids are strings.
 */
import { z } from 'zod';

/** The envelope around every answer, with `data` described by `data`. */
export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ code: z.number(), message: z.string(), request_id: z.string(), data }).loose();
}

const PageInfo = z.object({ page: z.number(), total_page: z.number() }).loose();

/** `GET /advertiser/info/`: currency and time zone (field names unconfirmed, contract §3d). */
export const AdvertiserInfo = envelope(
  z
    .object({
      list: z.array(z.object({ currency: z.string(), timezone: z.string() }).loose()).min(1),
    })
    .loose(),
);
/** `GET /advertiser/info/`. */
export type AdvertiserInfo = z.infer<typeof AdvertiserInfo>;

/** Any successful write (`/campaign/status/update/`, `/campaign/update/`…). */
export const WriteResponse = envelope(z.unknown());
/** Any successful write. */
export type WriteResponse = z.infer<typeof WriteResponse>;

/** `GET /campaign/get/`. */
export const CampaignGet = envelope(
  z
    .object({
      list: z.array(
        z
          .object({
            campaign_id: z.string(),
            operation_status: z.string(),
            budget: z.number().optional(),
            budget_mode: z.string().optional(),
          })
          .loose(),
      ),
    })
    .loose(),
);
/** `GET /campaign/get/`. */
export type CampaignGet = z.infer<typeof CampaignGet>;

/** `GET /report/integrated/get/`: string metric values, `stat_time_day` `YYYY-MM-DD 00:00:00`. */
export const ReportPage = envelope(
  z
    .object({
      list: z.array(
        z
          .object({
            dimensions: z.object({ campaign_id: z.string(), stat_time_day: z.string() }).loose(),
            metrics: z.record(z.string(), z.unknown()),
          })
          .loose(),
      ),
      page_info: PageInfo,
    })
    .loose(),
);
/** `GET /report/integrated/get/`. */
export type ReportPage = z.infer<typeof ReportPage>;

/** The error envelope: any non-zero `code`. */
export const TikTokErrorBody = z.object({ code: z.number(), message: z.string() }).loose();
/** The error envelope. */
export type TikTokErrorBody = z.infer<typeof TikTokErrorBody>;
