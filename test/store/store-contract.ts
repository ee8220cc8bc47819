/**
 * The behaviour every `HeraldStore` shares, run against each implementation: what the runtime
 * relies on (first frozen audience wins, an intent is recorded once, settle/reopen, commands
 * taken once and in order, events trimmed to the most recent).
 */
import { describe, expect, it } from 'vitest';
import type { CampaignSpec } from '../../src/spec/campaign-schema.js';
import { CampaignSpec as CampaignSpecSchema } from '../../src/spec/campaign-schema.js';
import type { HeraldStore } from '../../src/store/herald-store.js';

const spec: CampaignSpec = CampaignSpecSchema.parse({
  name: 'Contract',
  audience: { segment: 'all' },
  steps: [
    {
      id: 'welcome',
      platform: 'email',
      action: 'email',
      content: { subject: 'Hi', html: '<p>hi</p>' },
    },
  ],
});

/** Registers the contract suite for one store; `open` gives a fresh, empty store. */
export function storeContract(name: string, open: () => Promise<HeraldStore | undefined>): void {
  describe(`HeraldStore contract: ${name}`, () => {
    const withStore = (test: (store: HeraldStore) => Promise<void>) => async () => {
      const store = await open();
      if (!store) return;
      try {
        await test(store);
      } finally {
        await store.close();
      }
    };

    it(
      'stores campaigns and their status when saved, listed and updated',
      withStore(async (store) => {
        await store.saveCampaign({ id: 'b', spec, status: 'draft', createdAt: 2, updatedAt: 2 });
        await store.saveCampaign({ id: 'a', spec, status: 'draft', createdAt: 1, updatedAt: 1 });
        await store.setStatus('a', 'running', 5);
        expect(await store.getCampaign('a')).toEqual({
          id: 'a',
          spec,
          status: 'running',
          createdAt: 1,
          updatedAt: 5,
        });
        expect((await store.listCampaigns()).map((c) => c.id)).toEqual(['a', 'b']);
        expect(await store.getCampaign('missing')).toBeUndefined();
      }),
    );

    it(
      'round-trips snapshot envelopes exactly when saved twice',
      withStore(async (store) => {
        const envelope = {
          format: 1 as const,
          machineVersion: 'campaign-1',
          input: { z: 1, a: [1, 2] },
          snapshot: { value: 'running', context: { b: 'x', a: null } },
          savedAt: 10,
        };
        await store.saveSnapshot('a', envelope);
        await store.saveSnapshot('a', { ...envelope, savedAt: 11 });
        expect(JSON.stringify(await store.loadSnapshot('a'))).toBe(
          JSON.stringify({ ...envelope, savedAt: 11 }),
        );
        expect(await store.loadSnapshot('missing')).toBeUndefined();
      }),
    );

    it(
      'keeps one deadline per key in time order when put, moved and removed',
      withStore(async (store) => {
        await store.putDeadline({ campaignId: 'a', key: 'k2', at: 30, description: 'two' });
        await store.putDeadline({ campaignId: 'a', key: 'k1', at: 50, description: 'one' });
        await store.putDeadline({ campaignId: 'a', key: 'k1', at: 20, description: 'one, moved' });
        await store.putDeadline({ campaignId: 'b', key: 'k1', at: 40, description: 'b' });
        expect((await store.listDeadlines('a')).map((d) => [d.key, d.at])).toEqual([
          ['k1', 20],
          ['k2', 30],
        ]);
        expect((await store.listDeadlines()).map((d) => d.campaignId)).toEqual(['a', 'a', 'b']);
        await store.removeDeadline('a', 'k1');
        expect((await store.listDeadlines('a')).map((d) => d.key)).toEqual(['k2']);
      }),
    );

    it(
      'returns the first frozen audience when a step freezes again',
      withStore(async (store) => {
        const first = [{ id: 'r1', zone: 'Europe/Paris' }, { id: 'r2' }];
        expect(await store.freezeAudience('a', 's', first)).toEqual(first);
        expect(await store.freezeAudience('a', 's', [{ id: 'r3' }])).toEqual(first);
        expect(await store.freezeAudience('a', 't', [{ id: 'r3' }])).toEqual([{ id: 'r3' }]);
      }),
    );

    it(
      'records an intent once and settles, fails and reopens it',
      withStore(async (store) => {
        const intent = {
          key: 'k',
          campaignId: 'a',
          stepId: 's',
          platform: 'sendgrid',
          action: 'email',
          recipientIds: ['r1', 'r2'],
          intentAt: 1,
        };
        expect(await store.recordIntent(intent)).toBeUndefined();
        expect(await store.recordIntent({ ...intent, intentAt: 2 })).toEqual({
          ...intent,
          status: 'intent',
        });
        await store.settle('k', { status: 'failed', error: { code: 'x', message: 'no' }, at: 3 });
        expect(await store.getEntry('k')).toMatchObject({ status: 'failed', settledAt: 3 });
        await store.reopen('k', 4);
        expect(await store.getEntry('k')).toEqual({ ...intent, status: 'intent', intentAt: 4 });
        await store.settle('k', { status: 'done', result: { accepted: 2, outputs: {} }, at: 5 });
        expect(await store.journal('a', 's')).toEqual([
          {
            ...intent,
            status: 'done',
            intentAt: 4,
            settledAt: 5,
            result: { accepted: 2, outputs: {} },
          },
        ]);
        expect(await store.journal('a', 'other')).toEqual([]);
        expect(await store.getEntry('missing')).toBeUndefined();
      }),
    );

    it(
      "hands each command out once, each campaign's oldest first, when taken",
      withStore(async (store) => {
        await store.pushCommand('a', 'pause', 1);
        await store.pushCommand('b', 'cancel', 2);
        await store.pushCommand('a', 'resume', 3);
        const taken = await store.takeCommands(['a', 'b']);
        expect(taken.filter((c) => c.campaignId === 'a').map((c) => c.command)).toEqual([
          'pause',
          'resume',
        ]);
        expect(taken.filter((c) => c.campaignId === 'b').map((c) => c.command)).toEqual(['cancel']);
        expect(await store.takeCommands(['a', 'b'])).toEqual([]);
        expect(await store.takeCommands([])).toEqual([]);
      }),
    );

    it(
      'keeps the latest heartbeat and the most recent events when written repeatedly',
      withStore(async (store) => {
        await store.heartbeat(['a', 'b'], 10);
        await store.heartbeat(['a'], 20);
        expect(await store.lastHeartbeat('a')).toBe(20);
        expect(await store.lastHeartbeat('b')).toBe(10);
        expect(await store.lastHeartbeat('c')).toBeUndefined();
        for (let i = 0; i < 620; i++) {
          await store.appendEvent({
            campaignId: 'a',
            at: i,
            actor: 'campaign',
            type: 't',
            summary: String(i),
          });
        }
        const recent = await store.recentEvents('a', 3);
        expect(recent.map((e) => e.summary)).toEqual(['617', '618', '619']);
        expect((await store.recentEvents('a', 1000)).length).toBeLessThanOrEqual(620);
        expect((await store.recentEvents('a', 1000)).length).toBeGreaterThanOrEqual(500);
      }),
    );
  });
}
