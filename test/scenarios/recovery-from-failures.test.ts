import { afterEach, describe, expect, it } from 'vitest';
import { CampaignSystem } from '../../src/actors/campaign-system.js';
import { scenarioWorld } from './scenario-harness.js';

let world: Awaited<ReturnType<typeof scenarioWorld>> | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('scenario 4: recovery from platform failures mid-campaign', () => {
  it('rides out a 429 storm, an outage, an expired token, a lost answer and a crash of Herald, sending everything exactly once', async () => {
    world = await scenarioWorld();
    const { spec } = await world.read('product-launch.txt');
    const { sandbox } = world;
    sandbox.inject('wordpress', { kind: '5xx', status: 503, times: 2 });
    sandbox.inject('linkedin', { kind: 'expiredToken' });
    sandbox.inject('x', { kind: 'dropAfterCommit' });
    sandbox.inject('sendgrid', { kind: '429', retryAfterSeconds: 30, times: 4 });

    // Herald "crashes" once the blog post is live: its actors stop where they are, and a new
    // process (a new CampaignSystem on the same store) takes over.
    const first = world.system;
    const blogDone = new Promise<void>((resolve) => {
      first.events.subscribe((event) => {
        if (
          event.type === 'step.state' &&
          event.stepId === 'wordpress-publish' &&
          event.state === 'done'
        )
          resolve();
      });
    });
    const id = await first.launch(spec, { id: 'recovery' });
    await blogDone;
    await first.stop();
    const second = new CampaignSystem({
      store: world.store,
      clock: world.clock,
      connectors: world.connectors,
      audience: world.audience,
      gate: world.gate,
    });
    world.system = second;
    expect(await second.resumeAll()).toEqual([id]);
    const report = await second.settled(id);

    expect(report.status).toBe('completed');
    expect(report.unknownOutcomes).toEqual([]);
    const posts = (platform: 'wordpress' | 'linkedin' | 'x') =>
      sandbox
        .received(platform)
        .filter((r) => r.method === 'POST' && (r.status ?? 500) < 300 && !r.path.includes('oauth'));
    expect(posts('wordpress')).toHaveLength(1);
    expect(posts('linkedin')).toHaveLength(1);
    expect(posts('x')).toHaveLength(1);
    const deliveries = sandbox.deliveries('sendgrid').map((d) => d.recipient);
    expect(new Set(deliveries).size).toBe(deliveries.length);
    expect(deliveries).toHaveLength(world.profiles.filter((p) => p.consent.email).length);
    const throttled = sandbox.received('sendgrid').filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    const after = sandbox
      .received('sendgrid')
      .find((r) => r.at > throttled[0]!.at && (r.status ?? 500) < 300)!;
    expect(after.at - throttled[0]!.at).toBeGreaterThanOrEqual(30_000);
  });
});
