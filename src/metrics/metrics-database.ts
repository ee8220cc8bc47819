/**
 * @module
 * `MetricsDatabase`: normalised metric records, collection cursors, rule firings and the log
 * of automatic actions in SQLite (better-sqlite3), in tables of their own beside the store's.
 * Records are keyed by campaign, step, platform, entity and reporting day, so a retried or
 * repeated fetch replaces a row instead of adding to it, and late data updates it.
 */
import Database from 'better-sqlite3';
import type { Platform } from '../spec/platforms.js';
import type { AutomaticAction } from './automatic-action.js';
import { aggregateDaily, type DailyMetrics, type ExpectedSeries } from './daily-metrics.js';
import type { MetricField, MetricValues } from './metric-fields.js';
import type { MetricRecord } from './normalise-metrics.js';

/** Which records to read; every filter is optional but the campaign. */
export interface MetricsQuery {
  readonly campaignId: string;
  readonly stepId?: string;
  readonly platform?: Platform;
  /** First campaign day, inclusive. */
  readonly from?: string;
  /** Last campaign day, inclusive. */
  readonly to?: string;
}

interface RecordRow {
  campaign_id: string;
  step_id: string;
  platform: string;
  entity: string;
  day: string;
  source_day: string;
  source_zone: string;
  values_json: string;
  missing_json: string;
  provisional: number;
  fetched_at: number;
  notes_json: string;
}

interface ActionRow {
  id: string;
  json: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS metric_records (
  campaign_id TEXT NOT NULL, step_id TEXT NOT NULL, platform TEXT NOT NULL, entity TEXT NOT NULL,
  source_day TEXT NOT NULL, day TEXT NOT NULL, source_zone TEXT NOT NULL,
  values_json TEXT NOT NULL, missing_json TEXT NOT NULL, provisional INTEGER NOT NULL,
  fetched_at INTEGER NOT NULL, notes_json TEXT NOT NULL,
  PRIMARY KEY (campaign_id, step_id, platform, entity, source_day)
);
CREATE INDEX IF NOT EXISTS metric_records_by_day ON metric_records (campaign_id, day);
CREATE TABLE IF NOT EXISTS metric_cursors (
  campaign_id TEXT NOT NULL, step_id TEXT NOT NULL, platform TEXT NOT NULL,
  last_day TEXT NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, step_id, platform)
);
CREATE TABLE IF NOT EXISTS metric_rule_firings (
  campaign_id TEXT NOT NULL, rule_id TEXT NOT NULL, fired_at INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, rule_id)
);
CREATE TABLE IF NOT EXISTS metric_actions (
  id TEXT PRIMARY KEY, campaign_id TEXT NOT NULL, at INTEGER NOT NULL, json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS metric_actions_by_campaign ON metric_actions (campaign_id, at);
`;

/**
 * Metric storage queryable by campaign, step, platform and day.
 * @example
 * const metrics = openMetricsDatabase('.herald/herald.db');
 * metrics.upsert(records);
 * metrics.daily({ campaignId: 'launch', from: '2026-03-01', to: '2026-03-07' });
 */
export class MetricsDatabase {
  readonly #db: Database.Database;
  readonly #owned: boolean;
  /** Statements by SQL text, prepared once per connection. */
  readonly #statements = new Map<string, Database.Statement>();

  /** Uses `db` (tables are created if absent); the caller keeps ownership of it. */
  constructor(db: Database.Database, options: { owned?: boolean } = {}) {
    this.#db = db;
    this.#owned = options.owned ?? false;
    this.#db.exec(SCHEMA);
  }

  #prepare(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Stores records; a record replaces the stored one of the same key unless that one was
   * fetched later. Returns how many rows changed.
   */
  upsert(records: readonly MetricRecord[]): number {
    const statement = this.#prepare(`
      INSERT INTO metric_records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (campaign_id, step_id, platform, entity, source_day) DO UPDATE SET
        day = excluded.day, source_zone = excluded.source_zone, values_json = excluded.values_json,
        missing_json = excluded.missing_json, provisional = excluded.provisional,
        fetched_at = excluded.fetched_at, notes_json = excluded.notes_json
      WHERE excluded.fetched_at >= metric_records.fetched_at`);
    let changed = 0;
    this.#db.transaction(() => {
      // Positional values, in the table's column order: binding them is cheaper than by name.
      for (const r of records) {
        changed += statement.run(
          r.campaignId,
          r.stepId,
          r.platform,
          r.entity,
          r.sourceDay,
          r.day,
          r.sourceZone,
          JSON.stringify(r.values),
          JSON.stringify(r.missing),
          r.provisional ? 1 : 0,
          r.fetchedAt,
          JSON.stringify(r.notes),
        ).changes;
      }
    })();
    return changed;
  }

  /** Records matching `query`, ordered by day. */
  records(query: MetricsQuery): MetricRecord[] {
    const where = ['campaign_id = @campaignId'];
    if (query.stepId !== undefined) where.push('step_id = @stepId');
    if (query.platform !== undefined) where.push('platform = @platform');
    if (query.from !== undefined) where.push('day >= @from');
    if (query.to !== undefined) where.push('day <= @to');
    const rows = this.#prepare(
      `SELECT * FROM metric_records WHERE ${where.join(' AND ')} ORDER BY day, step_id, platform, entity`,
    ).all(query) as RecordRow[];
    return rows.map((row) => ({
      campaignId: row.campaign_id,
      stepId: row.step_id,
      platform: row.platform as Platform,
      entity: row.entity,
      day: row.day,
      sourceDay: row.source_day,
      sourceZone: row.source_zone,
      values: JSON.parse(row.values_json) as MetricValues,
      missing: JSON.parse(row.missing_json) as MetricField[],
      provisional: row.provisional === 1,
      fetchedAt: row.fetched_at,
      notes: JSON.parse(row.notes_json) as string[],
    }));
  }

  /**
   * One row per step, platform and day of `from`..`to`, days without data marked missing.
   * Without a range, from the first to the last day stored.
   */
  daily(query: MetricsQuery, expected: readonly ExpectedSeries[] = []): DailyMetrics[] {
    const records = this.records(query);
    const from = query.from ?? records[0]?.day;
    const to = query.to ?? records.at(-1)?.day;
    if (from === undefined || to === undefined) return [];
    return aggregateDaily(records, { from, to }, expected);
  }

  /** The last platform day fetched for a step, or undefined before the first run. */
  cursor(campaignId: string, stepId: string, platform: Platform): string | undefined {
    const row = this.#prepare(
      'SELECT last_day FROM metric_cursors WHERE campaign_id = ? AND step_id = ? AND platform = ?',
    ).get(campaignId, stepId, platform) as { last_day: string } | undefined;
    return row?.last_day;
  }

  /** Moves a step's cursor forward (never back). */
  setCursor(campaignId: string, stepId: string, platform: Platform, day: string, at: number): void {
    this.#prepare(
      `INSERT INTO metric_cursors VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (campaign_id, step_id, platform) DO UPDATE SET
           last_day = max(last_day, excluded.last_day), updated_at = excluded.updated_at`,
    ).run(campaignId, stepId, platform, day, at);
  }

  /** Claims a rule's single firing; false when it already fired. */
  claimFiring(campaignId: string, ruleId: string, at: number): boolean {
    return (
      this.#prepare('INSERT OR IGNORE INTO metric_rule_firings VALUES (?, ?, ?)').run(
        campaignId,
        ruleId,
        at,
      ).changes === 1
    );
  }

  /** Gives a claimed firing back (its action failed and may be tried again). */
  releaseFiring(campaignId: string, ruleId: string): void {
    this.#prepare('DELETE FROM metric_rule_firings WHERE campaign_id = ? AND rule_id = ?').run(
      campaignId,
      ruleId,
    );
  }

  /** True when the rule has fired for the campaign. */
  hasFired(campaignId: string, ruleId: string): boolean {
    return (
      this.#prepare('SELECT 1 FROM metric_rule_firings WHERE campaign_id = ? AND rule_id = ?').get(
        campaignId,
        ruleId,
      ) !== undefined
    );
  }

  /** Records (or updates, e.g. when reverted) an automatic action. */
  saveAction(action: AutomaticAction): void {
    this.#prepare(
      `INSERT INTO metric_actions VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET json = excluded.json`,
    ).run(action.id, action.campaignId, action.at, JSON.stringify(action));
  }

  /** One automatic action by id. */
  action(id: string): AutomaticAction | undefined {
    const row = this.#prepare('SELECT id, json FROM metric_actions WHERE id = ?').get(id) as
      ActionRow | undefined;
    return row ? (JSON.parse(row.json) as AutomaticAction) : undefined;
  }

  /** Every automatic action of a campaign, oldest first. */
  actions(campaignId: string): AutomaticAction[] {
    const rows = this.#prepare(
      'SELECT id, json FROM metric_actions WHERE campaign_id = ? ORDER BY at, id',
    ).all(campaignId) as ActionRow[];
    return rows.map((row) => JSON.parse(row.json) as AutomaticAction);
  }

  /** Closes the connection when this object opened it. */
  close(): void {
    if (this.#owned) this.#db.close();
  }
}

/** Opens (creating if needed) the metric tables in the SQLite file at `path` (`:memory:` works). */
export function openMetricsDatabase(path: string): MetricsDatabase {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return new MetricsDatabase(db, { owned: true });
}
