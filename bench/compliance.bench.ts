/**
 * Gates 1,000,000 generated subjects (many regions and zones, random consent) for SMS with
 * `gateRecipients` (rules, windows and local clocks resolved once per batch), against a naive
 * gate that resolves the rule, compiles the window and builds a luxon `DateTime` per subject,
 * over the same 1,000,000 subjects in the same run; both must agree on every subject. The
 * gate also computes each deferral instant, which the naive gate does not. Then
 * measures redaction of log-like records. Run with `npx tsx bench/run.ts compliance`.
 */
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { evaluateConsent } from '../src/compliance/consent-evaluation.js';
import type { ConsentRecord, ConsentSubject } from '../src/compliance/consent-subject.js';
import { gateRecipients } from '../src/compliance/recipient-gate.js';
import { Redactor } from '../src/compliance/redaction.js';
import { ruleFor } from '../src/compliance/regional-policy.js';
import { compileSendWindow, isOpenAt } from '../src/compliance/send-window.js';
import { SuppressionList } from '../src/compliance/suppression-list.js';

const SUBJECTS = 1_000_000;
const RUNS = 3;
const RECORDS = 100_000;
const NOW = Date.parse('2026-11-25T15:00:00Z');
const PLACES: readonly (readonly [string, string | undefined, string])[] = [
  ['DE', undefined, 'Europe/Berlin'],
  ['FR', undefined, 'Europe/Paris'],
  ['GB', undefined, 'Europe/London'],
  ['CA', 'ON', 'America/Toronto'],
  ['CA', 'BC', 'America/Vancouver'],
  ['US', 'NY', 'America/New_York'],
  ['US', 'FL', 'America/New_York'],
  ['US', 'TX', 'America/Chicago'],
  ['US', 'OK', 'America/Chicago'],
  ['US', 'CA', 'America/Los_Angeles'],
  ['JP', undefined, 'Asia/Tokyo'],
  ['IN', undefined, 'Asia/Kolkata'],
  ['AU', undefined, 'Australia/Sydney'],
  ['BR', undefined, 'America/Sao_Paulo'],
];

/** Small deterministic PRNG so every run gates the same audience. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function audience(n: number): ConsentSubject[] {
  const random = mulberry32(42);
  const out: ConsentSubject[] = [];
  for (let i = 0; i < n; i++) {
    const [country, region, zone] = PLACES[Math.floor(random() * PLACES.length)]!;
    const consents: ConsentRecord[] = [];
    const count = Math.floor(random() * 3);
    for (let c = 0; c < count; c++) {
      consents.push({
        channel: random() < 0.7 ? 'sms' : 'email',
        status: random() < 0.8 ? 'granted' : 'withdrawn',
        kind: random() < 0.7 ? 'express' : 'implied',
        basis: random() < 0.5 ? 'purchase' : 'inquiry',
        source: 'bench',
        at: new Date(NOW - Math.floor(random() * 1000) * 86_400_000).toISOString(),
      });
    }
    out.push({
      id: `s${i}`,
      country,
      ...(region !== undefined && { region }),
      zone: random() < 0.02 ? 'Invalid/Zone' : zone,
      consents,
      ...(random() < 0.01 && { suppressed: { global: 'unsubscribe' as const } }),
    });
  }
  return out;
}

/** The naive gate: everything resolved per subject. */
function naiveVerdict(s: ConsentSubject, suppressions: SuppressionList): string {
  if (s.suppressed?.global !== undefined || suppressions.suppressionOf(s, 'sms') !== undefined) {
    return 'suppressed';
  }
  const rule = ruleFor(s.country, s.region).sms;
  if (!evaluateConsent(s.consents, 'sms', rule, NOW, true).allowed) return 'suppressed';
  const window = compileSendWindow(rule.hours);
  const local = DateTime.fromMillis(NOW, { zone: s.zone ?? 'invalid' });
  if (!local.isValid) return 'suppressed';
  return isOpenAt(window, { weekday: local.weekday, minute: local.hour * 60 + local.minute })
    ? 'allowed'
    : 'deferred';
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

export default async function complianceBench(): Promise<Record<string, unknown>> {
  await Promise.resolve();
  const subjects = audience(SUBJECTS);
  const suppressions = new SuppressionList();
  for (let i = 0; i < 10_000; i++) {
    suppressions.suppress({
      personId: `s${i * 97}`,
      scope: 'sms',
      reason: 'unsubscribe',
      at: '2026-01-01T00:00:00Z',
    });
  }
  const options = {
    channel: 'sms' as const,
    policy: { requireConsent: true },
    now: NOW,
    suppressions,
  };

  const timings: number[] = [];
  let counts = { allowed: 0, deferred: 0, suppressed: 0 };
  let result = gateRecipients([], options);
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    result = gateRecipients(subjects, options);
    timings.push(performance.now() - started);
    counts = {
      allowed: result.allowed.length,
      deferred: result.deferred.length,
      suppressed: result.suppressed.length,
    };
  }
  const verdicts = new Map<ConsentSubject, string>();
  for (const s of result.allowed) verdicts.set(s, 'allowed');
  for (const d of result.deferred) verdicts.set(d.subject, 'deferred');
  for (const d of result.suppressed) verdicts.set(d.subject, 'suppressed');

  let disagreements = 0;
  const naiveStarted = performance.now();
  for (const s of subjects) if (naiveVerdict(s, suppressions) !== verdicts.get(s)) disagreements++;
  const naiveMs = performance.now() - naiveStarted;

  const redactor = new Redactor();
  redactor.register('hk_live_0123456789abcdef0123456789abcdef');
  const records = Array.from({ length: RECORDS }, (_, i) => ({
    msg: `send failed for user${i}@example.com`,
    campaignId: 'c1',
    attempt: i % 5,
    request: {
      url: `https://api.example.com/v3/mail/send?api_key=hk_live_0123456789abcdef0123456789abcdef&n=${i}`,
      headers: { authorization: 'Bearer abc.def.ghi', 'content-type': 'application/json' },
      recipient: { id: `p${i}`, phone: '+1 650 555 0100', zone: 'America/New_York' },
    },
    note: 'retrying in 2 s; quota 80% used',
  }));
  const bytes = records.reduce((n, r) => n + JSON.stringify(r).length, 0);
  const redactStarted = performance.now();
  let leaked = 0;
  for (const r of records) {
    const out = JSON.stringify(redactor.redact(r));
    if (out.includes('@example.com') || out.includes('hk_live_')) leaked++;
  }
  const redactMs = performance.now() - redactStarted;

  const sorted = [...timings].sort((a, b) => a - b);
  const gateMs = sorted[Math.floor(sorted.length / 2)]!;
  return {
    subjects: SUBJECTS,
    channel: 'sms',
    verdicts: counts,
    gate: {
      medianMs: round(gateMs),
      runsMs: timings.map(round),
      subjectsPerSecond: Math.round((SUBJECTS / gateMs) * 1000),
    },
    naive: {
      ms: round(naiveMs),
      subjectsPerSecond: Math.round((SUBJECTS / naiveMs) * 1000),
      disagreementsWithGate: disagreements,
      note: 'rule, window and luxon DateTime per subject; the verdict comparison is inside the timing',
    },
    speedup: Math.round((naiveMs / gateMs) * 10) / 10,
    redaction: {
      records: RECORDS,
      ms: round(redactMs),
      recordsPerSecond: Math.round((RECORDS / redactMs) * 1000),
      megabytesPerSecond: Math.round((bytes / 1e6 / (redactMs / 1000)) * 10) / 10,
      leaked,
    },
  };
}
