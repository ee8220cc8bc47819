/**
 * @module
 * Exactly-once side effects: an intent row before each call, a settled row after, and on
 * resume a reconciliation with the platform before anything is sent again. Where the
 * platform cannot tell, the call is reported as an unknown outcome, never re-sent.
 */
import type { ActionRequest, ActionResult, Connector } from '../connectors/connector.js';
import { isConnectorError } from '../connectors/connector-error.js';
import type { Clock } from '../schedule/clock.js';
import type { HeraldStore, JournalEntry } from '../store/herald-store.js';
import { StepFailure } from './step-failure.js';

/** How a journaled call ended. */
export type CallOutcome =
  | { readonly status: 'done'; readonly result: ActionResult; readonly replayed: boolean }
  | { readonly status: 'unknown'; readonly reason: string };

/** Performs journaled calls; one instance per runtime so concurrent attempts of one key serialise. */
export class JournaledCaller {
  readonly #store: HeraldStore;
  readonly #clock: Clock;
  readonly #inflight = new Map<
    string,
    { readonly step: string; readonly work: Promise<unknown> }
  >();

  constructor(store: HeraldStore, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /**
   * Performs `request` on `connector` at most once per idempotency key. Throws `StepFailure`
   * when the platform refused it (safe to retry: the refusal is journaled as failed).
   */
  async call(connector: Connector, request: ActionRequest): Promise<CallOutcome> {
    const key = request.idempotencyKey;
    // An earlier attempt of this key may still be in flight (a pause or retry left it running).
    while (this.#inflight.has(key)) await this.#inflight.get(key)!.work.catch(() => undefined);
    const work = this.#run(connector, request);
    this.#inflight.set(key, { step: stepOf(request), work });
    try {
      return await work;
    } finally {
      this.#inflight.delete(key);
    }
  }

  /**
   * Resolves once no call of `stepId` is in flight: an attempt a pause or a retry left running
   * has written its outcome, so the journal tells who was sent.
   */
  async idle(campaignId: string, stepId: string): Promise<void> {
    const step = stepOf({ campaignId, stepId });
    for (;;) {
      const running = [...this.#inflight.values()].filter((c) => c.step === step);
      if (running.length === 0) return;
      await Promise.allSettled(running.map((c) => c.work));
    }
  }

  /**
   * Settles an interrupted call (an intent without an outcome) without sending anything: asks
   * the platform whether it took effect. Returns the entry as it now stands; a call the
   * platform never received ends `failed` with code `not_sent`, so its recipients may be sent
   * again under the law of the moment they are.
   */
  async settleInterrupted(connector: Connector, request: ActionRequest): Promise<JournalEntry> {
    const key = request.idempotencyKey;
    const settled = await this.#reconcile(connector, request, 'an earlier attempt was interrupted');
    if (!settled) {
      await this.#store.settle(key, {
        status: 'failed',
        error: { code: 'not_sent', message: `${request.platform} never received this call` },
        at: this.#clock.now(),
      });
    }
    return (await this.#store.getEntry(key))!;
  }

  async #run(connector: Connector, request: ActionRequest): Promise<CallOutcome> {
    const existing = await this.#store.recordIntent({
      key: request.idempotencyKey,
      campaignId: request.campaignId,
      stepId: request.stepId,
      platform: request.platform,
      action: request.action,
      recipientIds: request.recipients.map((r) => r.id),
      intentAt: this.#clock.now(),
    });
    if (existing) {
      const settled = await this.#resumeFrom(existing, connector, request);
      if (settled) return settled;
    }
    return this.#perform(connector, request);
  }

  /** Decides what an existing journal entry means; undefined when the call must be made. */
  async #resumeFrom(
    entry: JournalEntry,
    connector: Connector,
    request: ActionRequest,
  ): Promise<CallOutcome | undefined> {
    switch (entry.status) {
      case 'done':
        return { status: 'done', result: entry.result as ActionResult, replayed: true };
      case 'unknown':
        return { status: 'unknown', reason: entry.error?.message ?? 'outcome unknown' };
      case 'failed':
        await this.#store.reopen(entry.key, this.#clock.now());
        return undefined;
      case 'intent':
        return this.#reconcile(connector, request, 'an earlier attempt was interrupted');
    }
  }

  async #reconcile(
    connector: Connector,
    request: ActionRequest,
    why: string,
  ): Promise<CallOutcome | undefined> {
    const key = request.idempotencyKey;
    const found = await connector.reconcile(request);
    switch (found.status) {
      case 'done':
        await this.#store.settle(key, {
          status: 'done',
          result: found.result,
          at: this.#clock.now(),
        });
        return { status: 'done', result: found.result, replayed: true };
      case 'not_found':
        await this.#store.reopen(key, this.#clock.now());
        return undefined;
      case 'unknown': {
        const reason = `${why}; ${request.platform} cannot tell whether it took effect (${found.reason})`;
        await this.#store.settle(key, {
          status: 'unknown',
          error: { code: 'unknown_outcome', message: reason },
          at: this.#clock.now(),
        });
        return { status: 'unknown', reason };
      }
    }
  }

  async #perform(connector: Connector, request: ActionRequest): Promise<CallOutcome> {
    const key = request.idempotencyKey;
    try {
      const result = await connector.perform(request);
      await this.#store.settle(key, { status: 'done', result, at: this.#clock.now() });
      return { status: 'done', result, replayed: false };
    } catch (error) {
      if (isConnectorError(error) && error.code === 'unknown_outcome') {
        const settled = await this.#reconcile(connector, request, error.message);
        if (settled) return settled;
        // The platform confirmed nothing took effect, so another attempt is safe.
        throw new StepFailure({
          code: 'transient',
          message: error.message,
          retryable: true,
          at: new Date(this.#clock.now()).toISOString(),
        });
      }
      const failure = StepFailure.from(error, this.#clock.now());
      await this.#store.settle(key, {
        status: 'failed',
        error: { code: failure.code, message: failure.message },
        at: this.#clock.now(),
      });
      throw failure;
    }
  }
}

function stepOf(request: Pick<ActionRequest, 'campaignId' | 'stepId'>): string {
  return `${request.campaignId}\u0000${request.stepId}`;
}
