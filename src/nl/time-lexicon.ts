/**
 * @module
 * Words of time: weekdays, months, number words, duration units, the zone words and cities
 * marketers write (mapped to IANA zones) and the marketing holidays, computed for any year.
 */
import { DateTime } from 'luxon';

/** Weekday word → ISO weekday (1 = Monday). */
export const WEEKDAYS: ReadonlyMap<string, number> = new Map(
  [
    ['monday', 'mon', 'mondays'],
    ['tuesday', 'tue', 'tues', 'tuesdays'],
    ['wednesday', 'wed', 'weds', 'wednesdays'],
    ['thursday', 'thu', 'thur', 'thurs', 'thursdays'],
    ['friday', 'fri', 'fridays'],
    ['saturday', 'sat', 'saturdays'],
    ['sunday', 'sun', 'sundays'],
  ].flatMap((words, i) => words.map((w): [string, number] => [w, i + 1])),
);

/** Two-letter weekday codes of recurrences, Monday first. */
export const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** Month word → month number. */
export const MONTHS: ReadonlyMap<string, number> = new Map(
  [
    ['january', 'jan'],
    ['february', 'feb'],
    ['march', 'mar'],
    ['april', 'apr'],
    ['may'],
    ['june', 'jun'],
    ['july', 'jul'],
    ['august', 'aug'],
    ['september', 'sep', 'sept'],
    ['october', 'oct'],
    ['november', 'nov'],
    ['december', 'dec'],
  ].flatMap((words, i) => words.map((w): [string, number] => [w, i + 1])),
);

/** Number words. */
export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ['a', 1],
  ['an', 1],
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['eight', 8],
  ['nine', 9],
  ['ten', 10],
  ['twelve', 12],
  ['fifteen', 15],
  ['twenty', 20],
  ['thirty', 30],
  ['forty-eight', 48],
]);

/** Duration unit word → ISO-8601 designator (`M` after `T` is minutes). */
export const UNITS: ReadonlyMap<string, 'TM' | 'TH' | 'D' | 'W' | 'M' | 'Y'> = new Map([
  ['min', 'TM'],
  ['mins', 'TM'],
  ['minute', 'TM'],
  ['minutes', 'TM'],
  ['m', 'TM'],
  ['h', 'TH'],
  ['hr', 'TH'],
  ['hrs', 'TH'],
  ['hour', 'TH'],
  ['hours', 'TH'],
  ['day', 'D'],
  ['days', 'D'],
  ['d', 'D'],
  ['week', 'W'],
  ['weeks', 'W'],
  ['month', 'M'],
  ['months', 'M'],
  ['year', 'Y'],
  ['years', 'Y'],
] as const);

/** An ISO-8601 duration of `n` units; weeks are written as days (a week is P7D). */
export function isoDuration(n: number, unit: 'TM' | 'TH' | 'D' | 'W' | 'M' | 'Y'): string {
  if (unit === 'TM') return `PT${n}M`;
  if (unit === 'TH') return `PT${n}H`;
  if (unit === 'W') return `P${n * 7}D`;
  return `P${n}${unit}`;
}

/** Zone words and cities → IANA zone. Multi-word keys are normalised tokens joined by spaces. */
export const ZONE_WORDS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'America/New_York': 'et|est|edt|eastern|new york|nyc|boston|miami|atlanta',
    'America/Chicago': 'ct|cst|cdt|central|chicago|dallas|houston',
    'America/Denver': 'mt|mst|mdt|mountain|denver',
    'America/Phoenix': 'phoenix|arizona',
    'America/Los_Angeles': 'pt|pst|pdt|pacific|los angeles|la|san francisco|sf|seattle',
    'America/Toronto': 'toronto',
    'America/Vancouver': 'vancouver',
    'America/Sao_Paulo': 'sao paulo|brasilia',
    'America/Mexico_City': 'mexico city',
    'America/Bogota': 'bogota',
    'America/Lima': 'lima',
    'America/Santiago': 'santiago',
    'America/Argentina/Buenos_Aires': 'buenos aires',
    'America/Halifax': 'halifax|atlantic',
    'Africa/Lagos': 'lagos',
    'Africa/Cairo': 'cairo',
    'Africa/Johannesburg': 'johannesburg|cape town',
    'Africa/Nairobi': 'nairobi',
    'Asia/Manila': 'manila',
    'Asia/Jakarta': 'jakarta',
    'Asia/Bangkok': 'bangkok',
    'Europe/Warsaw': 'warsaw',
    'Europe/Vienna': 'vienna',
    'Europe/Zurich': 'zurich',
    'Europe/Brussels': 'brussels',
    'Europe/Copenhagen': 'copenhagen',
    'Europe/Oslo': 'oslo',
    'Europe/Helsinki': 'helsinki',
    'Europe/Athens': 'athens',
    'Europe/Istanbul': 'istanbul',
    'Europe/London': 'london|uk|bst|gmt|edinburgh|manchester|british',
    'Europe/Dublin': 'dublin',
    'Europe/Berlin': 'berlin|cet|cest|german|germany|munich',
    'Europe/Paris': 'paris|france',
    'Europe/Madrid': 'madrid',
    'Europe/Rome': 'rome',
    'Europe/Amsterdam': 'amsterdam',
    'Europe/Stockholm': 'stockholm',
    'Europe/Lisbon': 'lisbon',
    'Asia/Kolkata': 'india|ist|mumbai|delhi|bangalore',
    'Asia/Tokyo': 'tokyo|japan|jst',
    'Asia/Seoul': 'seoul|kst',
    'Asia/Singapore': 'singapore|sgt',
    'Asia/Hong_Kong': 'hong kong',
    'Asia/Shanghai': 'shanghai|beijing',
    'Asia/Dubai': 'dubai',
    'Australia/Sydney': 'sydney|aest|aedt',
    'Australia/Melbourne': 'melbourne',
    'Pacific/Auckland': 'auckland|nzst|nzdt',
    UTC: 'utc',
  }).flatMap(([zone, words]) => words.split('|').map((w): [string, string] => [w, zone])),
);

/** Zone words that stand alone after a clock time without "time" ("8am ET", "5am pacific"). */
export const ZONE_ABBREVIATIONS = new Set(
  'et est edt eastern ct cst cdt central mt mst mdt mountain pt pst pdt pacific utc gmt bst cet cest ist jst kst sgt aest aedt nzst nzdt'.split(
    ' ',
  ),
);

/** A marketing holiday's date in `year`. */
export type HolidayRule = (year: number) => DateTime;

const nthWeekday = (year: number, month: number, weekday: number, n: number): DateTime => {
  const first = DateTime.utc(year, month, 1);
  return first.plus({ days: ((weekday - first.weekday + 7) % 7) + (n - 1) * 7 });
};
const thanksgiving = (y: number): DateTime => nthWeekday(y, 11, 4, 4);

/** Holiday phrase → its date in a year. */
export const HOLIDAYS: ReadonlyMap<string, HolidayRule> = new Map<string, HolidayRule>([
  ['thanksgiving', thanksgiving],
  ['black friday', (y) => thanksgiving(y).plus({ days: 1 })],
  ['small business saturday', (y) => thanksgiving(y).plus({ days: 2 })],
  ['cyber monday', (y) => thanksgiving(y).plus({ days: 4 })],
  ['giving tuesday', (y) => thanksgiving(y).plus({ days: 5 })],
  ['christmas eve', (y) => DateTime.utc(y, 12, 24)],
  ['christmas', (y) => DateTime.utc(y, 12, 25)],
  ['boxing day', (y) => DateTime.utc(y, 12, 26)],
  ['new years eve', (y) => DateTime.utc(y, 12, 31)],
  ['new year eve', (y) => DateTime.utc(y, 12, 31)],
  ['new years day', (y) => DateTime.utc(y, 1, 1)],
  ['new year day', (y) => DateTime.utc(y, 1, 1)],
  ['valentines day', (y) => DateTime.utc(y, 2, 14)],
  ['valentine day', (y) => DateTime.utc(y, 2, 14)],
  ['halloween', (y) => DateTime.utc(y, 10, 31)],
  ['mothers day', (y) => nthWeekday(y, 5, 7, 2)],
  ['mother day', (y) => nthWeekday(y, 5, 7, 2)],
  ['fathers day', (y) => nthWeekday(y, 6, 7, 3)],
  ['father day', (y) => nthWeekday(y, 6, 7, 3)],
]);
