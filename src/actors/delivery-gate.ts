/**
 * @module
 * The check every batch passes just before it is sent: who may receive it now, who must wait
 * (quiet hours, a region's SMS window) and who may not receive it at all, with the reason.
 */
import type { Recipient } from '../connectors/connector.js';
import type { CampaignSpec, Step } from '../spec/campaign-schema.js';

/** The gate's verdict on one batch. */
export interface GateVerdict {
  readonly allowed: readonly Recipient[];
  /** Recipients to send to at `until` (epoch ms) instead. */
  readonly deferred: readonly { readonly recipient: Recipient; readonly until: number }[];
  readonly suppressed: readonly { readonly recipient: Recipient; readonly reason: string }[];
}

/** Decides, per recipient, whether a send at `at` may go out. */
export interface DeliveryGate {
  check(
    recipients: readonly Recipient[],
    context: { spec: CampaignSpec; step: Step; at: number },
  ): GateVerdict;
}

/** A gate that lets everyone through, for callers that apply their own rules. */
export const openGate: DeliveryGate = {
  check: (recipients) => ({ allowed: recipients, deferred: [], suppressed: [] }),
};
