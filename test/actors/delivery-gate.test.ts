import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staticAudience } from '../../src/actors/audience-resolver.js';
import { CampaignSystem } from '../../src/actors/campaign-system.js';
import { complianceGate } from '../../src/actors/compliance-gate.js';
import { SuppressionList } from '../../src/compliance/suppression-list.js';
import type { Recipient } from '../../src/connectors/connector.js';
import { SimulatedClock } from '../../src/schedule/clock.js';
import type { Profile } from '../../src/segments/profile-model.js';
import type { CampaignSpecInput } from '../../src/spec/campaign-schema.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { HeraldStore } from '../../src/store/herald-store.js';
import { MemoryPlatforms } from '../fixtures/memory-platform.js';

const profile = (
  id: string,
  zone: string,
  country: string,
  region: string,
  sms: boolean,
): Profile => ({
  id,
  phone: `+1555000${id.slice(1)}`,
  zone,
  age: 30,
  country,
  region,
  language: 'en',
  loyalty_tier: 'none',
  consent: { email: true, sms, push: false },
});

const profiles = [
  profile('p1', 'America/New_York', 'US', 'US-NY', true),
  profile('p2', 'America/New_York', 'US', 'US-NY', false),
  profile('p3', 'Europe/Berlin', 'DE', 'DE-BE', true),
];
const recipients: Recipient[] = profiles.map((p) => ({ id: p.id, phone: p.phone!, zone: p.zone! }));

const smsAt = (time: string): CampaignSpecInput => ({
  name: 'SMS',
  audience: { segment: 'all' },
  steps: [
    {
      id: 'text',
      platform: 'sms',
      action: 'sms',
      content: { text: 'Sale ends tonight' },
      timing: { kind: 'absolute', date: '2026-12-01', time, zone: 'America/New_York' },
    },
  ],
});

let store: HeraldStore;
let system: CampaignSystem;
beforeEach(() => {
  store = openSqliteStore(':memory:');
});

afterEach(async () => {
  await system.stop();
  await store.close();
});

describe('delivery gate in the runtime', () => {
  it('suppresses people without consent and defers the ones whose local window is closed', async () => {
    const platforms = new MemoryPlatforms();
    system = new CampaignSystem({
      store,
      clock: new SimulatedClock(Date.parse('2026-11-25T12:00:00Z')),
      connectors: platforms,
      audience: staticAudience(recipients),
      gate: complianceGate(profiles),
    });
    // 16:00 in New York is 22:00 in Berlin: after the 21:00 SMS window there.
    const report = await system.settled(await system.launch(smsAt('16:00')));
    expect(report.steps[0]!.result).toMatchObject({ accepted: 2, suppressed: 1 });
    expect(platforms.received.map((r) => r.recipients)).toEqual([['p1'], ['p3']]);
    const events = await store.recentEvents(report.campaignId, 50);
    expect(events.find((e) => e.type === 'delivery.suppressed')!.summary).toContain('consent');
    const journal = await store.journal(report.campaignId);
    expect(journal.map((e) => new Date(e.settledAt!).toISOString())).toEqual([
      '2026-12-01T21:00:00.000Z',
      '2026-12-02T07:00:00.000Z',
    ]);
  });

  it('drops a person who unsubscribed before the send', async () => {
    const platforms = new MemoryPlatforms();
    const suppressions = new SuppressionList();
    const clock = new SimulatedClock(Date.parse('2026-11-25T12:00:00Z'));
    const make = () =>
      new CampaignSystem({
        store,
        clock,
        connectors: platforms,
        audience: staticAudience(recipients),
        gate: complianceGate(profiles, { suppressions }),
      });
    system = make();
    suppressions.suppress({
      personId: 'p1',
      scope: 'all',
      reason: 'unsubscribe',
      at: new Date(clock.now()).toISOString(),
    });
    const id = await system.launch(smsAt('10:00'));
    const report = await system.settled(id);
    expect(platforms.received.flatMap((r) => r.recipients)).toEqual(['p3']);
    expect(report.steps[0]!.result!.suppressed).toBe(2);
  });
});
