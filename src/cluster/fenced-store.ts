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
import { fencedView } from '../store/fenced-view.js';
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

  return fencedView<PostgresStore>(store, {
    campaignId: lease.campaignId,
    lost: () => lost,
    strict,
    ...(hooks.onDeadline ? { onDeadline: hooks.onDeadline } : {}),
  });
}
