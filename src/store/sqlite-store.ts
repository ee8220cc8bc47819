/**
 * @module
 * The embedded default store: one SQLite file through better-sqlite3, in WAL mode so that a
 * killed process loses no committed intent.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { HeraldError } from '../errors.js';
import { toCampaign, type CampaignRow } from './campaign-row.js';
import type {
  ActorEventRecord,
  CampaignCommand,
  CampaignRecord,
  CampaignStatus,
  Deadline,
  FrozenMember,
  HeraldStore,
  JournalEntry,
  JournalStatus,
  SnapshotEnvelope,
} from './herald-store.js';
import { RunConfiguration } from './run-configuration.js';
import {
  fencedSqliteStore,
  SqliteLeases,
  type FencedSqliteHooks,
  type SqliteLease,
} from './sqlite-leases.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS campaigns (
  id TEXT PRIMARY KEY, spec TEXT NOT NULL, status TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (
  campaign_id TEXT PRIMARY KEY, envelope TEXT NOT NULL, saved_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS timeline (
  campaign_id TEXT NOT NULL, key TEXT NOT NULL, at INTEGER NOT NULL, description TEXT NOT NULL,
  PRIMARY KEY (campaign_id, key));
CREATE TABLE IF NOT EXISTS audiences (
  campaign_id TEXT NOT NULL, step_id TEXT NOT NULL, recipient_ids TEXT NOT NULL,
  PRIMARY KEY (campaign_id, step_id));
CREATE TABLE IF NOT EXISTS journal (
  key TEXT PRIMARY KEY, campaign_id TEXT NOT NULL, step_id TEXT NOT NULL, platform TEXT NOT NULL,
  action TEXT NOT NULL, recipient_ids TEXT NOT NULL, status TEXT NOT NULL,
  intent_at INTEGER NOT NULL, settled_at INTEGER, result TEXT, error TEXT);
CREATE INDEX IF NOT EXISTS journal_by_step ON journal (campaign_id, step_id);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, campaign_id TEXT NOT NULL, at INTEGER NOT NULL,
  actor TEXT NOT NULL, type TEXT NOT NULL, summary TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_campaign ON events (campaign_id, seq);
CREATE TABLE IF NOT EXISTS commands (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, campaign_id TEXT NOT NULL, command TEXT NOT NULL, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS heartbeats (campaign_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS run_configurations (campaign_id TEXT PRIMARY KEY, configuration TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS leases (
  campaign_id TEXT PRIMARY KEY, owner TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL,
  fencing_token INTEGER NOT NULL, expires_at INTEGER NOT NULL);
PRAGMA user_version = 2;
`;

/** Events kept per campaign for inspection. */
const EVENTS_KEPT = 500;

interface JournalRow {
  key: string;
  campaign_id: string;
  step_id: string;
  platform: string;
  action: string;
  recipient_ids: string;
  status: string;
  intent_at: number;
  settled_at: number | null;
  result: string | null;
  error: string | null;
}

/** The SQLite store: a `HeraldStore` plus what only the embedded mode keeps in it. */
export interface SqliteHeraldStore extends HeraldStore {
  /** Campaign leases (one runner per campaign). */
  readonly leases: SqliteLeases;
  /** Saves how a campaign runs, at its launch. */
  saveRunConfiguration(campaignId: string, configuration: RunConfiguration): void;
  /**
   * How a campaign runs, as saved at launch; undefined for one launched without (by the
   * library or an older Herald). Throws `HeraldError('run_configuration')` when unreadable.
   */
  runConfiguration(campaignId: string): RunConfiguration | undefined;
  /** A step's frozen audience, when it was planned. */
  frozenAudience(campaignId: string, stepId: string): readonly FrozenMember[] | undefined;
  /** A view of this store for one campaign, every write fenced by `lease`. */
  fenced(lease: SqliteLease, hooks: FencedSqliteHooks): HeraldStore;
}

/**
 * Opens (creating if needed) the SQLite store at `path`; `:memory:` for a throwaway store.
 * @example
 * const store = openSqliteStore('.herald/herald.db');
 */
export function openSqliteStore(path: string): SqliteHeraldStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return new SqliteStore(db);
}

class SqliteStore implements SqliteHeraldStore {
  readonly leases: SqliteLeases;
  readonly #db: Database.Database;
  #eventsSincePrune = 0;
  readonly #q;

  constructor(db: Database.Database) {
    this.#db = db;
    this.leases = new SqliteLeases(db);
    this.#q = {
      saveRunConfiguration: db.prepare(
        `INSERT INTO run_configurations (campaign_id, configuration) VALUES (?, ?)
         ON CONFLICT(campaign_id) DO UPDATE SET configuration = excluded.configuration`,
      ),
      runConfiguration: db.prepare<[string], { configuration: string }>(
        'SELECT configuration FROM run_configurations WHERE campaign_id = ?',
      ),
      saveCampaign: db.prepare(
        `INSERT INTO campaigns (id, spec, status, created_at, updated_at) VALUES (@id, @spec, @status, @createdAt, @updatedAt)
         ON CONFLICT(id) DO UPDATE SET spec = excluded.spec, status = excluded.status, updated_at = excluded.updated_at`,
      ),
      getCampaign: db.prepare<[string], CampaignRow>('SELECT * FROM campaigns WHERE id = ?'),
      listCampaigns: db.prepare<[], CampaignRow>('SELECT * FROM campaigns ORDER BY created_at, id'),
      setStatus: db.prepare('UPDATE campaigns SET status = ?, updated_at = ? WHERE id = ?'),
      saveSnapshot: db.prepare(
        `INSERT INTO snapshots (campaign_id, envelope, saved_at) VALUES (?, ?, ?)
         ON CONFLICT(campaign_id) DO UPDATE SET envelope = excluded.envelope, saved_at = excluded.saved_at`,
      ),
      loadSnapshot: db.prepare<[string], { envelope: string }>(
        'SELECT envelope FROM snapshots WHERE campaign_id = ?',
      ),
      putDeadline: db.prepare(
        `INSERT INTO timeline (campaign_id, key, at, description) VALUES (?, ?, ?, ?)
         ON CONFLICT(campaign_id, key) DO UPDATE SET at = excluded.at, description = excluded.description`,
      ),
      removeDeadline: db.prepare('DELETE FROM timeline WHERE campaign_id = ? AND key = ?'),
      allDeadlines: db.prepare<[], Deadline & { campaign_id: string }>(
        'SELECT * FROM timeline ORDER BY at, key',
      ),
      deadlinesOf: db.prepare<[string], Deadline & { campaign_id: string }>(
        'SELECT * FROM timeline WHERE campaign_id = ? ORDER BY at, key',
      ),
      getAudience: db.prepare<[string, string], { recipient_ids: string }>(
        'SELECT recipient_ids FROM audiences WHERE campaign_id = ? AND step_id = ?',
      ),
      putAudience: db.prepare(
        'INSERT INTO audiences (campaign_id, step_id, recipient_ids) VALUES (?, ?, ?)',
      ),
      insertIntent: db.prepare(
        `INSERT INTO journal (key, campaign_id, step_id, platform, action, recipient_ids, status, intent_at)
         VALUES (@key, @campaignId, @stepId, @platform, @action, @recipientIds, 'intent', @intentAt)
         ON CONFLICT(key) DO NOTHING`,
      ),
      getEntry: db.prepare<[string], JournalRow>('SELECT * FROM journal WHERE key = ?'),
      settle: db.prepare(
        'UPDATE journal SET status = ?, settled_at = ?, result = ?, error = ? WHERE key = ?',
      ),
      reopen: db.prepare(
        "UPDATE journal SET status = 'intent', intent_at = ?, settled_at = NULL, result = NULL, error = NULL WHERE key = ?",
      ),
      journalOf: db.prepare<[string], JournalRow>(
        'SELECT * FROM journal WHERE campaign_id = ? ORDER BY intent_at, key',
      ),
      journalOfStep: db.prepare<[string, string], JournalRow>(
        'SELECT * FROM journal WHERE campaign_id = ? AND step_id = ? ORDER BY intent_at, key',
      ),
      appendEvent: db.prepare(
        'INSERT INTO events (campaign_id, at, actor, type, summary) VALUES (?, ?, ?, ?, ?)',
      ),
      pruneEvents: db.prepare(
        `DELETE FROM events WHERE campaign_id = ? AND seq <= (SELECT seq FROM events WHERE campaign_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ${String(EVENTS_KEPT)})`,
      ),
      pushCommand: db.prepare('INSERT INTO commands (campaign_id, command, at) VALUES (?, ?, ?)'),
      commandsOf: db.prepare<[string], { seq: number; campaign_id: string; command: string }>(
        'SELECT seq, campaign_id, command FROM commands WHERE campaign_id = ? ORDER BY seq',
      ),
      deleteCommand: db.prepare('DELETE FROM commands WHERE seq = ?'),
      heartbeat: db.prepare(
        'INSERT INTO heartbeats (campaign_id, at) VALUES (?, ?) ON CONFLICT(campaign_id) DO UPDATE SET at = excluded.at',
      ),
      lastHeartbeat: db.prepare<[string], { at: number }>(
        'SELECT at FROM heartbeats WHERE campaign_id = ?',
      ),
      recentEvents: db.prepare<[string, number], ActorEventRecord & { campaign_id: string }>(
        'SELECT * FROM (SELECT * FROM events WHERE campaign_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
      ),
    };
  }

  saveRunConfiguration(campaignId: string, configuration: RunConfiguration): void {
    this.#q.saveRunConfiguration.run(campaignId, JSON.stringify(configuration));
  }

  runConfiguration(campaignId: string): RunConfiguration | undefined {
    const row = this.#q.runConfiguration.get(campaignId);
    if (!row) return undefined;
    const parsed = RunConfiguration.safeParse(JSON.parse(row.configuration));
    if (!parsed.success) {
      throw new HeraldError(
        'run_configuration',
        `the run configuration of campaign "${campaignId}" was saved by another version of Herald and cannot be read (${parsed.error.issues[0]?.message ?? 'invalid'})`,
      );
    }
    return parsed.data;
  }

  frozenAudience(campaignId: string, stepId: string): readonly FrozenMember[] | undefined {
    const row = this.#q.getAudience.get(campaignId, stepId);
    return row && (JSON.parse(row.recipient_ids) as FrozenMember[]);
  }

  fenced(lease: SqliteLease, hooks: FencedSqliteHooks): HeraldStore {
    return fencedSqliteStore(this, this.leases, lease, hooks);
  }

  saveCampaign(record: CampaignRecord): Promise<void> {
    this.#q.saveCampaign.run({ ...record, spec: JSON.stringify(record.spec) });
    return Promise.resolve();
  }

  getCampaign(id: string): Promise<CampaignRecord | undefined> {
    const row = this.#q.getCampaign.get(id);
    return Promise.resolve(row && toCampaign(row));
  }

  listCampaigns(): Promise<CampaignRecord[]> {
    return Promise.resolve(this.#q.listCampaigns.all().map(toCampaign));
  }

  setStatus(id: string, status: CampaignStatus, at: number): Promise<void> {
    this.#q.setStatus.run(status, at, id);
    return Promise.resolve();
  }

  saveSnapshot(campaignId: string, envelope: SnapshotEnvelope): Promise<void> {
    this.#q.saveSnapshot.run(campaignId, JSON.stringify(envelope), envelope.savedAt);
    return Promise.resolve();
  }

  loadSnapshot(campaignId: string): Promise<SnapshotEnvelope | undefined> {
    const row = this.#q.loadSnapshot.get(campaignId);
    return Promise.resolve(row && (JSON.parse(row.envelope) as SnapshotEnvelope));
  }

  putDeadline(deadline: Deadline): Promise<void> {
    this.#q.putDeadline.run(deadline.campaignId, deadline.key, deadline.at, deadline.description);
    return Promise.resolve();
  }

  removeDeadline(campaignId: string, key: string): Promise<void> {
    this.#q.removeDeadline.run(campaignId, key);
    return Promise.resolve();
  }

  listDeadlines(campaignId?: string): Promise<Deadline[]> {
    const rows =
      campaignId === undefined ? this.#q.allDeadlines.all() : this.#q.deadlinesOf.all(campaignId);
    return Promise.resolve(
      rows.map((r) => ({
        campaignId: r.campaign_id,
        key: r.key,
        at: r.at,
        description: r.description,
      })),
    );
  }

  freezeAudience(
    campaignId: string,
    stepId: string,
    members: readonly FrozenMember[],
  ): Promise<readonly FrozenMember[]> {
    const frozen = this.#db.transaction(() => {
      const row = this.#q.getAudience.get(campaignId, stepId);
      if (row) return JSON.parse(row.recipient_ids) as FrozenMember[];
      this.#q.putAudience.run(campaignId, stepId, JSON.stringify(members));
      return members;
    })();
    return Promise.resolve(frozen);
  }

  recordIntent(
    entry: Omit<JournalEntry, 'status' | 'settledAt' | 'result' | 'error'>,
  ): Promise<JournalEntry | undefined> {
    const inserted = this.#q.insertIntent.run({
      ...entry,
      recipientIds: JSON.stringify(entry.recipientIds),
    });
    if (inserted.changes === 1) return Promise.resolve(undefined);
    return Promise.resolve(toEntry(this.#q.getEntry.get(entry.key)!));
  }

  settle(
    key: string,
    outcome: Pick<JournalEntry, 'status' | 'result' | 'error'> & { at: number },
  ): Promise<void> {
    this.#q.settle.run(
      outcome.status,
      outcome.at,
      outcome.result === undefined ? null : JSON.stringify(outcome.result),
      outcome.error === undefined ? null : JSON.stringify(outcome.error),
      key,
    );
    return Promise.resolve();
  }

  reopen(key: string, at: number): Promise<void> {
    this.#q.reopen.run(at, key);
    return Promise.resolve();
  }

  getEntry(key: string): Promise<JournalEntry | undefined> {
    const row = this.#q.getEntry.get(key);
    return Promise.resolve(row && toEntry(row));
  }

  journal(campaignId: string, stepId?: string): Promise<JournalEntry[]> {
    const rows =
      stepId === undefined
        ? this.#q.journalOf.all(campaignId)
        : this.#q.journalOfStep.all(campaignId, stepId);
    return Promise.resolve(rows.map(toEntry));
  }

  appendEvent(event: ActorEventRecord): Promise<void> {
    this.#q.appendEvent.run(event.campaignId, event.at, event.actor, event.type, event.summary);
    if (++this.#eventsSincePrune >= 100) {
      this.#eventsSincePrune = 0;
      this.#q.pruneEvents.run(event.campaignId, event.campaignId);
    }
    return Promise.resolve();
  }

  recentEvents(campaignId: string, limit: number): Promise<ActorEventRecord[]> {
    return Promise.resolve(
      this.#q.recentEvents.all(campaignId, limit).map((r) => ({
        campaignId: r.campaign_id,
        at: r.at,
        actor: r.actor,
        type: r.type,
        summary: r.summary,
      })),
    );
  }

  pushCommand(campaignId: string, command: CampaignCommand, at: number): Promise<void> {
    this.#q.pushCommand.run(campaignId, command, at);
    return Promise.resolve();
  }

  takeCommands(
    campaignIds: readonly string[],
  ): Promise<{ campaignId: string; command: CampaignCommand }[]> {
    const taken = this.#db.transaction(() =>
      campaignIds.flatMap((id) =>
        this.#q.commandsOf.all(id).map((row) => {
          this.#q.deleteCommand.run(row.seq);
          return { campaignId: row.campaign_id, command: row.command as CampaignCommand };
        }),
      ),
    )();
    return Promise.resolve(taken);
  }

  heartbeat(campaignIds: readonly string[], at: number): Promise<void> {
    this.#db.transaction(() => {
      for (const id of campaignIds) this.#q.heartbeat.run(id, at);
    })();
    return Promise.resolve();
  }

  lastHeartbeat(campaignId: string): Promise<number | undefined> {
    return Promise.resolve(this.#q.lastHeartbeat.get(campaignId)?.at);
  }

  close(): Promise<void> {
    this.#db.close();
    return Promise.resolve();
  }
}

function toEntry(row: JournalRow): JournalEntry {
  return {
    key: row.key,
    campaignId: row.campaign_id,
    stepId: row.step_id,
    platform: row.platform,
    action: row.action,
    recipientIds: JSON.parse(row.recipient_ids) as string[],
    status: row.status as JournalStatus,
    intentAt: row.intent_at,
    ...(row.settled_at === null ? {} : { settledAt: row.settled_at }),
    ...(row.result === null ? {} : { result: JSON.parse(row.result) as unknown }),
    ...(row.error === null
      ? {}
      : { error: JSON.parse(row.error) as { code: string; message: string } }),
  };
}
