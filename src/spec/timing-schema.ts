/**
 * @module
 * When a step happens: immediately, at a local time in a zone, at a local time in each
 * recipient's own zone, on a recurrence, or relative to another step's completion.
 */
import { z } from 'zod';

/** A calendar date, `YYYY-MM-DD`. */
export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD, e.g. 2026-12-01');

/** A 24-hour wall-clock time, `HH:MM`. */
export const LocalTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time as HH:MM, e.g. 09:00');

/** An IANA time zone name such as `America/New_York` or `UTC`. */
export const ZoneName = z.string().refine(isValidZone, {
  message: 'unknown IANA time zone; use a name like America/New_York, Europe/Berlin or UTC',
});

/** An ISO-8601 duration such as `PT1H`, `P2D` or `PT0S`. */
export const IsoDuration = z
  .string()
  .regex(
    /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/,
    'expected an ISO-8601 duration, e.g. PT1H (one hour), P2D (two days), PT0S (at once)',
  );

/**
 * A recurrence in Herald's compact form: `daily`, `weekdays`, `weekly:MO,TH`, `biweekly:TU`,
 * `monthly:15`, `monthly:first-MO`, `monthly:last-FR` or `every:PT2H`.
 */
export const Recurrence = z
  .string()
  .regex(
    /^(daily|weekdays|(weekly|biweekly):(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*|monthly:([1-9]|[12]\d|3[01])|monthly:(first|second|third|fourth|last)-(MO|TU|WE|TH|FR|SA|SU)|every:PT\d+[HM])$/,
    'expected daily, weekdays, weekly:MO,TH, biweekly:TU, monthly:15, monthly:last-FR or every:PT2H',
  );

/** Run as soon as the campaign starts and the step's dependencies are met. */
export const ImmediateTiming = z.object({ kind: z.literal('immediate') });

/** A wall-clock moment in one zone, the same instant for everyone. */
export const AbsoluteTiming = z.object({
  kind: z.literal('absolute'),
  date: LocalDate,
  time: LocalTime,
  zone: ZoneName,
});

/** A wall-clock time in each recipient's own zone: rolling waves around the world. */
export const RecipientLocalTiming = z.object({
  kind: z.literal('recipient_local'),
  date: LocalDate,
  time: LocalTime,
  /** Zone for recipients whose own zone is unknown. @default the campaign's defaultZone */
  fallbackZone: ZoneName.optional(),
});

/** A repeating step; needs an end (`until` or `count`) so the campaign can complete. */
export const RecurringTiming = z
  .object({
    kind: z.literal('recurring'),
    recurrence: Recurrence,
    /** First date the recurrence may fire on. */
    start: LocalDate,
    time: LocalTime,
    /** Zone of `time`; omit with `recipientLocal: true`. */
    zone: ZoneName.optional(),
    recipientLocal: z.boolean().default(false),
    until: LocalDate.optional(),
    count: z.number().int().positive().max(10_000).optional(),
  })
  .refine((t) => t.until !== undefined || t.count !== undefined, {
    message: 'a recurring step needs an end: add "until" (YYYY-MM-DD) or "count"',
    path: ['until'],
  })
  .refine((t) => t.recipientLocal || t.zone !== undefined, {
    message: 'a recurring step needs a "zone", or "recipientLocal": true',
    path: ['zone'],
  });

/** After another step completes, plus an offset, optionally snapped to a local time. */
export const RelativeTiming = z.object({
  kind: z.literal('relative'),
  /** The anchor step's id (ids are at most 64 characters). */
  after: z.string().min(1).max(64),
  offset: IsoDuration.default('PT0S'),
  /** Snap the result forward to this local time (e.g. "one day after, at 9am"). */
  time: LocalTime.optional(),
  zone: ZoneName.optional(),
});

/** When a step happens. */
export const Timing = z.discriminatedUnion('kind', [
  ImmediateTiming,
  AbsoluteTiming,
  RecipientLocalTiming,
  RecurringTiming,
  RelativeTiming,
]);
/** When a step happens. */
export type Timing = z.infer<typeof Timing>;
/** Timing kinds. */
export type TimingKind = Timing['kind'];

/** True when `zone` is a time zone this runtime's Intl knows. */
export function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
