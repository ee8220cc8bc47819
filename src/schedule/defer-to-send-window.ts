/**
 * @module
 * Applies sending windows and quiet hours to planned waves: recipients whose wave falls outside
 * their local window move to a later wave at the window's next opening. Nobody is dropped;
 * every move is recorded with its reason.
 */
import type { Recipient } from '../connectors/connector.js';
import type { CampaignSpec, Step } from '../spec/campaign-schema.js';
import { DEFAULT_DST_POLICY, type DstPolicy } from './dst-policy.js';
import type { SendWave } from './plan-step.js';
import { channelOf, nextInstantInWindow, sendWindowFor, type Channel } from './send-window.js';
import { formatInstantIn, isKnownZone } from './zone-offset.js';

/** How to find each recipient's window. */
export interface SendWindowOptions {
  readonly channel: Channel;
  /** Campaign quiet hours, recipient-local. @default none */
  readonly quietHours?: { readonly start: string; readonly end: string };
  /** ISO 3166-2 region of a recipient (e.g. `US-FL`) for stricter regional windows. @default none */
  readonly regionOf?: (recipient: Recipient) => string | undefined;
  /** Zone of recipients without a known zone, and of waves without recipients (posts). */
  readonly fallbackZone: string;
  /** @default DEFAULT_DST_POLICY */
  readonly policy?: DstPolicy;
  /**
   * Latest instant (epoch ms) a send may go out, e.g. the end of a sale; recipients whose
   * send would come later are `expired` instead of sent late. @default none
   */
  readonly deadline?: number;
}

/** Recipients moved out of a closed window. */
export interface Deferral {
  readonly from: number;
  readonly to: number;
  readonly zone: string;
  readonly region?: string;
  readonly recipients: number;
  /** `quiet_hours` when the campaign's quiet hours closed the window, else `send_window`. */
  readonly reason: 'quiet_hours' | 'send_window';
}

/** Waves after deferral, and what moved. */
export interface WindowedPlan {
  readonly waves: SendWave[];
  readonly deferrals: Deferral[];
  /** Recipients no window ever admits (an empty window): kept out of `waves`. */
  readonly blocked: readonly Recipient[];
  /** Recipients whose send would come after `deadline`: kept out of `waves`. */
  readonly expired: readonly Recipient[];
  /**
   * Sends folded into an earlier occurrence deferred to the same instant (e.g. a night of
   * hourly reminders all deferred to 08:00 send once), counted per recipient.
   */
  readonly collapsed: number;
}

/**
 * The send-window options a step implies: its action's channel, the campaign's quiet hours and
 * the timing's fallback zone.
 */
export function sendWindowOptionsFor(
  spec: CampaignSpec,
  step: Step,
  regionOf?: (recipient: Recipient) => string | undefined,
): SendWindowOptions {
  const timing = step.timing;
  const zone =
    timing.kind === 'absolute' || timing.kind === 'relative' || timing.kind === 'recurring'
      ? (timing.zone ?? spec.defaultZone)
      : timing.kind === 'recipient_local'
        ? (timing.fallbackZone ?? spec.defaultZone)
        : spec.defaultZone;
  return {
    channel: channelOf(step.action),
    fallbackZone: zone,
    policy: { gap: spec.compliance.dstGap, overlap: spec.compliance.dstOverlap },
    ...(spec.compliance.quietHours === undefined ? {} : { quietHours: spec.compliance.quietHours }),
    ...(regionOf === undefined ? {} : { regionOf }),
  };
}

/**
 * Defers recipients whose wave falls outside their local sending window to the window's next
 * opening, and sets aside those whose send would pass the deadline. Waves stay sorted by `at`; recipients deferred to the same instant and occurrence
 * share a wave.
 * @example
 * const plan = planStep(input);
 * if (plan.success) {
 *   const { waves, deferrals } = applySendWindows(plan.data, sendWindowOptionsFor(spec, step));
 * }
 */
export function applySendWindows(
  waves: readonly SendWave[],
  options: SendWindowOptions,
): WindowedPlan {
  const policy = options.policy ?? DEFAULT_DST_POLICY;
  const out = new Map<
    string,
    { at: number; occurrence: number; label: string; groups: Recipient[][] }
  >();
  const deferrals: Deferral[] = [];
  const blocked: Recipient[] = [];
  const expired: Recipient[] = [];
  const add = (at: number, occurrence: number, label: string, members: Recipient[]): void => {
    const key = `${at}:${occurrence}`;
    const wave = out.get(key);
    if (wave === undefined) out.set(key, { at, occurrence, label, groups: [members] });
    else wave.groups.push(members);
  };
  for (const wave of waves) {
    const groups = groupForWindows(wave.recipients, options);
    for (const [key, members] of groups) {
      const [zone, region] = splitKey(key);
      const window = sendWindowFor(options.channel, region, options.quietHours);
      const at = nextInstantInWindow(wave.at, zone, window, policy);
      if (at === undefined) {
        blocked.push(...members);
        continue;
      }
      if (options.deadline !== undefined && at > options.deadline) {
        expired.push(...members);
        continue;
      }
      if (at === wave.at) {
        add(wave.at, wave.occurrence, wave.label, members);
        continue;
      }
      const quiet =
        nextInstantInWindow(wave.at, zone, sendWindowFor(options.channel, region), policy) ===
        wave.at;
      deferrals.push({
        from: wave.at,
        to: at,
        zone,
        ...(region === undefined ? {} : { region }),
        recipients: members.length,
        reason: quiet ? 'quiet_hours' : 'send_window',
      });
      add(at, wave.occurrence, formatInstantIn(at, zone), members);
    }
  }
  const sorted = [...out.values()].sort((a, b) => a.at - b.at || a.occurrence - b.occurrence);
  const result: SendWave[] = [];
  let collapsed = 0;
  // Occurrences deferred onto the same instant would reach a person twice at once: the earliest
  // occurrence keeps them. Only instants shared by several waves pay for the check.
  for (let i = 0; i < sorted.length;) {
    let j = i + 1;
    while (j < sorted.length && sorted[j]!.at === sorted[i]!.at) j++;
    const seen = j - i > 1 ? new Set<string>() : undefined;
    let postSeen = false;
    for (const wave of sorted.slice(i, j)) {
      let recipients =
        wave.groups.length === 1
          ? wave.groups[0]!
          : wave.groups[0]!.concat(...wave.groups.slice(1));
      if (seen !== undefined && recipients.length === 0) {
        if (postSeen) {
          collapsed++;
          continue;
        }
        postSeen = true;
      } else if (seen !== undefined) {
        const before = recipients.length;
        recipients = recipients.filter((r) => {
          if (seen.has(r.id)) return false;
          seen.add(r.id);
          return true;
        });
        collapsed += before - recipients.length;
        if (recipients.length === 0) continue;
      }
      result.push({ at: wave.at, occurrence: wave.occurrence, label: wave.label, recipients });
    }
    i = j;
  }
  return { waves: result, deferrals, blocked, expired, collapsed };
}

/** Groups a wave's recipients by `zone\u0000region`; an empty wave is one group in the fallback zone. */
function groupForWindows(
  recipients: readonly Recipient[],
  options: SendWindowOptions,
): Map<string, Recipient[]> {
  const groups = new Map<string, Recipient[]>();
  if (recipients.length === 0) groups.set(options.fallbackZone, []);
  for (const recipient of recipients) {
    const zone =
      recipient.zone !== undefined && isKnownZone(recipient.zone)
        ? recipient.zone
        : options.fallbackZone;
    const region = options.regionOf?.(recipient);
    const key = region === undefined ? zone : `${zone}\u0000${region}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [recipient]);
    else group.push(recipient);
  }
  return groups;
}

function splitKey(key: string): [string, string | undefined] {
  const cut = key.indexOf('\u0000');
  return cut < 0 ? [key, undefined] : [key.slice(0, cut), key.slice(cut + 1)];
}
