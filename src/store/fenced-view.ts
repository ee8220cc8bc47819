/**
 * @module
 * `fencedView`: the view of a store that one runner runs one campaign through, shared by the
 * embedded (SQLite) and cluster (PostgreSQL) modes. It shows only that campaign; journal
 * writes (intents, settlements, re-opens, frozen audiences) run through the mode's `strict`
 * fence and throw `lease_lost` once the lease is gone; the other writes (snapshots, status,
 * events, deadlines) are skipped instead, because the runtime makes them from timers where a
 * throw would be an unhandled rejection.
 */
import { HeraldError } from '../errors.js';
import type { Deadline, HeraldStore } from './herald-store.js';

/** True for a `lease_lost` error: the runner's lease was taken over. */
export function isLeaseLost(error: unknown): error is HeraldError {
  return error instanceof HeraldError && error.code === 'lease_lost';
}

/** How one mode fences a write, and what it does for the calls that differ between modes. */
export interface Fence<S extends HeraldStore> {
  /** The campaign the lease is for. */
  readonly campaignId: string;
  /** True once the lease is known lost. */
  readonly lost: () => boolean;
  /** Runs `write` against the store (or its transaction) under the lease; throws `lease_lost` when it is gone. */
  readonly strict: <T>(write: (store: S) => Promise<T>) => Promise<T>;
  /** Records liveness. @default the store's heartbeat, written under the lease */
  readonly heartbeat?: HeraldStore['heartbeat'];
  /** @default the store's last heartbeat */
  readonly lastHeartbeat?: HeraldStore['lastHeartbeat'];
  /** Called after a deadline was put on the timeline. @default nothing */
  readonly onDeadline?: (deadline: Deadline) => void;
}

/**
 * Scopes `store` to `fence.campaignId` and fences every write with `fence`.
 * @example
 * const view = fencedView(store, { campaignId, lost: () => lost, strict });
 */
export function fencedView<S extends HeraldStore>(
  store: HeraldStore,
  fence: Fence<S>,
): HeraldStore {
  const { campaignId: ownId, strict } = fence;

  /** Runs `write` under the lease; skips it when the lease is gone. */
  async function lenient(write: (tx: S) => Promise<unknown>): Promise<void> {
    if (fence.lost()) return;
    try {
      await strict(write);
    } catch (error) {
      if (!isLeaseLost(error)) throw error;
    }
  }

  const own = (campaignId: string): void => {
    if (campaignId !== ownId) {
      throw new HeraldError(
        'foreign_campaign',
        `this store view runs campaign "${ownId}", not "${campaignId}"`,
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
      const record = await store.getCampaign(ownId);
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
      if (!fence.lost()) fence.onDeadline?.(deadline);
    },
    async removeDeadline(campaignId, key) {
      own(campaignId);
      await lenient((tx) => tx.removeDeadline(campaignId, key));
    },
    listDeadlines: (campaignId) => store.listDeadlines(campaignId ?? ownId),
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
    pushCommand: (campaignId, command, at) => store.pushCommand(campaignId, command, at),
    async takeCommands(campaignIds) {
      if (fence.lost()) return [];
      return store.takeCommands(campaignIds.filter((id) => id === ownId));
    },
    heartbeat: (campaignIds, at) =>
      fence.heartbeat
        ? fence.heartbeat(campaignIds, at)
        : lenient((tx) => tx.heartbeat(campaignIds, at)),
    lastHeartbeat: (campaignId) =>
      fence.lastHeartbeat ? fence.lastHeartbeat(campaignId) : store.lastHeartbeat(campaignId),
    close: () => Promise.resolve(),
  };
}
