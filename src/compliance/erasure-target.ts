/**
 * @module
 * The contract every store and connector that holds personal data implements, so a
 * right-to-erasure request reaches all of them the same way.
 */

/** Who to erase: a person id and/or the addresses they are known by on platforms. */
export interface ErasureIdentifiers {
  readonly personId?: string;
  readonly emails?: readonly string[];
  readonly phones?: readonly string[];
}

/** What a target did with an erasure request. */
export type ErasureOutcome =
  /** Deleted now; `count` records removed where known. */
  | { readonly status: 'erased'; readonly count?: number }
  /** The target held nothing about the person. */
  | { readonly status: 'not_found' }
  /** Accepted for asynchronous deletion (most platform APIs); `reference` tracks it. */
  | { readonly status: 'pending'; readonly reference: string }
  | {
      readonly status: 'failed';
      readonly code: string;
      readonly message: string;
      readonly retryable: boolean;
    };

/**
 * A store or platform that can delete a person.
 * @example
 * const target: ErasureTarget = {
 *   name: 'sendgrid',
 *   async erase(who) { await deleteContacts(who.emails ?? []); return { status: 'pending', reference: jobId }; },
 * };
 */
export interface ErasureTarget {
  /** Stable name used in erasure records, e.g. `store`, `sendgrid`, `meta_ads`. */
  readonly name: string;
  /** Deletes the person. Returns `failed` rather than throwing for expected failures. */
  erase(who: ErasureIdentifiers, signal?: AbortSignal): Promise<ErasureOutcome>;
}
