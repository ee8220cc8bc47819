/**
 * @module
 * A store-agnostic record of consent per person and channel, with source and time. The
 * interface is asynchronous so a SQL store can implement it; the in-memory ledger is the
 * embedded default and the reference for tests. Every change is broadcast, and the ledger is
 * an erasure target.
 */
import { Subject, type Observable } from 'rxjs';
import type { ConsentRecord, ConsentSubject } from './consent-subject.js';
import type { ErasureIdentifiers, ErasureOutcome, ErasureTarget } from './erasure-target.js';
import type { Channel } from './regional-policy.js';

/** A consent record with the person it belongs to. */
export interface ConsentEntry extends ConsentRecord {
  readonly personId: string;
}

/** Where consent lives. */
export interface ConsentLedger extends ErasureTarget {
  /** Appends a record; history is never rewritten except by erasure. */
  record(entry: ConsentEntry): Promise<void>;
  /** The person's records, oldest first, optionally for one channel. */
  history(personId: string, channel?: Channel): Promise<readonly ConsentRecord[]>;
  /** Every record as it is appended. */
  readonly changes: Observable<ConsentEntry>;
}

/**
 * The in-memory ledger.
 * @example
 * const ledger = new InMemoryConsentLedger();
 * await ledger.record({ personId: 'p1', channel: 'email', status: 'granted', kind: 'express', source: 'signup_form', at: iso });
 * const subject = { id: 'p1', country: 'DE', consents: await ledger.history('p1') };
 */
export class InMemoryConsentLedger implements ConsentLedger {
  readonly name = 'consent_ledger';
  readonly #records = new Map<string, ConsentRecord[]>();
  readonly #changes = new Subject<ConsentEntry>();

  get changes(): Observable<ConsentEntry> {
    return this.#changes.asObservable();
  }

  record(entry: ConsentEntry): Promise<void> {
    const { personId, ...record } = entry;
    const list = this.#records.get(personId) ?? [];
    list.push(record);
    list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    this.#records.set(personId, list);
    this.#changes.next(entry);
    return Promise.resolve();
  }

  history(personId: string, channel?: Channel): Promise<readonly ConsentRecord[]> {
    const list = this.#records.get(personId) ?? [];
    return Promise.resolve(
      channel === undefined ? [...list] : list.filter((r) => r.channel === channel),
    );
  }

  erase(who: ErasureIdentifiers): Promise<ErasureOutcome> {
    const list = who.personId === undefined ? undefined : this.#records.get(who.personId);
    if (list === undefined) return Promise.resolve({ status: 'not_found' });
    this.#records.delete(who.personId!);
    return Promise.resolve({ status: 'erased', count: list.length });
  }
}

/** What the gate needs to know about a person besides their consent. */
export type ConsentProfile = Omit<ConsentSubject, 'consents'>;

/**
 * Builds the gate's view of a person from their profile and the ledger.
 * @example
 * const subjects = await Promise.all(profiles.map((p) => consentSubjectOf(ledger, p)));
 * const { allowed } = gateRecipients(subjects, { channel: 'email', policy, now });
 */
export async function consentSubjectOf(
  ledger: Pick<ConsentLedger, 'history'>,
  profile: ConsentProfile,
): Promise<ConsentSubject> {
  return { ...profile, consents: await ledger.history(profile.id) };
}
