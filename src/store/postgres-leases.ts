/**
 * @module
 * Campaign leases in PostgreSQL: one owner per campaign at a time, acquired with a
 * compare-and-set, renewed by a heartbeat, taken over once expired. Every acquisition by a new
 * owner raises the campaign's fencing token, so a write checked against the token it was
 * granted fails once anyone else has taken the campaign over. Expiry uses the database's
 * clock, so workers' clocks may drift.
 */
import type { PgQueryable, PostgresStore } from './postgres-store.js';

/** A granted lease: the proof a worker presents with every fenced write. */
export interface Lease {
  readonly campaignId: string;
  readonly owner: string;
  readonly fencingToken: number;
}

/** A lease as stored, for status views. */
export interface LeaseRecord extends Lease {
  /** Epoch ms (database clock) when it lapses unless renewed. */
  readonly expiresAt: number;
  readonly expired: boolean;
}

/**
 * Takes the campaign's lease for `owner` when it is free, lapsed or already `owner`'s;
 * undefined when another live owner holds it. A new owner gets a higher fencing token.
 */
export async function acquireLease(
  db: PgQueryable,
  campaignId: string,
  owner: string,
  ttlMs: number,
): Promise<Lease | undefined> {
  const { rows } = await db.query<{ fencing_token: number }>(
    `INSERT INTO leases AS l (campaign_id, owner, fencing_token, expires_at)
     VALUES ($1, $2, 1, clock_timestamp() + $3 * interval '1 millisecond')
     ON CONFLICT (campaign_id) DO UPDATE SET
       owner = excluded.owner,
       expires_at = excluded.expires_at,
       fencing_token = CASE WHEN l.owner = excluded.owner AND l.expires_at > clock_timestamp()
                            THEN l.fencing_token ELSE l.fencing_token + 1 END
     WHERE l.owner = excluded.owner OR l.expires_at <= clock_timestamp()
     RETURNING fencing_token`,
    [campaignId, owner, ttlMs],
  );
  const row = rows[0];
  return row && { campaignId, owner, fencingToken: row.fencing_token };
}

/**
 * Extends a lease still holding its token (even if it lapsed, as long as nobody took it over);
 * false when it was lost.
 */
export async function renewLease(db: PgQueryable, lease: Lease, ttlMs: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE leases SET expires_at = clock_timestamp() + $4 * interval '1 millisecond'
     WHERE campaign_id = $1 AND owner = $2 AND fencing_token = $3`,
    [lease.campaignId, lease.owner, lease.fencingToken, ttlMs],
  );
  return rowCount === 1;
}

/** Lets the lease lapse now, keeping its token so the next owner's is higher. */
export async function releaseLease(db: PgQueryable, lease: Lease): Promise<void> {
  await db.query(
    `UPDATE leases SET expires_at = clock_timestamp()
     WHERE campaign_id = $1 AND owner = $2 AND fencing_token = $3`,
    [lease.campaignId, lease.owner, lease.fencingToken],
  );
}

/**
 * True when `lease` still holds its campaign. Inside a transaction it also share-locks the
 * lease row, so no one can take the campaign over before that transaction ends: the write
 * that follows is fenced.
 */
export async function holdsLease(db: PgQueryable, lease: Lease): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM leases WHERE campaign_id = $1 AND owner = $2 AND fencing_token = $3 FOR SHARE`,
    [lease.campaignId, lease.owner, lease.fencingToken],
  );
  return rowCount === 1;
}

/** Every lease, for status views. */
export async function listLeases(db: PgQueryable): Promise<LeaseRecord[]> {
  const { rows } = await db.query<{
    campaign_id: string;
    owner: string;
    fencing_token: number;
    expires_ms: number;
    expired: boolean;
  }>(
    `SELECT campaign_id, owner, fencing_token,
            (extract(epoch FROM expires_at) * 1000)::bigint AS expires_ms,
            expires_at <= clock_timestamp() AS expired
     FROM leases ORDER BY campaign_id`,
  );
  return rows.map((r) => ({
    campaignId: r.campaign_id,
    owner: r.owner,
    fencingToken: r.fencing_token,
    expiresAt: r.expires_ms,
    expired: r.expired,
  }));
}

/**
 * Records, under the lease, that the call `key` is about to leave for the platform; false
 * (and nothing recorded) when the lease is lost. The mark commits before the request is
 * sent, so a call without one never reached the platform.
 */
export async function markDispatch(
  db: { transaction<T>(work: (tx: PostgresStore) => Promise<T>): Promise<T> },
  lease: Lease,
  key: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await holdsLease(tx, lease))) return false;
    await tx.query(
      `INSERT INTO dispatches (key, campaign_id, owner, fencing_token) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [key, lease.campaignId, lease.owner, lease.fencingToken],
    );
    return true;
  });
}

/** True when any worker ever marked the call `key` as dispatched. */
export async function wasDispatched(db: PgQueryable, key: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM dispatches WHERE key = $1 LIMIT 1', [key]);
  return (rowCount ?? 0) > 0;
}
