/**
 * The law at the moment of sending: consent, suppression and SMS hours are checked when a batch
 * actually goes out, not when it was planned. The sandbox's own record of what it accepted, and
 * when, is the ground truth.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { staticAudience } from '../../src/actors/audience-resolver.js';
import { CampaignSystem } from '../../src/actors/campaign-system.js';
import { unsafeNoComplianceGate } from '../../src/actors/delivery-gate.js';
import { profileAudience } from '../../src/actors/profile-audience.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox-credentials.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import { SimulatedClock } from '../../src/schedule/clock.js';
import type { Profile } from '../../src/segments/profile-model.js';
import type { CampaignSpecInput } from '../../src/spec/campaign-schema.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { MemoryPlatforms } from '../fixtures/memory-platform.js';

/** Zones with the SMS hours the law gives their region (README, "Privacy and compliance"). */
const PLACES = [
  { zone: 'Asia/Tokyo', country: 'JP', region: 'JP-13', hours: [8, 20] },
  { zone: 'America/New_York', country: 'US', region: 'US-NY', hours: [8, 21] },
  { zone: 'Europe/Berlin', country: 'DE', region: 'DE-BE', hours: [8, 21] },
  { zone: 'Australia/Sydney', country: 'AU', region: 'AU-NSW', hours: [8, 20] },
  { zone: 'America/Los_Angeles', country: 'US', region: 'US-CA', hours: [8, 21] },
] as const;

function people(places: readonly (typeof PLACES)[number][]): Profile[] {
  return places.map((place, i) => ({
    id: `p${String(i)}`,
    phone: `+1555010${String(i).padStart(4, '0')}`,
    zone: place.zone,
    age: 30,
    country: place.country,
    region: place.region,
    language: 'en',
    loyalty_tier: 'none',
    consent: { email: true, sms: true, push: false },
  }));
}

const smsAt = (iso: string): CampaignSpecInput => ({
  name: 'Flash sale',
  audience: { segment: 'all' },
  steps: [
    {
      id: 'text',
      platform: 'sms',
      action: 'sms',
      content: { text: 'Flash sale today' },
      timing: { kind: 'absolute', date: iso.slice(0, 10), time: iso.slice(11, 16), zone: 'UTC' },
    },
  ],
});

/**
 * Launches `spec`, lets the first process plan it and stop before its send time (a crash
 * between planning and sending), then resumes it in a new process at `resumeAt`.
 */
async function resumeOverdue(profiles: Profile[], spec: CampaignSpecInput, resumeAt: number) {
  const clock = new SimulatedClock(Date.parse('2026-11-30T00:00:00Z'), { autoAdvance: false });
  const sandbox = await startSandbox({ clock, platforms: ['twilio'] });
  const store = openSqliteStore(':memory:');
  const make = () =>
    new CampaignSystem({
      store,
      clock,
      connectors: createConnectorRegistry({
        env: SANDBOX_CREDENTIALS,
        sandbox: sandbox.urls,
        clock,
      }),
      audience: profileAudience(profiles, []),
    });
  try {
    const first = make();
    const id = await first.launch(spec, { id: 'flash' });
    while ((await store.listDeadlines(id)).every((d) => !d.key.includes('text'))) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await first.stop();
    clock.advanceTo(resumeAt);
    clock.autoAdvance = true;
    const second = make();
    await second.resumeAll();
    const report = await second.settled(id);
    await second.stop();
    return {
      report,
      deliveries: sandbox.deliveries('twilio'),
      events: await store.recentEvents(id, 100),
    };
  } finally {
    await sandbox.close();
    await store.close();
  }
}

describe('the law at the moment of sending', () => {
  it('defers an overdue SMS batch resumed at night in its recipients’ zone to their morning', async () => {
    const tokyo = people([PLACES[0], PLACES[0], PLACES[0]]);
    // Planned for 12:00 in Tokyo; the process died and is resumed at 23:30 Tokyo time.
    const { report, deliveries, events } = await resumeOverdue(
      tokyo,
      smsAt('2026-12-01T03:00'),
      Date.parse('2026-12-01T14:30:00Z'),
    );
    expect(report.status).toBe('completed');
    expect(report.steps[0]!.result).toMatchObject({ accepted: 3, suppressed: 0 });
    // 08:00 on Dec 2 in Tokyo, then one message a second (Twilio's pace).
    expect(deliveries).toHaveLength(3);
    expect(new Date(deliveries[0]!.at).toISOString()).toBe('2026-12-01T23:00:00.000Z');
    expect(deliveries.every((d) => d.at < Date.parse('2026-12-01T23:01:00Z'))).toBe(true);
    // Twilio sends one message per call: each batch records its deferral and why.
    expect(events.filter((e) => e.type === 'delivery.deferred').map((e) => e.summary)).toEqual(
      Array.from(
        { length: 3 },
        () =>
          '1 recipient(s) deferred at 2026-12-01T14:30:00.000Z to 2026-12-01T23:00:00.000Z: outside the sms sending window in Asia/Tokyo',
      ),
    );
  });

  it('never has an SMS accepted outside its recipient’s window, whenever the batch is sent', async () => {
    const place = fc.constantFrom(...PLACES);
    await fc.assert(
      fc.asyncProperty(
        fc.array(place, { minLength: 1, maxLength: 5 }),
        // Planned at any minute of a week; resumed up to two days late.
        fc.integer({ min: 0, max: 7 * 24 * 60 - 1 }),
        fc.integer({ min: 0, max: 48 * 60 }),
        async (places, plannedMinute, lateMinutes) => {
          const planned = Date.parse('2026-12-01T00:00:00Z') + plannedMinute * 60_000;
          const profiles = people(places);
          const { report, deliveries } = await resumeOverdue(
            profiles,
            smsAt(new Date(planned).toISOString()),
            planned + lateMinutes * 60_000,
          );
          expect(report.status).toBe('completed');
          expect(deliveries).toHaveLength(profiles.length);
          for (const delivery of deliveries) {
            const i = profiles.findIndex((p) => p.phone === delivery.recipient);
            const [open, close] = places[i]!.hours;
            const local = DateTime.fromMillis(delivery.at, { zone: places[i]!.zone });
            expect(local.hour, `${places[i]!.zone} ${local.toISO()!}`).toBeGreaterThanOrEqual(open);
            expect(local.hour, `${places[i]!.zone} ${local.toISO()!}`).toBeLessThan(close);
          }
        },
      ),
      { numRuns: 15, seed: 16 },
    );
  });

  it('is the default: without a gate, people the audience cannot describe are not texted', async () => {
    const store = openSqliteStore(':memory:');
    const platforms = new MemoryPlatforms();
    const strangers = staticAudience([{ id: 'x1', phone: '+15550100001', zone: 'UTC' }]);
    const run = async (id: string, gate?: typeof unsafeNoComplianceGate) => {
      const system = new CampaignSystem({
        store,
        clock: new SimulatedClock(Date.parse('2026-11-30T00:00:00Z')),
        connectors: platforms,
        audience: strangers,
        ...(gate ? { gate } : {}),
      });
      const report = await system.settled(await system.launch(smsAt('2026-12-01T12:00'), { id }));
      await system.stop();
      return report;
    };
    const safe = await run('safe');
    expect(safe.steps[0]!.result).toMatchObject({ accepted: 0, suppressed: 1 });
    expect((await store.recentEvents('safe', 20)).map((e) => e.summary)).toContain('no_profile: 1');
    expect(platforms.received).toEqual([]);
    // Only the explicitly named opt-out sends without checks.
    const unsafe = await run('unsafe', unsafeNoComplianceGate);
    expect(unsafe.steps[0]!.result).toMatchObject({ accepted: 1, suppressed: 0 });
    await store.close();
  });
});
