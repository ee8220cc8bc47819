/**
 * @module
 * Tombstones of erased people: keyed hashes of their identifiers, never the identifiers, so a
 * later import cannot bring them back and the tombstone itself holds no personal data.
 */
import { createHmac } from 'node:crypto';
import type { ErasureIdentifiers } from './erasure-target.js';
import { normaliseAddress } from './suppression-list.js';

/** A profile about to be imported. */
export interface ImportProfile {
  readonly id?: string;
  readonly email?: string;
  readonly phone?: string;
}

/** The outcome of {@link TombstoneSet.filterImport}. */
export interface ImportFilter<P> {
  readonly kept: P[];
  /** Profiles matching a tombstone; they must not be imported. */
  readonly blocked: P[];
}

/**
 * Hashes of erased identifiers. With a `pepper` (a secret kept apart from the store) the
 * hashes resist dictionary attacks on email addresses.
 * @example
 * const tombstones = new TombstoneSet({ pepper: secret });
 * tombstones.add({ emails: ['a@example.com'] });
 * tombstones.filterImport([{ email: 'A@example.com ' }]).blocked.length; // 1
 */
export class TombstoneSet {
  readonly #hashes = new Set<string>();
  readonly #pepper: string;

  /** @param options.pepper - HMAC key for the hashes. @default "herald-tombstone" */
  constructor(options: { pepper?: string } = {}) {
    this.#pepper = options.pepper ?? 'herald-tombstone';
  }

  /** The hashes of every identifier in `who`. */
  hashesOf(who: ErasureIdentifiers): string[] {
    const keys: string[] = [];
    if (who.personId !== undefined) keys.push(`id:${who.personId}`);
    for (const email of who.emails ?? []) keys.push(`addr:${normaliseAddress(email)}`);
    for (const phone of who.phones ?? []) keys.push(`addr:${normaliseAddress(phone)}`);
    return keys.map((k) => createHmac('sha256', this.#pepper).update(k).digest('hex'));
  }

  /** Adds tombstones for every identifier; returns the hashes stored. */
  add(who: ErasureIdentifiers): string[] {
    const hashes = this.hashesOf(who);
    for (const h of hashes) this.#hashes.add(h);
    return hashes;
  }

  /** Adds already-hashed tombstones (loaded from a store). */
  addHashes(hashes: Iterable<string>): void {
    for (const h of hashes) this.#hashes.add(h);
  }

  /** True when any identifier of `profile` was erased. */
  isErased(profile: ImportProfile): boolean {
    const who: ErasureIdentifiers = {
      ...(profile.id !== undefined && { personId: profile.id }),
      ...(profile.email !== undefined && { emails: [profile.email] }),
      ...(profile.phone !== undefined && { phones: [profile.phone] }),
    };
    return this.hashesOf(who).some((h) => this.#hashes.has(h));
  }

  /** Splits an import into profiles to keep and profiles that were erased. */
  filterImport<P extends ImportProfile>(profiles: Iterable<P>): ImportFilter<P> {
    const result: ImportFilter<P> = { kept: [], blocked: [] };
    for (const profile of profiles)
      (this.isErased(profile) ? result.blocked : result.kept).push(profile);
    return result;
  }

  /** Every stored hash, for persistence. */
  hashes(): string[] {
    return [...this.#hashes];
  }
}
