import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  ActionRequest,
  Connector,
  ConnectorRegistry,
} from '../../src/connectors/connector.js';
import { createCampaignRuleEffects } from '../../src/metrics/campaign-rule-effects.js';
import { campaignTargets } from '../../src/metrics/campaign-targets.js';
import type { CollectionEvent } from '../../src/metrics/metrics-collector.js';
import { openMetricsDatabase, type MetricsDatabase } from '../../src/metrics/metrics-database.js';
import { RuleEngine } from '../../src/metrics/rule-engine.js';
import { startRuleEngine } from '../../src/metrics/rule-runner.js';
import { SimulatedClock } from '../../src/schedule/clock.js';
import { rec, recordingEffects, specWith } from './rule-fixtures.js';

let database: MetricsDatabase | undefined;
afterEach(() => database?.close());

function harness(outcome: 'done' | 'unknown' = 'done') {
  const calls: ActionRequest[] = [];
  const paused: [string, string, boolean][] = [];
  const connector = { platform: 'google_ads' } as Connector;
  const connectors: ConnectorRegistry = { get: () => connector };
  const effects = createCampaignRuleEffects({
    system: {
      setStepPaused: (id, step, p) => {
        paused.push([id, step, p]);
        return Promise.resolve();
      },
    },
    connectors,
    caller: {
      call: (_connector, request) => {
        calls.push(request);
        return Promise.resolve(
          outcome === 'done'
            ? {
                status: 'done',
                result: { outputs: {}, accepted: request.recipients.length },
                replayed: false,
              }
            : { status: 'unknown', reason: 'lost answer' },
        );
      },
    },
    specOf: () => specWith([]),
    recipientsOf: (_c, _s, who) =>
      Promise.resolve(who === 'non_openers' ? [{ id: 'r1', email: 'r1@x.test' }] : []),
  });
  return { effects, calls, paused };
}

describe('createCampaignRuleEffects', () => {
  it('pauses through the system and makes budget changes, resends and notifications journaled calls', async () => {
    const { effects, calls, paused } = harness();
    await effects.setStepPaused('c1', 'ad-a', true);
    expect(paused).toEqual([['c1', 'ad-a', true]]);
    expect(
      await effects.changeBudget({
        campaignId: 'c1',
        stepId: 'ad-a',
        amount: 120,
        period: 'daily',
        idempotencyKey: 'k1',
      }),
    ).toEqual({ status: 'done' });
    expect(calls[0]).toMatchObject({
      action: 'budget_change',
      platform: 'google_ads',
      budget: { amount: 120, period: 'daily' },
      currency: 'USD',
      idempotencyKey: 'k1',
    });
    await effects.resend({
      campaignId: 'c1',
      stepId: 'mail',
      to: 'non_openers',
      subject: 'Again',
      idempotencyKey: 'k2',
    });
    expect(calls[1]).toMatchObject({
      action: 'email',
      content: { subject: 'Again' },
      recipients: [{ id: 'r1' }],
    });
    expect(
      await effects.resend({
        campaignId: 'c1',
        stepId: 'mail',
        to: 'non_clickers',
        idempotencyKey: 'k3',
      }),
    ).toEqual({
      status: 'done',
      detail: 'no non-clickers known: nothing sent',
    });
    await effects.notify({
      campaignId: 'c1',
      platform: 'slack',
      message: 'hi',
      idempotencyKey: 'k4',
    });
    expect(calls[2]).toMatchObject({
      action: 'notify',
      platform: 'slack',
      stepId: 'rules',
      content: { text: 'hi' },
    });
    await expect(
      effects.changeBudget({
        campaignId: 'c1',
        stepId: 'ghost',
        amount: 1,
        period: 'daily',
        idempotencyKey: 'k5',
      }),
    ).rejects.toThrow('has no step "ghost"');
  });

  it('reports an outcome the platform could not confirm as unknown', async () => {
    const { effects } = harness('unknown');
    expect(
      await effects.notify({
        campaignId: 'c1',
        platform: 'slack',
        message: 'hi',
        idempotencyKey: 'k',
      }),
    ).toEqual({ status: 'unknown', detail: 'lost answer' });
  });
});

describe('startRuleEngine', () => {
  it('evaluates a campaign each time its metrics are stored, and stops', async () => {
    database = openMetricsDatabase(':memory:');
    const clock = new SimulatedClock(Date.parse('2026-03-03T00:00:00Z'), { autoAdvance: false });
    const effects = recordingEffects();
    const spec = specWith([
      {
        id: 'cpc-cap',
        metric: 'cpc',
        step: 'ad-b',
        op: 'gt',
        threshold: 2,
        window: 'PT0S',
        then: { type: 'pause', step: 'ad-b' },
      },
    ]);
    const engine = new RuleEngine({ database, effects, clock });
    const metrics = new Subject<CollectionEvent>();
    const errors: unknown[] = [];
    const loop = startRuleEngine(
      engine,
      metrics,
      (id) => (id === 'c1' ? spec : Promise.reject(new Error(`no ${id}`))),
      (e) => errors.push(e),
    );
    const seen: string[] = [];
    loop.evaluations.subscribe((e) => seen.push(`${e.campaignId}:${e.ruleId}:${e.status}`));
    database.upsert([rec('ad-b', '2026-03-01', { spend: 300, clicks: 100 })]);
    const stored = {
      type: 'metrics.stored',
      target: {
        campaignId: 'c1',
        stepId: 'ad-b',
        platform: 'google_ads',
        currency: 'USD',
        zone: 'UTC',
        from: '2026-03-01',
        to: '2026-03-02',
      },
      platform: 'google_ads',
      range: { from: '2026-03-01', to: '2026-03-02' },
      rows: 1,
      changed: 1,
      rejected: [],
      days: ['2026-03-01'],
      attempts: 1,
    } as const;
    metrics.next(stored);
    metrics.next(stored);
    loop.evaluate('other');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual(['c1:cpc-cap:fired', 'c1:cpc-cap:already_fired']);
    expect(errors.map(String)).toEqual(['Error: no other']);
    const done = new Promise<void>((resolve) => {
      loop.evaluations.subscribe({ complete: resolve });
    });
    loop.stop();
    await done;
  });
});

describe('campaignTargets', () => {
  it('lists the steps on platforms with metrics, with their entities', () => {
    const spec = specWith([]);
    const withNotify = {
      ...spec,
      steps: [...spec.steps, { ...spec.steps[0]!, id: 'ping', platform: 'slack' as const }],
    };
    const targets = campaignTargets(
      'c1',
      withNotify,
      { from: '2026-03-01', to: '2026-03-07' },
      (step) => (step === 'ad-a' ? '111' : step === 'ad-b' ? ['112', '113'] : undefined),
    );
    expect(targets.map((t) => [t.stepId, t.platform, t.entities])).toEqual([
      ['mail', 'sendgrid', undefined],
      ['ad-a', 'google_ads', ['111']],
      ['ad-b', 'google_ads', ['112', '113']],
    ]);
    expect(targets[0]).toMatchObject({
      currency: 'USD',
      zone: 'UTC',
      from: '2026-03-01',
      to: '2026-03-07',
    });
  });
});
