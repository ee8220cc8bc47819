/**
 * @module
 * Maps a platform's reporting day (a date in its account zone) onto a day of the campaign's
 * zone, and parses the date formats platforms use (`YYYY-MM-DD`, GA4's `YYYYMMDD`, TikTok's
 * `YYYY-MM-DD 00:00:00`).
 */
import { DateTime } from 'luxon';

/** Parses a platform date into `YYYY-MM-DD`; undefined when it is not a date. */
export function parseReportingDate(raw: string): string | undefined {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})(?:[ T].*)?$/.exec(raw.trim());
  if (!match) return undefined;
  const day = `${match[1]}-${match[2]}-${match[3]}`;
  return DateTime.fromISO(day, { zone: 'UTC' }).isValid ? day : undefined;
}

/**
 * The campaign-zone day a platform day belongs to: the day holding the platform day's
 * midpoint, i.e. the campaign day that overlaps it most. Consecutive platform days always
 * land on distinct campaign days, so no day's data is double counted.
 * @example
 * toCampaignDay('2026-03-01', 'America/Los_Angeles', 'Asia/Tokyo'); // '2026-03-02'
 */
export function toCampaignDay(day: string, platformZone: string, campaignZone: string): string {
  if (platformZone === campaignZone) return day;
  const noon = DateTime.fromISO(`${day}T12:00:00`, { zone: platformZone });
  return noon.setZone(campaignZone).toISODate() ?? day;
}

/** Every day from `from` to `to` inclusive, `YYYY-MM-DD`. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  let t = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  for (; t <= end; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** `day` moved by `n` days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The current day in `zone` at `now` (epoch ms). */
export function dayAt(now: number, zone: string): string {
  return DateTime.fromMillis(now, { zone }).toISODate() ?? new Date(now).toISOString().slice(0, 10);
}

/** The instant a day starts in `zone`, epoch ms. */
export function startOfDay(day: string, zone: string): number {
  return DateTime.fromISO(`${day}T00:00:00`, { zone }).toMillis();
}
