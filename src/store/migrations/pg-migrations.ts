/**
 * @module
 * The PostgreSQL schema as numbered migrations, applied in order by `migratePostgres` and
 * recorded in `herald_migrations`. A migration is never edited once released; a change is a
 * new row at the end.
 */

/** One schema change. */
export interface PgMigration {
  /** Position in the sequence, from 1, without gaps. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Every migration, oldest first. */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE campaigns (
  id TEXT PRIMARY KEY, spec TEXT NOT NULL, status TEXT NOT NULL,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE snapshots (
  campaign_id TEXT PRIMARY KEY, envelope TEXT NOT NULL, saved_at BIGINT NOT NULL);
CREATE TABLE timeline (
  campaign_id TEXT NOT NULL, key TEXT NOT NULL, at BIGINT NOT NULL, description TEXT NOT NULL,
  PRIMARY KEY (campaign_id, key));
CREATE TABLE audiences (
  campaign_id TEXT NOT NULL, step_id TEXT NOT NULL, recipient_ids JSONB NOT NULL,
  PRIMARY KEY (campaign_id, step_id));
CREATE TABLE journal (
  key TEXT PRIMARY KEY, campaign_id TEXT NOT NULL, step_id TEXT NOT NULL, platform TEXT NOT NULL,
  action TEXT NOT NULL, recipient_ids JSONB NOT NULL, status TEXT NOT NULL,
  intent_at BIGINT NOT NULL, settled_at BIGINT, result JSONB, error JSONB);
CREATE INDEX journal_by_step ON journal (campaign_id, step_id);
CREATE TABLE events (
  seq BIGSERIAL PRIMARY KEY, campaign_id TEXT NOT NULL, at BIGINT NOT NULL,
  actor TEXT NOT NULL, type TEXT NOT NULL, summary TEXT NOT NULL);
CREATE INDEX events_by_campaign ON events (campaign_id, seq);
CREATE TABLE commands (
  seq BIGSERIAL PRIMARY KEY, campaign_id TEXT NOT NULL, command TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX commands_by_campaign ON commands (campaign_id, seq);
CREATE TABLE heartbeats (campaign_id TEXT PRIMARY KEY, at BIGINT NOT NULL);
`,
  },
  {
    version: 2,
    name: 'leases',
    sql: `
CREATE TABLE leases (
  campaign_id TEXT PRIMARY KEY, owner TEXT NOT NULL, fencing_token BIGINT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL);
`,
  },
  {
    version: 3,
    name: 'dispatches',
    sql: `
CREATE TABLE dispatches (
  key TEXT NOT NULL, campaign_id TEXT NOT NULL, owner TEXT NOT NULL, fencing_token BIGINT NOT NULL,
  at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (key, fencing_token));
`,
  },
];
