/**
 * @module
 * The shared store of the cluster mode: the same {@link HeraldStore} as the SQLite default,
 * in one PostgreSQL schema, migrated on open. Every statement is a single round trip or one
 * transaction, so several worker processes can share it; `transaction` lets the cluster add a
 * lease check to a write in the same transaction (fencing).
 */
import pg from 'pg';
import { HeraldError } from '../errors.js';
import { toCampaign, type CampaignRow } from './campaign-row.js';
import type {
  ActorEventRecord,
  CampaignCommand,
  CampaignRecord,
  CampaignStatus,
  Deadline,
  HeraldStore,
  JournalEntry,
  JournalStatus,
  SnapshotEnvelope,
} from './herald-store.js';
import { migratePostgres, quoteIdent } from './postgres-migrate.js';

/** Events kept per campaign for inspection (as in the SQLite store). */
const EVENTS_KEPT = 500;
const INT8_OID = 20;
const textParser = pg.types.getTypeParser as (
  oid: number,
  format: 'text',
) => (value: string) => unknown;

/** Something SQL runs on: the pool, or one client inside a transaction. */
export interface PgQueryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** Schema holding Herald's tables, created and migrated on open. @default 'herald' */
  readonly schema?: string;
  /** Most pooled connections. @default 10 */
  readonly maxConnections?: number;
  /**
   * Longest a session may sit idle inside a transaction or wait for a lock, ms. A frozen
   * process holding a lease row's lock is cut off after this, so others can take over.
   * @default 10_000
   */
  readonly transactionTimeoutMs?: number;
}

interface JournalRow {
  key: string;
  campaign_id: string;
  step_id: string;
  platform: string;
  action: string;
  recipient_ids: string[];
  status: string;
  intent_at: number;
  settled_at: number | null;
  result: unknown;
  error: { code: string; message: string } | null;
}

/**
 * Opens (creating and migrating the schema if needed) the PostgreSQL store at `url`.
 * @example
 * const store = await openPostgresStore('postgres://herald@db/herald', { schema: 'herald' });
 */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  const schema = options.schema ?? 'herald';
  const timeout = options.transactionTimeoutMs ?? 10_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    options: [
      `-c search_path=${quoteIdent(schema)}`,
      `-c idle_in_transaction_session_timeout=${String(timeout)}`,
      `-c lock_timeout=${String(timeout)}`,
    ].join(' '),
    types: {
      // Epoch-ms columns are BIGINT, which pg returns as strings by default.
      getTypeParser: ((oid: number) =>
        oid === INT8_OID ? Number : textParser(oid, 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its server must not take the process down.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool, schema);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new PostgresStore(pool, pool, schema);
}

/** {@link HeraldStore} over PostgreSQL; see {@link openPostgresStore}. */
export class PostgresStore implements HeraldStore {
  /** Schema of the tables. */
  readonly schema: string;
  readonly #pool: pg.Pool;
  readonly #db: PgQueryable;
  #eventsSincePrune = 0;

  /** Use {@link openPostgresStore}; this binds a store to a pool or a transaction's client. */
  constructor(pool: pg.Pool, db: PgQueryable, schema: string) {
    this.#pool = pool;
    this.#db = db;
    this.schema = schema;
  }

  /** Runs `work` in one transaction; the store it gets writes inside that transaction. */
  async transaction<T>(work: (tx: PostgresStore, client: PgQueryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    // The server may end a session mid-transaction (e.g. an idle-in-transaction timeout after
    // this process was frozen): that is this transaction's failure, not the process's.
    let broken = false;
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(new PostgresStore(this.#pool, client, this.schema), client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  /** Runs one statement on the store's connection (pool or transaction). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    return this.#db.query<R>(text, values);
  }

  /**
   * Inserts a campaign unless its id exists; true when inserted. Throws
   * `HeraldError('campaign_exists')` when the id holds a different spec.
   */
  async createCampaign(record: CampaignRecord): Promise<boolean> {
    const spec = JSON.stringify(record.spec);
    const inserted = await this.#db.query(
      `INSERT INTO campaigns (id, spec, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING`,
      [record.id, spec, record.status, record.createdAt, record.updatedAt],
    );
    if (inserted.rowCount === 1) return true;
    const existing = await this.#db.query<{ spec: string }>(
      'SELECT spec FROM campaigns WHERE id = $1',
      [record.id],
    );
    if (existing.rows[0]?.spec !== spec) {
      throw new HeraldError(
        'campaign_exists',
        `campaign "${record.id}" already exists with a different spec; choose another id`,
      );
    }
    return false;
  }

  async saveCampaign(record: CampaignRecord): Promise<void> {
    await this.#db.query(
      `INSERT INTO campaigns (id, spec, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET spec = excluded.spec, status = excluded.status, updated_at = excluded.updated_at`,
      [record.id, JSON.stringify(record.spec), record.status, record.createdAt, record.updatedAt],
    );
  }

  async getCampaign(id: string): Promise<CampaignRecord | undefined> {
    const { rows } = await this.#db.query<CampaignRow>('SELECT * FROM campaigns WHERE id = $1', [
      id,
    ]);
    return rows[0] && toCampaign(rows[0]);
  }

  async listCampaigns(): Promise<CampaignRecord[]> {
    const { rows } = await this.#db.query<CampaignRow>(
      'SELECT * FROM campaigns ORDER BY created_at, id',
    );
    return rows.map(toCampaign);
  }

  async setStatus(id: string, status: CampaignStatus, at: number): Promise<void> {
    await this.#db.query('UPDATE campaigns SET status = $1, updated_at = $2 WHERE id = $3', [
      status,
      at,
      id,
    ]);
  }

  async saveSnapshot(campaignId: string, envelope: SnapshotEnvelope): Promise<void> {
    await this.#db.query(
      `INSERT INTO snapshots (campaign_id, envelope, saved_at) VALUES ($1, $2, $3)
       ON CONFLICT (campaign_id) DO UPDATE SET envelope = excluded.envelope, saved_at = excluded.saved_at`,
      [campaignId, JSON.stringify(envelope), envelope.savedAt],
    );
  }

  async loadSnapshot(campaignId: string): Promise<SnapshotEnvelope | undefined> {
    const { rows } = await this.#db.query<{ envelope: string }>(
      'SELECT envelope FROM snapshots WHERE campaign_id = $1',
      [campaignId],
    );
    return rows[0] && (JSON.parse(rows[0].envelope) as SnapshotEnvelope);
  }

  async putDeadline(deadline: Deadline): Promise<void> {
    await this.#db.query(
      `INSERT INTO timeline (campaign_id, key, at, description) VALUES ($1, $2, $3, $4)
       ON CONFLICT (campaign_id, key) DO UPDATE SET at = excluded.at, description = excluded.description`,
      [deadline.campaignId, deadline.key, deadline.at, deadline.description],
    );
  }

  async removeDeadline(campaignId: string, key: string): Promise<void> {
    await this.#db.query('DELETE FROM timeline WHERE campaign_id = $1 AND key = $2', [
      campaignId,
      key,
    ]);
  }

  async listDeadlines(campaignId?: string): Promise<Deadline[]> {
    const { rows } =
      campaignId === undefined
        ? await this.#db.query<DeadlineRow>('SELECT * FROM timeline ORDER BY at, key')
        : await this.#db.query<DeadlineRow>(
            'SELECT * FROM timeline WHERE campaign_id = $1 ORDER BY at, key',
            [campaignId],
          );
    return rows.map((r) => ({
      campaignId: r.campaign_id,
      key: r.key,
      at: r.at,
      description: r.description,
    }));
  }

  /** Generic over the member shape: whatever the runtime freezes is kept as JSON. */
  async freezeAudience<Member>(
    campaignId: string,
    stepId: string,
    members: readonly Member[],
  ): Promise<readonly Member[]> {
    // Whoever inserts first wins; everyone reads the winner's list.
    await this.#db.query(
      `INSERT INTO audiences (campaign_id, step_id, recipient_ids) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (campaign_id, step_id) DO NOTHING`,
      [campaignId, stepId, JSON.stringify(members)],
    );
    const { rows } = await this.#db.query<{ recipient_ids: Member[] }>(
      'SELECT recipient_ids FROM audiences WHERE campaign_id = $1 AND step_id = $2',
      [campaignId, stepId],
    );
    return rows[0]!.recipient_ids;
  }

  async recordIntent(
    entry: Omit<JournalEntry, 'status' | 'settledAt' | 'result' | 'error'>,
  ): Promise<JournalEntry | undefined> {
    const inserted = await this.#db.query(
      `INSERT INTO journal (key, campaign_id, step_id, platform, action, recipient_ids, status, intent_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, 'intent', $7) ON CONFLICT (key) DO NOTHING`,
      [
        entry.key,
        entry.campaignId,
        entry.stepId,
        entry.platform,
        entry.action,
        JSON.stringify(entry.recipientIds),
        entry.intentAt,
      ],
    );
    if (inserted.rowCount === 1) return undefined;
    return (await this.getEntry(entry.key))!;
  }

  async settle(
    key: string,
    outcome: Pick<JournalEntry, 'status' | 'result' | 'error'> & { at: number },
  ): Promise<void> {
    await this.#db.query(
      'UPDATE journal SET status = $1, settled_at = $2, result = $3::jsonb, error = $4::jsonb WHERE key = $5',
      [
        outcome.status,
        outcome.at,
        outcome.result === undefined ? null : JSON.stringify(outcome.result),
        outcome.error === undefined ? null : JSON.stringify(outcome.error),
        key,
      ],
    );
  }

  async reopen(key: string, at: number): Promise<void> {
    await this.#db.query(
      "UPDATE journal SET status = 'intent', intent_at = $1, settled_at = NULL, result = NULL, error = NULL WHERE key = $2",
      [at, key],
    );
  }

  async getEntry(key: string): Promise<JournalEntry | undefined> {
    const { rows } = await this.#db.query<JournalRow>('SELECT * FROM journal WHERE key = $1', [
      key,
    ]);
    return rows[0] && toEntry(rows[0]);
  }

  async journal(campaignId: string, stepId?: string): Promise<JournalEntry[]> {
    const { rows } =
      stepId === undefined
        ? await this.#db.query<JournalRow>(
            'SELECT * FROM journal WHERE campaign_id = $1 ORDER BY intent_at, key',
            [campaignId],
          )
        : await this.#db.query<JournalRow>(
            'SELECT * FROM journal WHERE campaign_id = $1 AND step_id = $2 ORDER BY intent_at, key',
            [campaignId, stepId],
          );
    return rows.map(toEntry);
  }

  async appendEvent(event: ActorEventRecord): Promise<void> {
    await this.#db.query(
      'INSERT INTO events (campaign_id, at, actor, type, summary) VALUES ($1, $2, $3, $4, $5)',
      [event.campaignId, event.at, event.actor, event.type, event.summary],
    );
    if (++this.#eventsSincePrune >= 100) {
      this.#eventsSincePrune = 0;
      await this.#db.query(
        `DELETE FROM events WHERE campaign_id = $1 AND seq <= (
           SELECT seq FROM events WHERE campaign_id = $1 ORDER BY seq DESC LIMIT 1 OFFSET ${String(EVENTS_KEPT)})`,
        [event.campaignId],
      );
    }
  }

  async recentEvents(campaignId: string, limit: number): Promise<ActorEventRecord[]> {
    const { rows } = await this.#db.query<EventRow>(
      'SELECT * FROM (SELECT * FROM events WHERE campaign_id = $1 ORDER BY seq DESC LIMIT $2) e ORDER BY seq',
      [campaignId, limit],
    );
    return rows.map((r) => ({
      campaignId: r.campaign_id,
      at: r.at,
      actor: r.actor,
      type: r.type,
      summary: r.summary,
    }));
  }

  async pushCommand(campaignId: string, command: CampaignCommand, at: number): Promise<void> {
    await this.#db.query('INSERT INTO commands (campaign_id, command, at) VALUES ($1, $2, $3)', [
      campaignId,
      command,
      at,
    ]);
  }

  async takeCommands(
    campaignIds: readonly string[],
  ): Promise<{ campaignId: string; command: CampaignCommand }[]> {
    if (campaignIds.length === 0) return [];
    const { rows } = await this.#db.query<{ seq: number; campaign_id: string; command: string }>(
      'DELETE FROM commands WHERE campaign_id = ANY($1::text[]) RETURNING seq, campaign_id, command',
      [campaignIds],
    );
    return rows
      .sort((a, b) => a.seq - b.seq)
      .map((r) => ({ campaignId: r.campaign_id, command: r.command as CampaignCommand }));
  }

  async heartbeat(campaignIds: readonly string[], at: number): Promise<void> {
    if (campaignIds.length === 0) return;
    await this.#db.query(
      `INSERT INTO heartbeats (campaign_id, at) SELECT unnest($1::text[]), $2
       ON CONFLICT (campaign_id) DO UPDATE SET at = excluded.at`,
      [campaignIds, at],
    );
  }

  async lastHeartbeat(campaignId: string): Promise<number | undefined> {
    const { rows } = await this.#db.query<{ at: number }>(
      'SELECT at FROM heartbeats WHERE campaign_id = $1',
      [campaignId],
    );
    return rows[0]?.at;
  }

  /** Ends the pool (a transaction-bound store closes nothing). */
  async close(): Promise<void> {
    if (this.#db === this.#pool) await this.#pool.end();
  }
}

interface DeadlineRow {
  campaign_id: string;
  key: string;
  at: number;
  description: string;
}

interface EventRow {
  campaign_id: string;
  at: number;
  actor: string;
  type: string;
  summary: string;
}

function toEntry(row: JournalRow): JournalEntry {
  return {
    key: row.key,
    campaignId: row.campaign_id,
    stepId: row.step_id,
    platform: row.platform,
    action: row.action,
    recipientIds: row.recipient_ids,
    status: row.status as JournalStatus,
    intentAt: row.intent_at,
    ...(row.settled_at === null ? {} : { settledAt: row.settled_at }),
    ...(row.result === null ? {} : { result: row.result }),
    ...(row.error === null ? {} : { error: row.error }),
  };
}
