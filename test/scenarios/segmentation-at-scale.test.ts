import { afterEach, describe, expect, it } from 'vitest';
import { generateAudience } from '../../bench/generate-audience.js';
import { audienceRule } from '../../src/segments/audience-rule.js';
import type { Profile, ProfileEvent } from '../../src/segments/profile-model.js';
import { evaluateReference } from '../../src/segments/reference-evaluator.js';
import { SCENARIO_NOW, scenarioWorld } from './scenario-harness.js';

const PROFILES = 1_000_000;

let world: Awaited<ReturnType<typeof scenarioWorld>> | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('scenario 2: segmentation on demographic and behavioural criteria over 1,000,000 profiles', () => {
  it('sends the VIP preview to exactly the people the rules describe, each once, at 10:00 their time', async () => {
    const profiles: Profile[] = [];
    const events: ProfileEvent[] = [];
    const zones = [
      'America/New_York',
      'Europe/London',
      'Europe/Berlin',
      'America/Toronto',
      'Europe/Paris',
    ];
    generateAudience(
      { profiles: PROFILES, eventsPerProfile: 3, now: SCENARIO_NOW, seed: 7 },
      (p) => profiles.push({ ...p, zone: zones[profiles.length % zones.length]! }),
      (e) => events.push(e),
    );
    world = await scenarioWorld({ profiles: { profiles, events } });
    const { spec } = await world.read('vip-segment.txt');
    const rule = audienceRule(spec.audience!);
    expect(JSON.stringify(rule)).toContain('"field":"age"');
    expect(JSON.stringify(rule)).toContain('"event":"purchase"');

    // The same rules, evaluated the obvious way over plain objects, are the ground truth.
    const expected = evaluateReference(
      rule,
      { profiles, events },
      { now: SCENARIO_NOW, segments: {} },
    );
    const consenting = new Set(
      profiles.filter((p) => p.consent.email && p.email !== undefined).map((p) => p.id),
    );
    const reachable = expected.filter((id) => consenting.has(id));
    expect(reachable.length).toBeGreaterThan(100);

    const report = await world.system.settled(await world.system.launch(spec, { id: 'vip' }));
    expect(report.status).toBe('completed');
    const ids = new Map(profiles.map((p) => [p.email, p.id]));
    const received = world.sandbox.deliveries('sendgrid').map((d) => ids.get(d.recipient)!);
    expect(new Set(received).size).toBe(received.length);
    expect([...received].sort()).toEqual([...reachable].sort());
    const localHours = new Set(
      world.sandbox.deliveries('sendgrid').map((d) => new Date(d.at).toISOString().slice(0, 13)),
    );
    expect(localHours.size).toBeGreaterThanOrEqual(2);
  }, 240_000);
});
