import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsentRecord, ConsentSubject } from '../../src/compliance/consent-subject.js';
import { allowedSendTime, gateRecipients } from '../../src/compliance/recipient-gate.js';
import type { Channel, LocalWindow } from '../../src/compliance/regional-policy.js';
import { SuppressionList } from '../../src/compliance/suppression-list.js';
import { CampaignSpec } from '../../src/spec/campaign-schema.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-25T15:00:00Z'); // a Wednesday: 10:00 in New York

const express = (channel: Channel, at = '2026-01-01T00:00:00Z'): ConsentRecord => ({
  channel,
  status: 'granted',
  kind: 'express',
  source: 'signup_form',
  at,
});

describe('gateRecipients', () => {
  it('allows an express opt-in in the EU and refuses a missing one', () => {
    const result = gateRecipients(
      [
        { id: 'a', country: 'DE', consents: [express('email')] },
        { id: 'b', country: 'DE', consents: [] },
      ],
      { channel: 'email', policy: { requireConsent: false }, now: NOW },
    );
    expect(result.allowed.map((s) => s.id)).toEqual(['a']);
    expect(result.suppressed).toEqual([
      { subject: expect.objectContaining({ id: 'b' }), reason: 'consent_missing' },
    ]);
  });

  it('allows US email without a record only when the campaign does not require consent', () => {
    const subject: ConsentSubject = { id: 'u', country: 'US', consents: [] };
    const lax = gateRecipients([subject], {
      channel: 'email',
      policy: { requireConsent: false },
      now: NOW,
    });
    const strict = gateRecipients([subject], {
      channel: 'email',
      policy: { requireConsent: true },
      now: NOW,
    });
    expect(lax.allowed).toHaveLength(1);
    expect(strict.suppressed[0]?.reason).toBe('consent_missing');
  });

  it('honours CASL implied consent until it expires when the basis is a purchase or an inquiry', () => {
    const implied = (basis: 'purchase' | 'inquiry', daysAgo: number): ConsentSubject => ({
      id: `${basis}-${daysAgo}`,
      country: 'CA',
      consents: [
        {
          channel: 'email',
          status: 'granted',
          kind: 'implied',
          basis,
          source: 'checkout',
          at: new Date(NOW - daysAgo * DAY).toISOString(),
        },
      ],
    });
    const result = gateRecipients(
      [
        implied('purchase', 700),
        implied('purchase', 731),
        implied('inquiry', 150),
        implied('inquiry', 200),
      ],
      {
        channel: 'email',
        policy: { requireConsent: true },
        now: NOW,
      },
    );
    expect(result.allowed.map((s) => s.id)).toEqual(['purchase-700', 'inquiry-150']);
    expect(result.suppressed.map((s) => s.reason)).toEqual([
      'implied_consent_expired',
      'implied_consent_expired',
    ]);
  });

  it('refuses implied consent under GDPR and allows it under CAN-SPAM', () => {
    const implied: ConsentRecord = {
      channel: 'email',
      status: 'granted',
      kind: 'implied',
      basis: 'purchase',
      source: 'checkout',
      at: '2026-01-01T00:00:00Z',
    };
    const result = gateRecipients(
      [
        { id: 'gb', country: 'UK', consents: [implied] },
        { id: 'us', country: 'us', consents: [implied] },
      ],
      { channel: 'email', policy: { requireConsent: true }, now: NOW },
    );
    expect(result.allowed.map((s) => s.id)).toEqual(['us']);
    expect(result.suppressed[0]?.reason).toBe('consent_not_express');
  });

  it('ignores a grant dated after now but honours a withdrawal whenever it is dated', () => {
    const result = gateRecipients(
      [
        { id: 'future-grant', country: 'FR', consents: [express('email', '2027-01-01T00:00:00Z')] },
        {
          id: 'future-withdrawal',
          country: 'FR',
          consents: [
            express('email'),
            { ...express('email', '2027-01-01T00:00:00Z'), status: 'withdrawn' },
          ],
        },
      ],
      { channel: 'email', policy: { requireConsent: true }, now: NOW },
    );
    expect(result.suppressed.map((s) => [s.subject.id, s.reason])).toEqual([
      ['future-grant', 'consent_missing'],
      ['future-withdrawal', 'consent_withdrawn'],
    ]);
  });

  it('lets the latest record win and a withdrawal win a tie', () => {
    const at = '2026-05-01T00:00:00Z';
    const withdrawn: ConsentRecord = { ...express('email', at), status: 'withdrawn' };
    const result = gateRecipients(
      [
        { id: 'tie', country: 'FR', consents: [withdrawn, express('email', at)] },
        {
          id: 'regranted',
          country: 'FR',
          consents: [
            express('email', '2026-10-01T00:00:00Z'),
            { ...withdrawn, at: '2026-06-01T00:00:00Z' },
            express('email', 'garbage'),
          ],
        },
        {
          id: 'unreadable',
          country: 'FR',
          consents: [express('email'), { ...withdrawn, at: 'garbage' }],
        },
      ],
      { channel: 'email', policy: { requireConsent: true }, now: NOW },
    );
    expect(result.allowed.map((s) => s.id)).toEqual(['regranted']);
    expect(result.suppressed.map((s) => s.reason)).toEqual([
      'consent_withdrawn',
      'consent_withdrawn',
    ]);
  });

  it('suppresses by subject flags and by the live list', () => {
    const list = new SuppressionList();
    list.suppress({
      address: 'Bounced@Example.com',
      scope: 'email',
      reason: 'bounce',
      at: '2026-11-25T00:00:00Z',
    });
    list.suppress({
      personId: 'p4',
      scope: 'all',
      reason: 'unsubscribe',
      at: '2026-11-25T00:00:00Z',
    });
    const subjects: ConsentSubject[] = [
      {
        id: 'p1',
        country: 'US',
        consents: [express('email')],
        suppressed: { global: 'complaint' },
      },
      {
        id: 'p2',
        country: 'US',
        consents: [express('email')],
        suppressed: { channels: { email: 'unsubscribe' } },
      },
      { id: 'p3', country: 'US', email: 'bounced@example.com', consents: [express('email')] },
      { id: 'p4', country: 'US', consents: [express('email')] },
      {
        id: 'p5',
        country: 'US',
        consents: [express('email')],
        suppressed: { channels: { sms: 'unsubscribe' } },
      },
    ];
    const result = gateRecipients(subjects, {
      channel: 'email',
      policy: { requireConsent: true },
      now: NOW,
      suppressions: list,
    });
    expect(result.allowed.map((s) => s.id)).toEqual(['p5']);
    expect(result.suppressed.every((s) => s.reason === 'suppressed')).toBe(true);
  });

  it('defers SMS outside recipient-local hours and refuses unknown or invalid zones', () => {
    const sms = (id: string, zone?: string, country = 'US', region?: string): ConsentSubject => ({
      id,
      country,
      ...(region !== undefined && { region }),
      ...(zone !== undefined && { zone }),
      consents: [express('sms')],
    });
    const result = gateRecipients(
      [
        sms('ny', 'America/New_York'),
        sms('tokyo', 'Asia/Tokyo', 'JP'),
        sms('nozone'),
        sms('bad', 'Mars/Olympus'),
        sms('fl', 'America/New_York', 'US', 'FL'),
      ],
      { channel: 'sms', policy: { requireConsent: true }, now: NOW },
    );
    expect(result.allowed.map((s) => s.id)).toEqual(['ny', 'fl']);
    // 00:00 Thursday in Tokyo; the strictest rule (unknown region JP) opens at 08:00 local.
    expect(result.deferred).toEqual([
      {
        subject: expect.objectContaining({ id: 'tokyo' }),
        until: Date.parse('2026-11-25T23:00:00Z'),
      },
    ]);
    expect(result.suppressed.map((s) => [s.subject.id, s.reason])).toEqual([
      ['nozone', 'zone_unknown'],
      ['bad', 'zone_invalid'],
    ]);
  });

  it('uses the default zone and refuses a window that never opens', () => {
    const closed = {
      region: 'X',
      email: {
        consent: 'opt_in',
        optOutWithinBusinessDays: 0,
        laws: [],
        hours: { daily: { start: '08:00', end: '08:00' } },
      },
      sms: { consent: 'opt_in', optOutWithinBusinessDays: 0, laws: [] },
      emailContent: { unsubscribeLink: true, postalAddress: true, oneClickUnsubscribe: true },
    } as const;
    const subject: ConsentSubject = { id: 'x', consents: [express('email')] };
    const result = gateRecipients([subject], {
      channel: 'email',
      policy: { requireConsent: true },
      now: NOW,
      defaultZone: 'UTC',
      rules: () => closed,
    });
    expect(result.suppressed[0]?.reason).toBe('window_never_opens');
  });

  it('takes the compliance settings of a parsed campaign spec as the policy', () => {
    const spec = CampaignSpec.parse({
      name: 'n',
      steps: [{ id: 's', platform: 'sms', action: 'sms', timing: { kind: 'immediate' } }],
      compliance: { quietHours: { start: '09:00', end: '11:00' } },
    });
    const subject: ConsentSubject = {
      id: 'q',
      country: 'US',
      zone: 'America/New_York',
      consents: [express('sms')],
    };
    const result = gateRecipients([subject], { channel: 'sms', policy: spec.compliance, now: NOW });
    expect(result.deferred[0]?.until).toBe(Date.parse('2026-11-25T16:00:00Z'));
  });

  it('applies quiet hours on every channel', () => {
    const subject: ConsentSubject = {
      id: 'q',
      country: 'US',
      zone: 'America/New_York',
      consents: [express('email')],
    };
    const quietHours: LocalWindow = { start: '09:00', end: '11:00' };
    const result = gateRecipients([subject], {
      channel: 'email',
      policy: { requireConsent: true, quietHours },
      now: NOW,
    });
    expect(result.deferred[0]?.until).toBe(Date.parse('2026-11-25T16:00:00Z'));
  });
});

describe('allowedSendTime', () => {
  const subject: ConsentSubject = {
    id: 's',
    country: 'US',
    region: 'US-TX',
    zone: 'America/Chicago',
    consents: [],
  };

  it('returns the instant itself inside the window', () => {
    expect(allowedSendTime(subject, 'sms', NOW, { policy: { requireConsent: true } })).toBe(NOW);
  });

  it('moves to noon on a Texas Sunday', () => {
    const saturdayNight = Date.parse('2026-11-29T04:00:00Z'); // 22:00 Saturday in Chicago
    expect(
      allowedSendTime(subject, 'sms', saturdayNight, { policy: { requireConsent: true } }),
    ).toBe(Date.parse('2026-11-29T18:00:00Z'));
  });

  it('returns undefined without a zone and the instant when no hours apply', () => {
    const nozone: ConsentSubject = { id: 'n', country: 'US', consents: [] };
    expect(
      allowedSendTime(nozone, 'sms', NOW, { policy: { requireConsent: true } }),
    ).toBeUndefined();
    expect(
      allowedSendTime(nozone, 'sms', NOW, { policy: { requireConsent: true }, defaultZone: 'UTC' }),
    ).toBe(NOW);
    expect(allowedSendTime(nozone, 'email', NOW, { policy: { requireConsent: true } })).toBe(NOW);
  });
});

// ---- Randomised audiences against an independent oracle (Intl, not luxon) ----

const EEA = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(
    ' ',
  ),
);
const formatters = new Map<string, Intl.DateTimeFormat>();
function local(zone: string, at: number): { weekday: number; minute: number } | undefined {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      });
    } catch {
      return undefined;
    }
    formatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
  return { weekday, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}
const hm = (s: string): number => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
const inSpan = (m: number, w: LocalWindow): boolean => {
  const [s, e] = [hm(w.start), hm(w.end)];
  return s <= e ? m >= s && m < e : m >= s || m < e;
};

const rank = (r: ConsentRecord): number =>
  r.status === 'withdrawn' ? 2 : r.kind === 'express' ? 1 : 0;

function oracleConsentOk(
  subject: ConsentSubject,
  channel: Channel,
  now: number,
  requireConsent: boolean,
): boolean {
  if (
    subject.suppressed?.global !== undefined ||
    subject.suppressed?.channels?.[channel] !== undefined
  )
    return false;
  const records = subject.consents
    .filter((r) => r.channel === channel && (r.status === 'withdrawn' || Date.parse(r.at) <= now))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || rank(a) - rank(b));
  const latest = records.at(-1);
  const cc = subject.country?.toUpperCase().replace(/^UK$/, 'GB');
  const mode =
    cc === undefined
      ? 'opt_in'
      : EEA.has(cc) || cc === 'GB'
        ? 'opt_in'
        : cc === 'CA'
          ? 'casl'
          : cc === 'US'
            ? channel === 'email'
              ? 'opt_out'
              : 'opt_in'
            : 'opt_in';
  if (latest === undefined) return mode === 'opt_out' && !requireConsent;
  if (latest.status === 'withdrawn') return false;
  if (latest.kind === 'express') return true;
  if (mode === 'opt_out') return true;
  if (mode === 'opt_in') return false;
  const days = latest.basis === 'purchase' ? 730 : 183;
  return now < Date.parse(latest.at) + days * DAY;
}

function oracleWindowOk(
  subject: ConsentSubject,
  channel: Channel,
  at: number,
  quiet: LocalWindow | undefined,
): boolean {
  const zone = subject.zone;
  const clock = zone === undefined ? undefined : local(zone, at);
  if (channel === 'email' && quiet === undefined) return true;
  if (clock === undefined) return false;
  if (quiet !== undefined && inSpan(clock.minute, quiet)) return false;
  if (channel === 'email') return true;
  const cc = subject.country?.toUpperCase().replace(/^UK$/, 'GB');
  const region = subject.region?.replace(/^US-/, '');
  let window: LocalWindow = { start: '08:00', end: '21:00' };
  if (cc === undefined || !(EEA.has(cc) || ['GB', 'CA', 'US'].includes(cc)))
    window = { start: '08:00', end: '20:00' };
  if (cc === 'US' && ['FL', 'OK', 'MD', 'WA'].includes(region ?? ''))
    window = { start: '08:00', end: '20:00' };
  if (cc === 'US' && region === 'TX')
    window =
      clock.weekday === 7 ? { start: '12:00', end: '21:00' } : { start: '09:00', end: '21:00' };
  return inSpan(clock.minute, window);
}

const ZONES = [
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Toronto',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Pacific/Kiritimati',
  'Australia/Lord_Howe',
  'Not/AZone',
];
const T0 = Date.parse('2025-01-01T00:00:00Z');
const T1 = Date.parse('2028-01-01T00:00:00Z');
const instant = fc.integer({ min: T0, max: T1 });
// Consent mostly predates the send; some records are dated after it.
const recordInstant = fc.integer({ min: Date.parse('2022-01-01T00:00:00Z'), max: T1 });
const record = fc.record({
  channel: fc.constantFrom<Channel>('email', 'sms'),
  status: fc.constantFrom('granted' as const, 'granted' as const, 'withdrawn' as const),
  kind: fc.constantFrom('express' as const, 'express' as const, 'implied' as const),
  basis: fc.constantFrom('purchase' as const, 'inquiry' as const),
  source: fc.constant('gen'),
  at: recordInstant.map((t) => new Date(t).toISOString()),
});
const subject = fc.record(
  {
    id: fc.uuid(),
    country: fc.constantFrom('DE', 'FR', 'GB', 'UK', 'CA', 'US', 'us', 'MX', 'JP', 'IN', 'NO'),
    region: fc.constantFrom('FL', 'US-OK', 'TX', 'CA', 'NY', 'MD', 'WA', 'ON'),
    zone: fc.constantFrom(...ZONES),
    consents: fc.array(record, { maxLength: 4 }),
    suppressed: fc.record(
      {
        global: fc.constantFrom('unsubscribe' as const, 'bounce' as const),
        channels: fc.record({ sms: fc.constant('unsubscribe' as const) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['id', 'consents'] },
) as fc.Arbitrary<ConsentSubject>;
const quietHours = fc.option(
  fc.constantFrom<LocalWindow>(
    { start: '21:00', end: '08:00' },
    { start: '12:00', end: '13:30' },
    { start: '00:00', end: '07:00' },
  ),
  { nil: undefined },
);

describe('gateRecipients (property)', () => {
  it('never lets through a person who may not receive, nor anything outside the window, when audiences are random', () => {
    const seen = { allowed: 0, deferred: 0, suppressed: 0 };
    fc.assert(
      fc.property(
        fc.array(subject, { minLength: 5, maxLength: 40 }),
        fc.constantFrom<Channel>('email', 'sms'),
        instant,
        fc.boolean(),
        quietHours,
        (subjects, channel, now, requireConsent, quiet) => {
          const policy = { requireConsent, ...(quiet !== undefined && { quietHours: quiet }) };
          const result = gateRecipients(subjects, { channel, policy, now });
          seen.allowed += result.allowed.length;
          seen.deferred += result.deferred.length;
          seen.suppressed += result.suppressed.length;
          expect(result.allowed.length + result.deferred.length + result.suppressed.length).toBe(
            subjects.length,
          );
          for (const s of result.allowed) {
            expect(oracleConsentOk(s, channel, now, requireConsent)).toBe(true);
            expect(oracleWindowOk(s, channel, now, quiet)).toBe(true);
          }
          for (const { subject: s, until } of result.deferred) {
            expect(oracleConsentOk(s, channel, now, requireConsent)).toBe(true);
            expect(until).toBeGreaterThan(now);
            expect(oracleWindowOk(s, channel, until, quiet)).toBe(true);
            expect(oracleWindowOk(s, channel, now, quiet)).toBe(false);
            // Re-gated at the deferral instant it is sent, unless consent lapsed meanwhile.
            const again = gateRecipients([s], { channel, policy, now: until });
            expect(again.deferred).toHaveLength(0);
          }
          for (const { subject: s } of result.suppressed) {
            const zoneValid = s.zone !== undefined && local(s.zone, now) !== undefined;
            expect(oracleConsentOk(s, channel, now, requireConsent) && zoneValid).toBe(false);
          }
        },
      ),
      { numRuns: 1000 },
    );
    // The property is not vacuous: every outcome occurs many times.
    expect(Math.min(seen.allowed, seen.deferred, seen.suppressed)).toBeGreaterThan(100);
  });

  it('returns an allowed instant no later than a day and a bit ahead when the zone is valid', () => {
    fc.assert(
      fc.property(
        subject,
        fc.constantFrom<Channel>('email', 'sms'),
        instant,
        quietHours,
        (s, channel, at, quiet) => {
          const policy = {
            requireConsent: true,
            ...(quiet !== undefined && { quietHours: quiet }),
          };
          const next = allowedSendTime(s, channel, at, { policy });
          if (next === undefined) return;
          expect(next).toBeGreaterThanOrEqual(at);
          expect(next - at).toBeLessThanOrEqual(2 * DAY);
          expect(oracleWindowOk(s, channel, next, quiet)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});
