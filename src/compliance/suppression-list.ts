/**
 * @module
 * Global and per-channel suppression, by person id or address, with a live stream of changes.
 * An unsubscribe or bounce is applied here once and reaches every running campaign at once:
 * each campaign subscribes to `changes` and the recipient gate consults the list before every
 * send.
 */
import { Subject, type Observable } from 'rxjs';
import type { SuppressionReason } from './consent-subject.js';
import type { Channel } from './regional-policy.js';

/** The scope of a suppression: one channel or all of them. */
export type SuppressionScope = Channel | 'all';

/** One suppression, as recorded and as broadcast. */
export interface SuppressionEvent {
  /** Person id, when known. */
  readonly personId?: string;
  /** Email address or phone number, when the event came from a provider (bounce, STOP). */
  readonly address?: string;
  readonly scope: SuppressionScope;
  readonly reason: SuppressionReason;
  /** ISO 8601 instant the event happened. */
  readonly at: string;
}

/** Who the gate asks about. */
export interface SuppressionQuery {
  readonly id: string;
  readonly email?: string;
  readonly phone?: string;
}

/** Answers whether a person may not be contacted on a channel. Synchronous: it sits in the hot path. */
export interface SuppressionLookup {
  /** The reason the person is suppressed on `channel`, or `undefined`. */
  suppressionOf(person: SuppressionQuery, channel: Channel): SuppressionReason | undefined;
}

/** Lowercases emails and keeps only `+` and digits of phone numbers, so lookups match. */
export function normaliseAddress(address: string): string {
  const trimmed = address.trim().toLowerCase();
  return trimmed.includes('@') ? trimmed : trimmed.replace(/[^\d+]/g, '');
}

/**
 * In-memory suppression list.
 * @example
 * const list = new SuppressionList();
 * list.changes.subscribe((e) => campaign.send({ type: 'recipient.suppressed', ...e }));
 * list.suppress({ address: 'a@example.com', scope: 'email', reason: 'bounce', at: iso });
 */
export class SuppressionList implements SuppressionLookup {
  readonly #entries = new Map<string, Map<SuppressionScope, SuppressionReason>>();
  readonly #changes = new Subject<SuppressionEvent>();

  /** Every suppression as it is recorded; subscribe once per running campaign. */
  get changes(): Observable<SuppressionEvent> {
    return this.#changes.asObservable();
  }

  /** Records a suppression and broadcasts it to every subscriber. */
  suppress(event: SuppressionEvent): void {
    for (const key of keysOf(event)) {
      let scopes = this.#entries.get(key);
      if (scopes === undefined) {
        scopes = new Map();
        this.#entries.set(key, scopes);
      }
      scopes.set(event.scope, event.reason);
    }
    this.#changes.next(event);
  }

  /** Lifts a suppression (a person re-subscribed); true when one existed. */
  lift(key: { personId?: string; address?: string }, scope: SuppressionScope): boolean {
    let lifted = false;
    for (const k of keysOf(key)) lifted = this.#entries.get(k)?.delete(scope) === true || lifted;
    return lifted;
  }

  suppressionOf(person: SuppressionQuery, channel: Channel): SuppressionReason | undefined {
    const keys = [`p:${person.id}`];
    if (person.email !== undefined) keys.push(`a:${normaliseAddress(person.email)}`);
    if (person.phone !== undefined) keys.push(`a:${normaliseAddress(person.phone)}`);
    for (const key of keys) {
      const scopes = this.#entries.get(key);
      const reason = scopes?.get('all') ?? scopes?.get(channel);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }

  /** Number of suppressed keys. */
  get size(): number {
    return this.#entries.size;
  }

  /** Completes the change stream (on shutdown). */
  close(): void {
    this.#changes.complete();
  }
}

function keysOf(key: { personId?: string; address?: string }): string[] {
  const keys: string[] = [];
  if (key.personId !== undefined) keys.push(`p:${key.personId}`);
  if (key.address !== undefined) keys.push(`a:${normaliseAddress(key.address)}`);
  return keys;
}
