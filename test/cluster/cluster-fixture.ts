/**
 * What the cluster tests share: a unique PostgreSQL schema and Redis prefix per test file,
 * and the check of the sandbox's deliveries against the journal (as test/crash does).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import type { JournalEntry } from '../../src/store/herald-store.js';
import { CRASH_CHANNELS, crashRecipients } from '../crash/crash-campaign.js';
import { dropSchema, uniqueSchema } from '../store/pg-test-schema.js';

/** A unique schema and key prefix, and how to drop them. */
export function clusterNamespace(label: string, storeUrl: string, queueUrl: string) {
  const schema = uniqueSchema(label);
  const prefix = `herald-test-${randomUUID().slice(0, 8)}`;
  return {
    schema,
    prefix,
    async drop(): Promise<void> {
      await dropSchema(storeUrl, schema);
      const redis = new Redis(queueUrl);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}

/** Deliveries per campaign, step and recipient, and those reported as unknown outcomes. */
export interface DeliveryAudit {
  /** `campaign:step:recipient` received more than once. */
  readonly twice: readonly string[];
  /** `campaign:step:recipient` neither received nor reported unknown. */
  readonly missing: readonly string[];
  /** Deliveries carrying a key Herald never journaled. */
  readonly unjournaled: number;
  readonly delivered: number;
  readonly unknown: number;
}

/** Checks every campaign's deliveries in the sandbox against its journal. */
export function auditDeliveries(
  sandbox: Sandbox,
  journal: readonly JournalEntry[],
  campaignIds: readonly string[],
  recipients: number,
): DeliveryAudit {
  const ids = new Map(crashRecipients(recipients).map((r) => [r.email!, r.id]));
  const entryOf = new Map(journal.map((e) => [e.key, e]));
  const unknown = new Set(
    journal
      .filter((e) => e.status === 'unknown')
      .flatMap((e) => e.recipientIds.map((r) => `${e.campaignId}:${e.stepId}:${r}`)),
  );
  const received = new Map<string, number>();
  let unjournaled = 0;
  for (const platform of new Set(Object.values(CRASH_CHANNELS))) {
    for (const delivery of sandbox.deliveries(platform)) {
      const entry = entryOf.get(delivery.key!);
      if (!entry) {
        unjournaled++;
        continue;
      }
      const key = `${entry.campaignId}:${entry.stepId}:${ids.get(delivery.recipient)!}`;
      received.set(key, (received.get(key) ?? 0) + 1);
    }
  }
  const missing: string[] = [];
  for (const campaignId of campaignIds) {
    for (const step of Object.keys(CRASH_CHANNELS)) {
      for (const id of ids.values()) {
        const key = `${campaignId}:${step}:${id}`;
        if (!received.has(key) && !unknown.has(key)) missing.push(key);
      }
    }
  }
  return {
    twice: [...received].filter(([, n]) => n > 1).map(([k]) => k),
    missing,
    unjournaled,
    delivered: received.size,
    unknown: unknown.size,
  };
}
