import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CampaignSystem } from '../../src/actors/campaign-system.js';
import { staticAudience } from '../../src/actors/audience-resolver.js';
import { unsafeNoComplianceGate } from '../../src/actors/delivery-gate.js';
import { ValidationError } from '../../src/errors.js';
import { SimulatedClock } from '../../src/schedule/clock.js';
import type { CampaignSpecInput } from '../../src/spec/campaign-schema.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { HeraldStore } from '../../src/store/herald-store.js';
import { MemoryPlatforms } from '../fixtures/memory-platform.js';

const START = Date.parse('2026-11-25T12:00:00Z');
const recipients = Array.from({ length: 250 }, (_, i) => ({
  id: `r${String(i)}`,
  email: `r${String(i)}@example.com`,
  zone: i % 2 === 0 ? 'America/New_York' : 'Europe/Berlin',
}));

const launchSpec: CampaignSpecInput = {
  name: 'Launch',
  audience: { segment: 'newsletter' },
  steps: [
    {
      id: 'blog',
      platform: 'wordpress',
      action: 'publish',
      content: { title: 'We launched' },
      timing: { kind: 'absolute', date: '2026-12-01', time: '08:00', zone: 'America/New_York' },
    },
    {
      id: 'tweet',
      platform: 'x',
      action: 'post',
      content: { text: 'Read it' },
      dependsOn: [{ step: 'blog', bind: { link: 'url' } }],
      timing: { kind: 'relative', after: 'blog', offset: 'PT1H' },
    },
    {
      id: 'newsletter',
      platform: 'email',
      action: 'email',
      content: { subject: 'Launch' },
      timing: { kind: 'recipient_local', date: '2026-12-02', time: '09:00' },
    },
  ],
};

let store: HeraldStore;
let system: CampaignSystem;

function boot(platforms: MemoryPlatforms, clock = new SimulatedClock(START)) {
  system = new CampaignSystem({
    store,
    clock,
    connectors: platforms,
    audience: staticAudience(recipients),
    gate: unsafeNoComplianceGate,
  });
  return { clock, system };
}

beforeEach(() => {
  store = openSqliteStore(':memory:');
});

afterEach(async () => {
  await system.stop();
  await store.close();
});

describe('CampaignSystem', () => {
  it('runs a week of steps in order on simulated time, passing the post URL along', async () => {
    const platforms = new MemoryPlatforms();
    const { clock } = boot(platforms);
    const id = await system.launch(launchSpec);
    const report = await system.settled(id);
    expect(report.status).toBe('completed');
    expect(platforms.received.map((r) => r.stepId)).toEqual([
      'blog',
      'tweet',
      'newsletter',
      'newsletter',
      'newsletter',
      'newsletter',
    ]);
    expect(platforms.received[1]!.content.link).toBe('https://wordpress.example/blog');
    const sent = platforms.received
      .filter((r) => r.stepId === 'newsletter')
      .flatMap((r) => r.recipients);
    expect(new Set(sent).size).toBe(250);
    expect(sent).toHaveLength(250);
    expect(clock.now()).toBe(Date.parse('2026-12-02T14:00:00Z'));
    expect(report.steps.find((s) => s.id === 'newsletter')!.result!.accepted).toBe(250);
  });

  it('rejects an invalid spec before anything is stored', async () => {
    boot(new MemoryPlatforms());
    const bad = {
      ...launchSpec,
      steps: [{ ...launchSpec.steps[1]!, timing: { kind: 'relative', after: 'nope' } }],
    } as CampaignSpecInput;
    await expect(system.launch(bad)).rejects.toBeInstanceOf(ValidationError);
    expect(await store.listCampaigns()).toEqual([]);
  });

  it('retries a transient failure and then completes', async () => {
    const platforms = new MemoryPlatforms();
    platforms.faults.push('transient', 'transient');
    boot(platforms);
    const id = await system.launch({ ...launchSpec, steps: [launchSpec.steps[0]!] });
    const report = await system.settled(id);
    expect(report.status).toBe('completed');
    expect(platforms.received).toHaveLength(1);
  });

  it('fails the campaign and skips nothing else when a step is refused under fail_campaign', async () => {
    const platforms = new MemoryPlatforms();
    platforms.faults.push('invalid_request');
    boot(platforms);
    const id = await system.launch(launchSpec);
    const report = await system.settled(id);
    expect(report.status).toBe('failed');
    expect(report.steps[0]!.error!.code).toBe('invalid_request');
    expect(platforms.received.filter((r) => r.stepId === 'tweet')).toEqual([]);
  });

  it('continues past a failed step and reports partial success under continue', async () => {
    const platforms = new MemoryPlatforms();
    platforms.faults.push('invalid_request');
    boot(platforms);
    const id = await system.launch({ ...launchSpec, onStepFailure: 'continue' });
    const report = await system.settled(id);
    expect(report.status).toBe('failed');
    expect(report.steps.map((s) => s.status)).toEqual(['failed', 'skipped', 'done']);
    expect(report.steps[1]!.skipReason).toContain('blog');
  });

  it('reconciles a call whose answer was lost instead of sending it again', async () => {
    const platforms = new MemoryPlatforms();
    platforms.faults.push('commit_then_drop');
    boot(platforms);
    const id = await system.launch({ ...launchSpec, steps: [launchSpec.steps[0]!] });
    const report = await system.settled(id);
    expect(report.status).toBe('completed');
    expect(platforms.received).toHaveLength(1);
  });

  it('reports an unknown outcome when the platform cannot tell, and never re-sends', async () => {
    const platforms = new MemoryPlatforms();
    platforms.faults.push('commit_then_drop');
    platforms.canReconcile = false;
    boot(platforms);
    const id = await system.launch({ ...launchSpec, steps: [launchSpec.steps[0]!] });
    const report = await system.settled(id);
    expect(report.status).toBe('completed');
    expect(report.unknownOutcomes).toHaveLength(1);
    expect(report.steps[0]!.result!.unknown).toBe(1);
    expect(platforms.received).toHaveLength(1);
  });

  it('sends nothing while paused and finishes after resume', async () => {
    const platforms = new MemoryPlatforms();
    const clock = new SimulatedClock(START, { autoAdvance: false });
    boot(platforms, clock);
    const id = await system.launch(launchSpec);
    await system.pause(id);
    clock.autoAdvance = true;
    clock.advanceBy(30 * 86_400_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(platforms.received).toEqual([]);
    expect((await system.report(id)).status).toBe('paused');
    await system.resume(id);
    const report = await system.settled(id);
    expect(report.status).toBe('completed');
    expect(platforms.received).toHaveLength(6);
  });

  it('resumes an unfinished campaign from the store in a new system without repeating sends', async () => {
    const platforms = new MemoryPlatforms();
    const clock = new SimulatedClock(START, { autoAdvance: false });
    boot(platforms, clock);
    const id = await system.launch(launchSpec);
    await new Promise((r) => setTimeout(r, 10));
    clock.advanceTo(Date.parse('2026-12-01T13:00:00Z'));
    await new Promise((r) => setTimeout(r, 20));
    expect(platforms.received.map((r) => r.stepId)).toEqual(['blog']);
    await system.stop();
    const restarted = new CampaignSystem({
      store,
      clock: new SimulatedClock(clock.now()),
      connectors: platforms,
      audience: staticAudience(recipients),
      gate: unsafeNoComplianceGate,
    });
    system = restarted;
    expect(await restarted.resumeAll()).toEqual([id]);
    const report = await restarted.settled(id);
    expect(report.status).toBe('completed');
    expect(platforms.received.map((r) => r.stepId).filter((s) => s === 'blog')).toHaveLength(1);
    expect(platforms.received).toHaveLength(6);
    const tree = await restarted.inspect(id);
    expect(tree.state).toBe('completed');
  });

  it('cancels: no step runs after cancelled', async () => {
    const platforms = new MemoryPlatforms();
    const clock = new SimulatedClock(START, { autoAdvance: false });
    boot(platforms, clock);
    const id = await system.launch(launchSpec);
    await system.cancel(id);
    clock.advanceBy(30 * 86_400_000);
    const report = await system.settled(id);
    expect(report.status).toBe('cancelled');
    expect(platforms.received).toEqual([]);
  });

  it('pauses one step while the others go on, and resumes it', async () => {
    const platforms = new MemoryPlatforms();
    const clock = new SimulatedClock(START, { autoAdvance: false });
    boot(platforms, clock);
    const id = await system.launch(launchSpec);
    await new Promise((r) => setTimeout(r, 10));
    await system.setStepPaused(id, 'newsletter', true);
    await expect(system.setStepPaused(id, 'nope', true)).rejects.toThrow('has no step "nope"');
    await expect(system.setStepPaused('other', 'blog', true)).rejects.toThrow('not running');
    clock.autoAdvance = true;
    clock.advanceBy(30 * 86_400_000);
    for (let waited = 0; platforms.received.length < 2 && waited < 2_000; waited += 10) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(platforms.received.map((r) => r.stepId)).toEqual(['blog', 'tweet']);
    await system.setStepPaused(id, 'newsletter', false);
    const report = await system.settled(id);
    expect(report.status).toBe('completed');
    expect(platforms.received).toHaveLength(6);
  });

  it('holds a post planned for the night until posting hours open in its zone', async () => {
    const platforms = new MemoryPlatforms();
    const clock = new SimulatedClock(START);
    boot(platforms, clock);
    const late: CampaignSpecInput = {
      name: 'Late post',
      steps: [
        {
          id: 'late',
          platform: 'x',
          action: 'post',
          content: { text: 'night owl' },
          timing: { kind: 'absolute', date: '2026-12-01', time: '23:30', zone: 'America/New_York' },
        },
      ],
    };
    const report = await system.settled(await system.launch(late));
    expect(report.status).toBe('completed');
    expect(new Date(report.steps[0]!.result!.finishedAt).toISOString()).toBe(
      '2026-12-02T12:00:00.000Z',
    );
  });

  it('refuses before launch a step its connector cannot perform, or a platform with no connector', async () => {
    const platforms = new MemoryPlatforms();
    system = new CampaignSystem({
      store,
      clock: new SimulatedClock(START),
      connectors: {
        get: (platform) => {
          if (platform === 'teams') throw new Error('no connector for teams');
          return { ...platforms.get(platform), capabilities: ['notify'] };
        },
      },
    });
    const error = await system
      .launch({
        name: 'x',
        steps: [
          { id: 'post', platform: 'x', action: 'post', content: { text: 'hi' } },
          { id: 'ping', platform: 'teams', action: 'notify', content: { text: 'hi' } },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['unsupported_action', 'steps.0.action'],
      ['no_connector', 'steps.1.platform'],
    ]);
    expect(await store.listCampaigns()).toEqual([]);
  });

  it('posts a report step as a notification with the report text', async () => {
    const platforms = new MemoryPlatforms();
    system = new CampaignSystem({
      store,
      clock: new SimulatedClock(START),
      connectors: platforms,
      reportText: (id, step) => Promise.resolve(`numbers for ${id}/${step.id}`),
    });
    const spec: CampaignSpecInput = {
      name: 'Weekly',
      steps: [{ id: 'weekly', platform: 'slack', action: 'report', content: { channel: '#m' } }],
    };
    const report = await system.settled(await system.launch(spec, { id: 'wk' }));
    expect(report.status).toBe('completed');
    expect(platforms.received[0]!.content.text).toBe('numbers for wk/weekly');
    const plain = new CampaignSystem({
      store,
      clock: new SimulatedClock(START),
      connectors: platforms,
    });
    await plain.settled(await plain.launch(spec, { id: 'wk2' }));
    await plain.stop();
    expect(platforms.received[1]!.content.text).toBe('Report on Weekly (step weekly)');
  });
});
