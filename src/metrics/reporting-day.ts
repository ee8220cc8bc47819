/**
 * @module
 * Maps a platform's reporting day (a date in its account zone) onto a day of the campaign's
 * zone, and parses the date formats platforms use (`YYYY-MM-DD`, GA4's `YYYYMMDD`, TikTok's
 * `YYYY-MM-DD 00:00:00`). Zone conversions are remembered, so collecting 90 days for a
 * thousand campaigns converts each distinct day once rather than once per row.
 */
import { DateTime } from 'luxon';

/** Entries a memo keeps before starting afresh (days × zones in use stay far below it). */
const MEMO_LIMIT = 10_000;

/** `compute(key)`, remembered: one luxon conversion per distinct input. */
function memo(compute: (key: string) => string | undefined): (key: string) => string | undefined {
  const known = new Map<string, string | undefined>();
  return (key) => {
    if (known.has(key)) return known.get(key);
    if (known.size >= MEMO_LIMIT) known.clear();
    const value = compute(key);
    known.set(key, value);
    return value;
  };
}

const validDay = memo((day) => (DateTime.fromISO(day, { zone: 'UTC' }).isValid ? day : undefined));

/** Parses a platform date into `YYYY-MM-DD`; undefined when it is not a date. */
export function parseReportingDate(raw: string): string | undefined {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})(?:[ T].*)?$/.exec(raw.trim());
  if (!match) return undefined;
  const day = `${match[1]}-${match[2]}-${match[3]}`;
  return validDay(day);
}

const campaignDay = memo((key) => {
  const [day, platformZone, campaignZone] = key.split('|') as [string, string, string];
  const noon = DateTime.fromISO(`${day}T12:00:00`, { zone: platformZone });
  return noon.setZone(campaignZone).toISODate() ?? day;
});

/**
 * The campaign-zone day a platform day belongs to: the day holding the platform day's
 * midpoint, i.e. the campaign day that overlaps it most. Consecutive platform days always
 * land on distinct campaign days, so no day's data is double counted.
 * @example
 * toCampaignDay('2026-03-01', 'America/Los_Angeles', 'Asia/Tokyo'); // '2026-03-02'
 */
export function toCampaignDay(day: string, platformZone: string, campaignZone: string): string {
  if (platformZone === campaignZone) return day;
  return campaignDay(`${day}|${platformZone}|${campaignZone}`)!;
}

/** Every day from `from` to `to` inclusive, `YYYY-MM-DD`. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  let t = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  for (; t <= end; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

const movedDay = memo((key) => {
  const [day, n] = key.split('|') as [string, string];
  return new Date(Date.parse(`${day}T00:00:00Z`) + Number(n) * 86_400_000)
    .toISOString()
    .slice(0, 10);
});

/** `day` moved by `n` days. */
export function addDays(day: string, n: number): string {
  return movedDay(`${day}|${n}`)!;
}

/** Per zone, the last day `dayAt` computed and the instants `[from, to)` it spans. */
const lastDayAt = new Map<
  string,
  { readonly day: string; readonly from: number; readonly to: number }
>();

/** The current day in `zone` at `now` (epoch ms); one luxon conversion per zone and day. */
export function dayAt(now: number, zone: string): string {
  const last = lastDayAt.get(zone);
  if (last !== undefined && now >= last.from && now < last.to) return last.day;
  const at = DateTime.fromMillis(now, { zone });
  if (!at.isValid) return new Date(now).toISOString().slice(0, 10);
  const start = at.startOf('day');
  const day = at.toISODate();
  lastDayAt.set(zone, { day, from: start.toMillis(), to: start.plus({ days: 1 }).toMillis() });
  return day;
}

/** The instant a day starts in `zone`, epoch ms. */
export function startOfDay(day: string, zone: string): number {
  return DateTime.fromISO(`${day}T00:00:00`, { zone }).toMillis();
}
