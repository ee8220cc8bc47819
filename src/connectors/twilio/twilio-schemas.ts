/**
 * @module
 * Zod schemas of the Twilio Programmable Messaging (2010-04-01) responses Herald reads.
 * Loose: unknown fields pass, missing or changed ones fail as `schema_drift`.
 */
import { z } from 'zod';

/** A Message resource (contract §3.1): counters are strings, dates RFC 2822. */
export const TwilioMessage = z
  .object({
    sid: z.string(),
    status: z.string(),
    to: z.string(),
    from: z.string().nullable(),
    body: z.string(),
    num_segments: z.string(),
    error_code: z.number().nullable(),
    date_sent: z.string().nullable().optional(),
    price: z.string().nullable().optional(),
    price_unit: z.string().nullable().optional(),
  })
  .loose();
/** A Message resource. */
export type TwilioMessage = z.infer<typeof TwilioMessage>;

/** A page of `GET …/Messages.json` (contract §6). */
export const MessagePage = z
  .object({
    messages: z.array(TwilioMessage),
    next_page_uri: z.string().nullable(),
  })
  .loose();
/** A page of `GET …/Messages.json`. */
export type MessagePage = z.infer<typeof MessagePage>;

/** Twilio's error envelope `{ code, message, more_info, status }` (contract §5). */
export const TwilioErrorBody = z
  .object({ code: z.number(), message: z.string(), status: z.number().optional() })
  .loose();
/** Twilio's error envelope. */
export type TwilioErrorBody = z.infer<typeof TwilioErrorBody>;

/** `GET /2010-04-01/Accounts/{Sid}.json`: the account the credentials open. */
export const TwilioAccount = z
  .object({ sid: z.string(), friendly_name: z.string(), status: z.string(), type: z.string() })
  .loose();
/** An Account resource. */
export type TwilioAccount = z.infer<typeof TwilioAccount>;
