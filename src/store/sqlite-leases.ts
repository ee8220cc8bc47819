/**
 * @module
 * Campaign leases in the SQLite store, as the PostgreSQL cluster has them: one runner per
 * campaign at a time, acquired in an exclusive transaction, renewed by the runner's heartbeat,
 * taken over once it lapsed or once the process holding it is gone (same host, pid no longer
 * alive) — at once, with no waiting for a heartbeat to age. Every acquisition by a new owner
 * raises the campaign's fencing token, and {@link fencedSqliteStore} checks the token in the
 * same transaction as every write, so a runner that was frozen past its lease wakes up unable
 * to journal, settle or send.
 */
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { HeraldError } from '../errors.js';
import { fencedView } from './fenced-view.js';
import type { HeraldStore } from './herald-store.js';

/** Who holds a lease: a process on a host. */
export interface LeaseHolder {
  /** Unique per process run. */
  readonly owner: string;
  readonly host: string;
  readonly pid: number;
}

/** A granted lease: the proof every fenced write presents. */
export interface SqliteLease extends LeaseHolder {
  readonly campaignId: string;
  readonly fencingToken: number;
}

/** A lease as stored, for status views and takeovers. */
export interface SqliteLeaseRecord extends SqliteLease {
  /** Wall-clock epoch ms when it lapses unless renewed. */
  readonly expiresAt: number;
  /** Lapsed, or its process on this host is gone: anyone may take the campaign over. */
  readonly orphaned: boolean;
}

/** What {@link SqliteLeases.acquire} got: the lease, or the live holder that keeps it. */
export type LeaseClaim = { readonly lease: SqliteLease } | { readonly heldBy: SqliteLeaseRecord };

interface LeaseRow {
  campaign_id: string;
  owner: string;
  host: string;
  pid: number;
  fencing_token: number;
  expires_at: number;
}

/** This process, as a lease holder. */
export function thisProcess(): LeaseHolder {
  return {
    owner: `${hostname()}-${String(process.pid)}-${Math.random().toString(36).slice(2, 10)}`,
    host: hostname(),
    pid: process.pid,
  };
}

/** True when `holder` ran on this host and its process no longer exists. */
export function processGone(holder: LeaseHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The leases table of one SQLite database. */
export class SqliteLeases {
  readonly #db: Database.Database;
  readonly #q;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#q = {
      get: db.prepare<[string], LeaseRow>('SELECT * FROM leases WHERE campaign_id = ?'),
      put: db.prepare(
        `INSERT INTO leases (campaign_id, owner, host, pid, fencing_token, expires_at)
         VALUES (@campaignId, @owner, @host, @pid, @fencingToken, @expiresAt)
         ON CONFLICT(campaign_id) DO UPDATE SET owner = excluded.owner, host = excluded.host,
           pid = excluded.pid, fencing_token = excluded.fencing_token, expires_at = excluded.expires_at`,
      ),
      renew: db.prepare(
        'UPDATE leases SET expires_at = ? WHERE campaign_id = ? AND owner = ? AND fencing_token = ?',
      ),
      holds: db.prepare<[string, string, number], { one: number }>(
        'SELECT 1 AS one FROM leases WHERE campaign_id = ? AND owner = ? AND fencing_token = ?',
      ),
    };
  }

  /**
   * Takes the campaign's lease for `holder` when it is free, lapsed, held by a process that is
   * gone, or already `holder`'s; otherwise reports who holds it. A new owner gets a higher
   * fencing token.
   */
  acquire(campaignId: string, holder: LeaseHolder, ttlMs: number): LeaseClaim {
    return this.exclusive(() => {
      const now = Date.now();
      const current = this.of(campaignId);
      if (current && current.owner !== holder.owner && !current.orphaned)
        return { heldBy: current };
      const fencingToken =
        current === undefined
          ? 1
          : current.owner === holder.owner && !current.orphaned
            ? current.fencingToken
            : current.fencingToken + 1;
      const lease: SqliteLease = { campaignId, ...holder, fencingToken };
      this.#q.put.run({ ...lease, expiresAt: now + ttlMs });
      return { lease };
    });
  }

  /** Extends a lease still carrying its token (even a lapsed one nobody took); false when lost. */
  renew(lease: SqliteLease, ttlMs: number): boolean {
    return (
      this.#q.renew.run(Date.now() + ttlMs, lease.campaignId, lease.owner, lease.fencingToken)
        .changes === 1
    );
  }

  /** Lets the lease lapse now, keeping its token so the next owner's is higher. */
  release(lease: SqliteLease): void {
    this.#q.renew.run(Date.now(), lease.campaignId, lease.owner, lease.fencingToken);
  }

  /** True while `lease` still holds its campaign. */
  holds(lease: SqliteLease): boolean {
    return this.#q.holds.get(lease.campaignId, lease.owner, lease.fencingToken) !== undefined;
  }

  /** The campaign's lease as stored. */
  of(campaignId: string): SqliteLeaseRecord | undefined {
    const row = this.#q.get.get(campaignId);
    if (!row) return undefined;
    const holder = { owner: row.owner, host: row.host, pid: row.pid };
    return {
      campaignId,
      ...holder,
      fencingToken: row.fencing_token,
      expiresAt: row.expires_at,
      orphaned: row.expires_at <= Date.now() || processGone(holder),
    };
  }

  /** Runs `work` in an immediate (write-locked) transaction. */
  exclusive<T>(work: () => T): T {
    return this.#db.transaction(work).immediate();
  }
}

/** Thrown by a journal write of a runner whose lease was taken over. */
export function leaseLostError(lease: SqliteLease): HeraldError {
  return new HeraldError(
    'lease_lost',
    `this process (pid ${String(lease.pid)}) no longer holds campaign "${lease.campaignId}" (fencing token ${String(lease.fencingToken)} was superseded); another process runs it now`,
  );
}

/** What the runner hears from a fenced store. */
export interface FencedSqliteHooks {
  /** The lease was taken over (or lapsed and was not renewable): stop running the campaign. */
  readonly onLost: () => void;
  /** Lease length the heartbeat renews to, ms. */
  readonly ttlMs: number;
}

/**
 * Scopes `store` to `lease.campaignId` and fences every write with `lease`, checked in the
 * same exclusive transaction. Journal writes (intents, settlements, re-opens, frozen
 * audiences) throw `lease_lost` once the lease is gone; the others (snapshots, status, events,
 * deadlines) are skipped, because the runtime makes them from timers. The heartbeat renews
 * the lease.
 * @example
 * const store = fencedSqliteStore(sqlite, leases, lease, { onLost: stop, ttlMs: 5_000 });
 */
export function fencedSqliteStore(
  store: HeraldStore,
  leases: SqliteLeases,
  lease: SqliteLease,
  hooks: FencedSqliteHooks,
): HeraldStore {
  let lost = false;
  const markLost = (): void => {
    if (lost) return;
    lost = true;
    hooks.onLost();
  };

  /** Runs `write` (a store call that completes synchronously) under the lease. */
  function strict<T>(write: () => Promise<T>): Promise<T> {
    if (lost) return Promise.reject(leaseLostError(lease));
    let result: Promise<T> | undefined;
    try {
      const held = leases.exclusive(() => {
        if (!leases.holds(lease)) return false;
        result = write();
        return true;
      });
      if (!held) {
        markLost();
        return Promise.reject(leaseLostError(lease));
      }
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return result!;
  }

  return fencedView(store, {
    campaignId: lease.campaignId,
    lost: () => lost,
    strict: (write) => strict(() => write(store)),
    heartbeat() {
      if (!lost && !leases.renew(lease, hooks.ttlMs)) markLost();
      return Promise.resolve();
    },
    // The lease, not a heartbeat, says who runs the campaign: its holder is this view.
    lastHeartbeat: () => Promise.resolve(undefined),
  });
}
