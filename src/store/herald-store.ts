/**
 * @module
 * The durable state every runtime writes through: campaigns, versioned actor snapshots, the
 * timeline of deadlines, frozen audiences, the journal of side effects and recent actor events.
 * Asynchronous so that the SQLite default and a PostgreSQL store share one interface.
 */
import type { CampaignSpec } from '../spec/campaign-schema.js';

/** Lifecycle of a campaign, as the campaign chart names it. */
export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'monitoring',
  'completed',
  'failed',
  'cancelled',
] as const;
/** Lifecycle of a campaign. */
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** True for statuses a campaign never leaves. */
export function isFinalStatus(status: CampaignStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** A stored campaign. */
export interface CampaignRecord {
  readonly id: string;
  readonly spec: CampaignSpec;
  readonly status: CampaignStatus;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A persisted actor snapshot in its versioned envelope. */
export interface SnapshotEnvelope {
  /** Envelope format version. */
  readonly format: 1;
  /** Version of the machine that produced the snapshot; a mismatch is refused on restore. */
  readonly machineVersion: string;
  /** The input the actor was created with. */
  readonly input: unknown;
  /** XState's persisted snapshot (JSON). */
  readonly snapshot: unknown;
  /** Epoch ms. */
  readonly savedAt: number;
}

/** A recipient as a step's frozen audience keeps it: an id and the zone that places its wave. */
export interface FrozenMember {
  readonly id: string;
  readonly zone?: string;
}

/** A future moment an actor waits for. */
export interface Deadline {
  readonly campaignId: string;
  /** Unique per wait, e.g. `step:blog:scheduled`. */
  readonly key: string;
  /** Epoch ms. */
  readonly at: number;
  readonly description: string;
}

/** Outcome of a journaled side effect. */
export type JournalStatus = 'intent' | 'done' | 'failed' | 'unknown';

/** One side effect: written as an intent before the call, settled after. */
export interface JournalEntry {
  /** Deterministic idempotency key. */
  readonly key: string;
  readonly campaignId: string;
  readonly stepId: string;
  readonly platform: string;
  readonly action: string;
  /** Recipient ids in this call (never addresses). */
  readonly recipientIds: readonly string[];
  readonly status: JournalStatus;
  /** Epoch ms of the intent. */
  readonly intentAt: number;
  /** Epoch ms it settled. */
  readonly settledAt?: number;
  /** JSON of the `ActionResult` when done. */
  readonly result?: unknown;
  /** Error summary or the reason an outcome is unknown. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** A recent event of an actor, kept for `herald inspect`. */
export interface ActorEventRecord {
  readonly campaignId: string;
  readonly at: number;
  /** Actor id within the campaign, e.g. `campaign` or `step:blog`. */
  readonly actor: string;
  readonly type: string;
  readonly summary: string;
}

/** Durable state behind a `CampaignSystem`. */
export interface HeraldStore {
  saveCampaign(record: CampaignRecord): Promise<void>;
  getCampaign(id: string): Promise<CampaignRecord | undefined>;
  listCampaigns(): Promise<CampaignRecord[]>;
  setStatus(id: string, status: CampaignStatus, at: number): Promise<void>;

  saveSnapshot(campaignId: string, envelope: SnapshotEnvelope): Promise<void>;
  loadSnapshot(campaignId: string): Promise<SnapshotEnvelope | undefined>;

  putDeadline(deadline: Deadline): Promise<void>;
  removeDeadline(campaignId: string, key: string): Promise<void>;
  listDeadlines(campaignId?: string): Promise<Deadline[]>;

  /** Freezes the recipients of a step the first time it is planned; returns the frozen list. */
  freezeAudience(
    campaignId: string,
    stepId: string,
    members: readonly FrozenMember[],
  ): Promise<readonly FrozenMember[]>;

  /** Records an intent; returns the existing entry instead when the key is already journaled. */
  recordIntent(
    entry: Omit<JournalEntry, 'status' | 'settledAt' | 'result' | 'error'>,
  ): Promise<JournalEntry | undefined>;
  /** Settles an entry as done, failed or unknown. */
  settle(
    key: string,
    outcome: Pick<JournalEntry, 'status' | 'result' | 'error'> & { at: number },
  ): Promise<void>;
  /** Re-opens a failed or reconciled-as-absent entry for a new attempt. */
  reopen(key: string, at: number): Promise<void>;
  getEntry(key: string): Promise<JournalEntry | undefined>;
  journal(campaignId: string, stepId?: string): Promise<JournalEntry[]>;

  appendEvent(event: ActorEventRecord): Promise<void>;
  recentEvents(campaignId: string, limit: number): Promise<ActorEventRecord[]>;

  /** Queues a control command for whichever process runs the campaign. */
  pushCommand(campaignId: string, command: CampaignCommand, at: number): Promise<void>;
  /** Removes and returns the queued commands of these campaigns, oldest first. */
  takeCommands(
    campaignIds: readonly string[],
  ): Promise<{ campaignId: string; command: CampaignCommand }[]>;
  /** Records that a live process runs these campaigns (wall-clock epoch ms). */
  heartbeat(campaignIds: readonly string[], at: number): Promise<void>;
  /** Wall-clock epoch ms of the last heartbeat of a campaign's runner. */
  lastHeartbeat(campaignId: string): Promise<number | undefined>;

  close(): Promise<void>;
}

/** A control command sent to a running campaign from another process. */
export type CampaignCommand = 'pause' | 'resume' | 'cancel';
