import { afterEach, describe, expect, it } from 'vitest';
import { resolveIdentities, type SourceRecord } from '../../src/segments/identity-resolution.js';
import type { Profile } from '../../src/segments/profile-model.js';
import { SCENARIO_NOW, scenarioWorld } from './scenario-harness.js';

let world: Awaited<ReturnType<typeof scenarioWorld>> | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** 200 people as three systems know them: the CRM, the shop (same emails, other case) and the app (phones). */
function sourceRecords(): SourceRecord[] {
  const records: SourceRecord[] = [];
  for (let i = 0; i < 200; i++) {
    const email = `person${String(i)}@example.com`;
    const phone = `+1415555${String(1000 + i)}`;
    records.push({
      source: 'crm',
      recordId: `c${String(i)}`,
      updatedAt: SCENARIO_NOW,
      crmId: `crm-${String(i)}`,
      emails: [email],
    });
    records.push({
      source: 'shop',
      recordId: `s${String(i)}`,
      updatedAt: SCENARIO_NOW,
      emails: [email.toUpperCase()],
      phones: [phone],
    });
    if (i % 2 === 0)
      records.push({
        source: 'app',
        recordId: `a${String(i)}`,
        updatedAt: SCENARIO_NOW,
        phones: [phone],
        deviceIds: [`dev-${String(i)}`],
      });
  }
  return records;
}

describe('scenario 5: cross-platform targeting with consistent messaging', () => {
  it('reaches one audience, resolved across identities, by email and by hashed matching on Meta and Google', async () => {
    const { persons, conflicts } = resolveIdentities(sourceRecords());
    expect(persons).toHaveLength(200);
    expect(conflicts).toEqual([]);
    const profiles: Profile[] = persons.map((person, i) => ({
      id: person.id,
      email: person.identifiers.find((x) => x.startsWith('email:'))!.slice('email:'.length),
      phone: person.identifiers.find((x) => x.startsWith('phone:'))!.slice('phone:'.length),
      zone: 'America/Los_Angeles',
      age: 30,
      country: 'US',
      region: 'US-CA',
      language: 'en',
      loyalty_tier: i % 4 === 0 ? 'none' : i % 2 === 0 ? 'gold' : 'platinum',
      consent: { email: true, sms: false, push: false },
    }));
    world = await scenarioWorld({ profiles: { profiles, events: [] } });
    const { spec } = await world.read('cross-channel-audience.txt');
    expect(spec.steps.map((s) => `${s.platform}:${s.action}`)).toEqual([
      'meta_ads:audience_sync',
      'google_ads:audience_sync',
      'email:email',
    ]);
    // Which custom audience and user list to fill is account configuration, not campaign text.
    const configured = {
      ...spec,
      steps: spec.steps.map((step) =>
        step.platform === 'meta_ads'
          ? { ...step, options: { audienceId: '23850000000000001' } }
          : step.platform === 'google_ads'
            ? { ...step, options: { userListId: '4242' } }
            : step,
      ),
    };
    const report = await world.system.settled(
      await world.system.launch(configured, { id: 'loyal' }),
    );
    expect(report.status).toBe('completed');

    const loyal = profiles.filter((p) => p.loyalty_tier !== 'none');
    const emailed = world.sandbox.deliveries('sendgrid').map((d) => d.recipient);
    expect(new Set(emailed)).toEqual(new Set(loyal.map((p) => p.email)));
    expect(emailed).toHaveLength(loyal.length);

    for (const platform of ['meta_ads', 'google_ads'] as const) {
      const uploads = world.sandbox.received(platform).filter((r) => r.method === 'POST');
      expect(uploads.length, `${platform} received uploads`).toBeGreaterThan(0);
      const body = JSON.stringify(world.sandbox.received(platform).map((r) => r.body));
      expect(body).not.toMatch(/@example\.com/i);
      expect(body).not.toContain('+1415555');
      expect(body.match(/[0-9a-f]{64}/g)!.length).toBeGreaterThanOrEqual(loyal.length);
    }
    expect(
      report.steps.filter((s) => s.id !== 'email-email').map((s) => s.result!.accepted),
    ).toEqual([loyal.length, loyal.length]);
  });
});
