/**
 * @module
 * Frequency capping applied to planned waves: each recipient's send is checked against their
 * history across campaigns; deferred sends regroup into later waves, dropped ones leave, and
 * every decision other than "allowed" is returned with its reason.
 */
import type { Recipient } from '../connectors/connector.js';
import {
  applyFrequencyCap,
  type CapDecision,
  type FrequencyCap,
  type SendRecord,
} from './frequency-cap.js';
import type { SendWave } from './plan-step.js';
import type { Channel } from './send-window.js';
import { formatInstantIn, isKnownZone } from './zone-offset.js';

/** Options of {@link capWaves}. */
export interface CapWavesOptions {
  readonly channel: Channel;
  /** Sends to the same people on the same channel, from every campaign. */
  readonly history: readonly SendRecord[];
  readonly cap: FrequencyCap;
  /** Moves a deferred send into the recipient's window (see `nextInstantInWindow`). @default none */
  readonly adjust?: (at: number, recipient: Recipient) => number;
  /** Zone for labels of deferred waves whose recipient has no known zone. @default "UTC" */
  readonly fallbackZone?: string;
}

/** Waves after capping, and the sends the cap moved or removed. */
export interface CappedPlan {
  readonly waves: SendWave[];
  /** Deferred and dropped sends, each with its reason, in wave order. */
  readonly decisions: CapDecision[];
}

/**
 * Applies `options.cap` to every recipient of `waves`.
 * @example
 * const { waves, decisions } = capWaves(planned, { channel: 'sms', history, cap: spec.compliance.frequencyCap! });
 */
export function capWaves(waves: readonly SendWave[], options: CapWavesOptions): CappedPlan {
  const planned: SendRecord[] = [];
  const owners: { wave: SendWave; recipient: Recipient }[] = [];
  for (const wave of waves) {
    for (const recipient of wave.recipients) {
      planned.push({ recipientId: recipient.id, channel: options.channel, at: wave.at });
      owners.push({ wave, recipient });
    }
  }
  const byId = new Map(owners.map((o) => [o.recipient.id, o.recipient]));
  const adjust = options.adjust;
  const decided = applyFrequencyCap(
    planned,
    options.history,
    options.cap,
    adjust === undefined ? {} : { adjust: (at, send) => adjust(at, byId.get(send.recipientId)!) },
  );
  const out = new Map<
    string,
    { at: number; occurrence: number; label: string; recipients: Recipient[] }
  >();
  const decisions: CapDecision[] = [];
  decided.forEach((decision, i) => {
    const { wave, recipient } = owners[i]!;
    if (decision.status !== 'allowed') decisions.push(decision);
    if (decision.status === 'dropped') return;
    const at = decision.send.at;
    const key = `${at}:${wave.occurrence}`;
    const zone =
      recipient.zone !== undefined && isKnownZone(recipient.zone)
        ? recipient.zone
        : (options.fallbackZone ?? 'UTC');
    const label = at === wave.at ? wave.label : formatInstantIn(at, zone);
    const group = out.get(key);
    if (group === undefined)
      out.set(key, { at, occurrence: wave.occurrence, label, recipients: [recipient] });
    else group.recipients.push(recipient);
  });
  const sorted = [...out.values()].sort((a, b) => a.at - b.at || a.occurrence - b.occurrence);
  return { waves: sorted, decisions };
}
