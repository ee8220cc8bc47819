import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CampaignSpec } from '../../src/spec/campaign-schema.js';
import { thisProcess, type LeaseHolder, type SqliteLease } from '../../src/store/sqlite-leases.js';
import { openSqliteStore, type SqliteHeraldStore } from '../../src/store/sqlite-store.js';

const spec = CampaignSpec.parse({
  name: 'Leased',
  steps: [{ id: 'ping', platform: 'slack', action: 'notify', content: { text: 'hi' } }],
});

/** A holder whose process has already exited on this host. */
function goneProcess(): LeaseHolder {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return { owner: 'gone', host: hostname(), pid: child.pid };
}

let store: SqliteHeraldStore;
beforeEach(async () => {
  store = openSqliteStore(':memory:');
  await store.saveCampaign({ id: 'c', spec, status: 'running', createdAt: 1, updatedAt: 1 });
});
afterEach(async () => {
  await store.close();
});

function take(holder: LeaseHolder, ttlMs = 60_000): SqliteLease {
  const claim = store.leases.acquire('c', holder, ttlMs);
  if (!('lease' in claim)) throw new Error(`held by ${claim.heldBy.owner}`);
  return claim.lease;
}

describe('SQLite campaign leases', () => {
  it('lets one live process hold a campaign; a second is told who holds it', () => {
    const first = take(thisProcess());
    const second = store.leases.acquire('c', thisProcess(), 60_000);
    expect(second).toMatchObject({ heldBy: { owner: first.owner, pid: process.pid } });
  });

  it('takes over at once, with a higher fencing token, from a process that is gone', () => {
    const dead = take(goneProcess());
    expect(store.leases.of('c')?.orphaned).toBe(true);
    const next = take(thisProcess());
    expect(next.fencingToken).toBe(dead.fencingToken + 1);
  });

  it('takes over a lapsed lease, and its former holder can no longer renew it', async () => {
    const frozen = take(thisProcess(), 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const next = take(thisProcess());
    expect(next.fencingToken).toBe(frozen.fencingToken + 1);
    expect(store.leases.renew(frozen, 60_000)).toBe(false);
    expect(store.leases.renew(next, 60_000)).toBe(true);
  });

  it('fences every journal write: a superseded runner can neither journal, settle nor freeze', async () => {
    let lost = 0;
    const frozen = take(thisProcess(), 1);
    const view = store.fenced(frozen, { ttlMs: 60_000, onLost: () => lost++ });
    const intent = {
      key: 'k1',
      campaignId: 'c',
      stepId: 'ping',
      platform: 'slack',
      action: 'notify',
      recipientIds: ['r1'],
      intentAt: 1,
    };
    await view.recordIntent(intent);
    await new Promise((resolve) => setTimeout(resolve, 5));
    take(thisProcess());
    await expect(view.settle('k1', { status: 'done', at: 2 })).rejects.toMatchObject({
      code: 'lease_lost',
    });
    await expect(view.recordIntent({ ...intent, key: 'k2' })).rejects.toMatchObject({
      code: 'lease_lost',
    });
    await expect(view.freezeAudience('c', 'ping', [{ id: 'r1' }])).rejects.toMatchObject({
      code: 'lease_lost',
    });
    await view.setStatus('c', 'failed', 3);
    expect(lost).toBe(1);
    expect((await store.getEntry('k1'))?.status).toBe('intent');
    expect(await store.getEntry('k2')).toBeUndefined();
    expect((await store.getCampaign('c'))?.status).toBe('running');
  });

  it('renews the lease with the runner heartbeat, and reports its loss there', async () => {
    let lost = 0;
    const lease = take(thisProcess(), 1);
    const view = store.fenced(lease, { ttlMs: 60_000, onLost: () => lost++ });
    await view.heartbeat(['c'], Date.now());
    expect(store.leases.of('c')?.orphaned).toBe(false);
    store.leases.release(lease);
    take(thisProcess());
    await view.heartbeat(['c'], Date.now());
    expect(lost).toBe(1);
  });
});
