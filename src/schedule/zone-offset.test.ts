import { describe, expect, it } from 'vitest';
import { formatInstantIn, isKnownZone, wallTimeAt, zoneOffsetAt } from './zone-offset.js';

describe('zoneOffsetAt', () => {
  it('reads quarter-hour and DST offsets from Intl', () => {
    const jan = Date.UTC(2026, 0, 1);
    const jul = Date.UTC(2026, 6, 1);
    expect(zoneOffsetAt('Asia/Kathmandu', jan)).toBe(20_700_000);
    expect(zoneOffsetAt('Pacific/Chatham', jan)).toBe((13 * 60 + 45) * 60_000);
    expect(zoneOffsetAt('Australia/Lord_Howe', jul)).toBe(10.5 * 3_600_000);
    expect(zoneOffsetAt('America/New_York', jul + 999)).toBe(-4 * 3_600_000);
  });
});

describe('wallTimeAt', () => {
  it('shows midnight as 00, not 24', () => {
    expect(wallTimeAt('UTC', Date.UTC(2026, 0, 1, 0, 0, 7))).toBe(Date.UTC(2026, 0, 1, 0, 0, 7));
  });
});

describe('isKnownZone', () => {
  it('knows IANA names and rejects others when asked twice', () => {
    expect(isKnownZone('Europe/London')).toBe(true);
    expect(isKnownZone('Moon/Base')).toBe(false);
    expect(isKnownZone('Moon/Base')).toBe(false);
  });
});

describe('formatInstantIn', () => {
  it('labels an instant with the local time and zone', () => {
    expect(formatInstantIn(Date.UTC(2026, 11, 1, 14), 'America/New_York')).toBe(
      '2026-12-01 09:00 America/New_York',
    );
  });
});
