/**
 * @module
 * The check every batch passes at the instant it is sent: who may receive it now, who must
 * wait (quiet hours, a region's SMS window) and who may not receive it at all, with the reason.
 */
import type { Recipient } from '../connectors/connector.js';
import type { CampaignSpec, Step } from '../spec/campaign-schema.js';

/** The gate's verdict on one batch. */
export interface GateVerdict {
  readonly allowed: readonly Recipient[];
  /** Recipients to send to at `until` (epoch ms) instead, and why not now. */
  readonly deferred: readonly {
    readonly recipient: Recipient;
    readonly until: number;
    readonly reason: string;
  }[];
  readonly suppressed: readonly { readonly recipient: Recipient; readonly reason: string }[];
}

/** Decides, per recipient, whether a send at `at` may go out. */
export interface DeliveryGate {
  /** `at` is the instant the batch is sent (epoch ms), not the instant it was planned for. */
  check(
    recipients: readonly Recipient[],
    context: { spec: CampaignSpec; step: Step; at: number },
  ): GateVerdict;
}

/**
 * A gate that lets everyone through: no consent, suppression or sending-window check. Only
 * for callers that enforce the law before Herald sees their recipients; a `CampaignSystem`
 * uses it only when it is passed by this name (`gate: unsafeNoComplianceGate`).
 */
export const unsafeNoComplianceGate: DeliveryGate = {
  check: (recipients) => ({ allowed: recipients, deferred: [], suppressed: [] }),
};
