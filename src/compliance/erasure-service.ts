/**
 * @module
 * Carries out a right-to-erasure request: tombstones the person first (so nothing re-imports
 * them mid-way), tells running campaigns to drop them, asks every store and connected platform to delete them, and records the
 * request with each target's outcome. Records hold only hashes, never the identifiers.
 */
import { isHeraldError } from '../errors.js';
import type { ErasureIdentifiers, ErasureOutcome, ErasureTarget } from './erasure-target.js';
import type { TombstoneSet } from './erasure-tombstones.js';
import type { SuppressionEvent } from './suppression-list.js';

/** The record kept of one erasure request. */
export interface ErasureRecord {
  readonly requestId: string;
  /** ISO 8601. */
  readonly requestedAt: string;
  readonly completedAt: string;
  /** Tombstone hashes of the identifiers erased. */
  readonly subjectHashes: readonly string[];
  readonly outcomes: readonly { readonly target: string; readonly outcome: ErasureOutcome }[];
  /** True when every target erased, found nothing, or accepted the request. */
  readonly complete: boolean;
}

/** Where erasure records are kept. */
export interface ErasureLog {
  append(record: ErasureRecord): Promise<void>;
  list(): Promise<readonly ErasureRecord[]>;
}

/** The in-memory erasure log. */
export class InMemoryErasureLog implements ErasureLog {
  readonly #records: ErasureRecord[] = [];

  append(record: ErasureRecord): Promise<void> {
    this.#records.push(record);
    return Promise.resolve();
  }

  list(): Promise<readonly ErasureRecord[]> {
    return Promise.resolve([...this.#records]);
  }
}

/** Options of {@link ErasureService}. */
export interface ErasureServiceOptions {
  /** Stores and connectors holding personal data. */
  readonly targets: readonly ErasureTarget[];
  readonly tombstones: TombstoneSet;
  /** @default a new InMemoryErasureLog */
  readonly log?: ErasureLog;
  /**
   * Where running campaigns hear of the erasure: the person id (never an address) is
   * suppressed on every channel at once. @default none
   */
  readonly suppressions?: { suppress(event: SuppressionEvent): void };
  /** Time source, epoch ms (a `Clock`'s `now`). */
  readonly now: () => number;
}

/**
 * Runs erasure requests across every target.
 * @example
 * const service = new ErasureService({ targets: [ledger, store, sendgrid], tombstones, now: clock.now });
 * const record = await service.erase('req-1', { personId: 'p1', emails: ['a@example.com'] });
 */
export class ErasureService {
  readonly #options: ErasureServiceOptions;
  readonly log: ErasureLog;

  constructor(options: ErasureServiceOptions) {
    this.#options = options;
    this.log = options.log ?? new InMemoryErasureLog();
  }

  /** Erases a person everywhere; a target that throws is recorded as failed. */
  async erase(
    requestId: string,
    who: ErasureIdentifiers,
    signal?: AbortSignal,
  ): Promise<ErasureRecord> {
    const requestedAt = new Date(this.#options.now()).toISOString();
    const subjectHashes = this.#options.tombstones.add(who);
    if (who.personId !== undefined) {
      this.#options.suppressions?.suppress({
        personId: who.personId,
        scope: 'all',
        reason: 'erasure',
        at: requestedAt,
      });
    }
    const settled = await Promise.allSettled(
      this.#options.targets.map((t) => t.erase(who, signal)),
    );
    const outcomes = settled.map((s, i) => ({
      target: this.#options.targets[i]!.name,
      outcome: s.status === 'fulfilled' ? s.value : failure(s.reason),
    }));
    const record: ErasureRecord = {
      requestId,
      requestedAt,
      completedAt: new Date(this.#options.now()).toISOString(),
      subjectHashes,
      outcomes,
      complete: outcomes.every((o) => o.outcome.status !== 'failed'),
    };
    await this.log.append(record);
    return record;
  }
}

function failure(reason: unknown): ErasureOutcome {
  // The thrown message may quote the person; only the code and class are kept.
  const code = isHeraldError(reason) ? reason.code : 'erasure_failed';
  const name = reason instanceof Error ? reason.name : 'non-error';
  return { status: 'failed', code, message: `target threw ${name}`, retryable: true };
}
