import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { scenarioWorld } from './scenario-harness.js';

let world: Awaited<ReturnType<typeof scenarioWorld>> | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('scenario 1: a multi-channel launch with coordinated timing across regions', () => {
  it('publishes the blog post first, shares its URL an hour later, and emails everyone at 9:00 their time', async () => {
    world = await scenarioWorld();
    const { spec, notes } = await world.read('product-launch.txt');
    expect(spec.steps.map((s) => `${s.platform}:${s.action}`)).toEqual([
      'wordpress:publish',
      'linkedin:post',
      'x:post',
      'email:email',
    ]);
    expect(notes.map((n) => n.code)).toContain('content_placeholder');

    const report = await world.system.settled(await world.system.launch(spec, { id: 'launch' }));
    expect(report.status).toBe('completed');

    const blog = world.sandbox.received('wordpress').find((r) => r.method === 'POST')!;
    const linkedin = world.sandbox.received('linkedin').find((r) => r.method === 'POST')!;
    const x = world.sandbox.received('x').find((r) => r.method === 'POST')!;
    expect(new Date(blog.at).toISOString()).toBe('2026-12-01T13:00:00.000Z');
    expect(linkedin.at - blog.at).toBe(3_600_000);
    expect(x.at - blog.at).toBe(3_600_000);
    const blogUrl = report.steps[0]!.result!.outputs.url!;
    expect(JSON.stringify(linkedin.body)).toContain(blogUrl);
    expect(JSON.stringify(x.body)).toContain(blogUrl);

    const byId = new Map(world.profiles.map((p) => [p.email, p]));
    const deliveries = world.sandbox.deliveries('sendgrid');
    const consenting = world.profiles.filter((p) => p.consent.email);
    expect(deliveries).toHaveLength(consenting.length);
    expect(new Set(deliveries.map((d) => d.recipient)).size).toBe(consenting.length);
    for (const delivery of deliveries) {
      const zone = byId.get(delivery.recipient)!.zone!;
      const local = DateTime.fromMillis(delivery.at, { zone });
      expect(local.toFormat('yyyy-MM-dd HH:mm'), `${delivery.recipient} in ${zone}`).toBe(
        '2026-12-02 09:00',
      );
    }
  });
});
