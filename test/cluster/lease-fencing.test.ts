import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fencedStore } from '../../src/cluster/fenced-store.js';
import { isLeaseLost } from '../../src/store/fenced-view.js';
import {
  acquireLease,
  holdsLease,
  listLeases,
  markDispatch,
  releaseLease,
  renewLease,
  wasDispatched,
} from '../../src/store/postgres-leases.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres-store.js';
import { serviceUrl } from '../services.js';
import { dropSchema, uniqueSchema } from '../store/pg-test-schema.js';

const url = await serviceUrl('postgres');
const schema = uniqueSchema('lease');
let store: PostgresStore;

beforeAll(async () => {
  if (url) store = await openPostgresStore(url, { schema });
});
afterAll(async () => {
  if (!url) return;
  await store.close();
  await dropSchema(url, schema);
});

const intent = (key: string) => ({
  key,
  campaignId: 'c',
  stepId: 's',
  platform: 'sendgrid',
  action: 'email',
  recipientIds: ['r1'],
  intentAt: 1,
});

describe.runIf(url)('campaign leases', () => {
  it('grants a campaign to one of many workers when they race for it', async () => {
    const grants = await Promise.all(
      Array.from({ length: 8 }, (_, i) => acquireLease(store, 'race', `w${String(i)}`, 10_000)),
    );
    const won = grants.filter((g) => g !== undefined);
    expect(won).toHaveLength(1);
    expect(won[0]!.fencingToken).toBe(1);
    expect(await acquireLease(store, 'race', won[0]!.owner, 10_000)).toEqual(won[0]);
  });

  it('hands an expired lease to another worker with a higher fencing token', async () => {
    const first = (await acquireLease(store, 'takeover', 'a', 50))!;
    expect(await acquireLease(store, 'takeover', 'b', 10_000)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 80));
    const second = (await acquireLease(store, 'takeover', 'b', 10_000))!;
    expect(second.fencingToken).toBe(first.fencingToken + 1);
    expect(await renewLease(store, first, 10_000)).toBe(false);
    expect(await holdsLease(store, first)).toBe(false);
    expect(await holdsLease(store, second)).toBe(true);
    await releaseLease(store, second);
    const third = (await acquireLease(store, 'takeover', 'a', 10_000))!;
    expect(third.fencingToken).toBe(second.fencingToken + 1);
    expect((await listLeases(store)).find((l) => l.campaignId === 'takeover')).toMatchObject({
      owner: 'a',
      expired: false,
    });
  });

  it('renews a lapsed lease that nobody took over', async () => {
    const lease = (await acquireLease(store, 'lapsed', 'a', 20))!;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await renewLease(store, lease, 10_000)).toBe(true);
    expect(await acquireLease(store, 'lapsed', 'b', 10_000)).toBeUndefined();
  });
});

describe.runIf(url)('dispatch marks', () => {
  it('marks a call only while the lease holds, so an unmarked call never left', async () => {
    const old = (await acquireLease(store, 'marks', 'old', 30))!;
    expect(await markDispatch(store, old, 'sent')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const next = (await acquireLease(store, 'marks', 'new', 10_000))!;
    expect(await markDispatch(store, old, 'late')).toBe(false);
    expect(await wasDispatched(store, 'sent')).toBe(true);
    expect(await wasDispatched(store, 'late')).toBe(false);
    expect(await markDispatch(store, next, 'late')).toBe(true);
    expect(await wasDispatched(store, 'late')).toBe(true);
  });
});

describe.runIf(url)('fencedStore', () => {
  it('refuses to journal an intent once a frozen worker lost its lease', async () => {
    const old = (await acquireLease(store, 'c', 'frozen', 50))!;
    let lost = 0;
    const frozen = fencedStore(store, old, { onLost: () => lost++ });
    expect(await frozen.recordIntent(intent('k1'))).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 80));
    const next = (await acquireLease(store, 'c', 'alive', 10_000))!;
    const alive = fencedStore(store, next, { onLost: () => undefined });

    const refused = await frozen.recordIntent(intent('k2')).catch((error: unknown) => error);
    expect(isLeaseLost(refused)).toBe(true);
    await expect(frozen.settle('k1', { status: 'done', at: 2 })).rejects.toMatchObject({
      code: 'lease_lost',
    });
    await frozen.saveSnapshot('c', {
      format: 1,
      machineVersion: 'campaign-1',
      input: {},
      snapshot: { stale: true },
      savedAt: 3,
    });
    expect(lost).toBe(1);
    expect(await store.getEntry('k2')).toBeUndefined();
    expect(await store.getEntry('k1')).toMatchObject({ status: 'intent' });
    expect(await store.loadSnapshot('c')).toBeUndefined();

    expect(await alive.recordIntent(intent('k2'))).toBeUndefined();
    await alive.settle('k1', {
      status: 'unknown',
      error: { code: 'unknown_outcome', message: 'x' },
      at: 4,
    });
    expect(await store.getEntry('k1')).toMatchObject({ status: 'unknown' });
  });

  it('shows only its own campaign and refuses writes to another', async () => {
    const lease = (await acquireLease(store, 'scoped', 'w', 10_000))!;
    const view = fencedStore(store, lease, { onLost: () => undefined });
    expect(await view.listCampaigns()).toEqual([]);
    await expect(view.recordIntent({ ...intent('k3'), campaignId: 'other' })).rejects.toThrow(
      /runs campaign "scoped"/,
    );
  });
});
