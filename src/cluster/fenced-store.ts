/**
 * @module
 * `fencedStore`: the view of the PostgreSQL store one worker runs one campaign through. It
 * shows only that campaign, and every write first checks, in the same transaction, that the
 * worker's lease still carries its fencing token (share-locking the lease row, so no takeover
 * can slip between the check and the write). A worker that lost its lease therefore cannot
 * journal an intent, settle a call or freeze an audience: those throw `lease_lost`. Other
 * writes (snapshots, status, events, heartbeats, deadlines) are skipped instead, because the
 * runtime makes them from timers where a throw would be an unhandled rejection; either way
 * `onLost` tells the worker to drop the campaign.
 */
import { HeraldError } from '../errors.js';
import type { Deadline, HeraldStore } from '../store/herald-store.js';
import { holdsLease, type Lease } from '../store/postgres-leases.js';
import type { PostgresStore } from '../store/postgres-store.js';

/** What the worker hears from a fenced store. */
export interface FencedStoreHooks {
  /** The lease was taken over: stop running the campaign. */
  readonly onLost: () => void;
  /** A deadline was put on the timeline (the worker schedules a wake-up job). */
  readonly onDeadline?: (deadline: Deadline) => void;
}

/** Thrown by an effect-journaling write when the lease is no longer held. */
export function leaseLostError(lease: Lease): HeraldError {
  return new HeraldError(
    'lease_lost',
    `this worker (${lease.owner}) no longer holds campaign "${lease.campaignId}" (fencing token ${String(lease.fencingToken)} was superseded); another worker runs it now`,
  );
}

/** True for the error {@link leaseLostError} builds. */
export function isLeaseLost(error: unknown): error is HeraldError {
  return error instanceof HeraldError && error.code === 'lease_lost';
}

/**
 * Scopes `store` to `lease.campaignId` and fences every write with `lease`.
 * @example
 * const store = fencedStore(pg, lease, { onLost: () => worker.drop(lease.campaignId) });
 * const system = new CampaignSystem({ store, connectors, audience });
 */
export function fencedStore(
  store: PostgresStore,
  lease: Lease,
  hooks: FencedStoreHooks,
): HeraldStore {
  let lost = false;
  const markLost = (): void => {
    if (lost) return;
    lost = true;
    hooks.onLost();
  };

  /** Runs `write` under the lease; throws `lease_lost` when the lease is gone. */
  async function strict<T>(write: (tx: PostgresStore) => Promise<T>): Promise<T> {
    if (lost) throw leaseLostError(lease);
    const result = await store.transaction(async (tx) => {
      if (!(await holdsLease(tx, lease))) return { held: false as const };
      return { held: true as const, value: await write(tx) };
    });
    if (!result.held) {
      markLost();
      throw leaseLostError(lease);
    }
    return result.value;
  }

  /** Runs `write` under the lease; skips it when the lease is gone. */
  async function lenient(write: (tx: PostgresStore) => Promise<unknown>): Promise<void> {
    if (lost) return;
    try {
      await strict(write);
    } catch (error) {
      if (!isLeaseLost(error)) throw error;
    }
  }

  const own = (campaignId: string): void => {
    if (campaignId !== lease.campaignId) {
      throw new HeraldError(
        'foreign_campaign',
        `this store view runs campaign "${lease.campaignId}", not "${campaignId}"`,
      );
    }
  };

  return {
    async saveCampaign(record) {
      own(record.id);
      await lenient((tx) => tx.saveCampaign(record));
    },
    getCampaign: (id) => store.getCampaign(id),
    async listCampaigns() {
      const record = await store.getCampaign(lease.campaignId);
      return record ? [record] : [];
    },
    async setStatus(id, status, at) {
      own(id);
      await lenient((tx) => tx.setStatus(id, status, at));
    },
    async saveSnapshot(campaignId, envelope) {
      own(campaignId);
      await lenient((tx) => tx.saveSnapshot(campaignId, envelope));
    },
    loadSnapshot: (campaignId) => store.loadSnapshot(campaignId),
    async putDeadline(deadline) {
      own(deadline.campaignId);
      await lenient((tx) => tx.putDeadline(deadline));
      if (!lost) hooks.onDeadline?.(deadline);
    },
    async removeDeadline(campaignId, key) {
      own(campaignId);
      await lenient((tx) => tx.removeDeadline(campaignId, key));
    },
    listDeadlines: (campaignId) => store.listDeadlines(campaignId ?? lease.campaignId),
    async freezeAudience(campaignId, stepId, members) {
      own(campaignId);
      return strict((tx) => tx.freezeAudience(campaignId, stepId, members));
    },
    async recordIntent(entry) {
      own(entry.campaignId);
      return strict((tx) => tx.recordIntent(entry));
    },
    settle: (key, outcome) => strict((tx) => tx.settle(key, outcome)),
    reopen: (key, at) => strict((tx) => tx.reopen(key, at)),
    getEntry: (key) => store.getEntry(key),
    journal: (campaignId, stepId) => store.journal(campaignId, stepId),
    async appendEvent(event) {
      await lenient((tx) => tx.appendEvent(event));
    },
    recentEvents: (campaignId, limit) => store.recentEvents(campaignId, limit),
    async pushCommand(campaignId, command, at) {
      await store.pushCommand(campaignId, command, at);
    },
    async takeCommands(campaignIds) {
      if (lost) return [];
      return store.takeCommands(campaignIds.filter((id) => id === lease.campaignId));
    },
    async heartbeat(campaignIds, at) {
      await lenient((tx) => tx.heartbeat(campaignIds, at));
    },
    lastHeartbeat: (campaignId) => store.lastHeartbeat(campaignId),
    close: () => Promise.resolve(),
  };
}
