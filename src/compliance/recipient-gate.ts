/**
 * @module
 * The gate applied before every send: splits subjects into those Herald may message now,
 * those it may message later (outside the recipient-local window), and those it must not
 * message, each with a reason. Pure: `now` is an input, rules and windows are data.
 */
import type { CompliancePolicy } from '../spec/campaign-schema.js';
import { evaluateConsent, type ConsentRefusal } from './consent-evaluation.js';
import type { ConsentSubject } from './consent-subject.js';
import { ruleFor, type Channel, type ChannelRule, type RegionRule } from './regional-policy.js';
import {
  compileSendWindow,
  isOpenAt,
  localClock,
  nextOpenInstant,
  type LocalClock,
  type SendWindow,
} from './send-window.js';
import type { SuppressionLookup } from './suppression-list.js';

/** Why a subject must not be messaged on this channel. */
export type GateRefusal =
  ConsentRefusal | 'suppressed' | 'zone_unknown' | 'zone_invalid' | 'window_never_opens';

/** Options of {@link gateRecipients} and {@link allowedSendTime}. */
export interface GateOptions {
  readonly channel: Channel;
  /** The campaign's compliance settings; they can only tighten the law. */
  readonly policy: Pick<CompliancePolicy, 'requireConsent'> &
    Partial<Pick<CompliancePolicy, 'quietHours'>>;
  /** Epoch milliseconds of the send. */
  readonly now: number;
  /** The live suppression list. @default none (only the subject's own flags) */
  readonly suppressions?: SuppressionLookup;
  /** Zone for subjects without one; without it such subjects are refused where hours apply. @default undefined */
  readonly defaultZone?: string;
  /** Rule lookup. @default ruleFor */
  readonly rules?: (country: string | undefined, region?: string) => RegionRule;
}

/** A subject that must not be messaged, and why. */
export interface Suppressed {
  readonly subject: ConsentSubject;
  readonly reason: GateRefusal;
}

/** A subject that may be messaged, but not before `until` (epoch ms). */
export interface Deferred {
  readonly subject: ConsentSubject;
  readonly until: number;
}

/** The gate's verdict on a batch. */
export interface GateResult {
  readonly allowed: ConsentSubject[];
  readonly deferred: Deferred[];
  readonly suppressed: Suppressed[];
}

type Verdict =
  | { readonly kind: 'allowed' }
  | { readonly kind: 'deferred'; readonly until: number }
  | { readonly kind: 'suppressed'; readonly reason: GateRefusal };

/** Per-batch caches: rules by place, windows by rule, clocks by zone. */
class GateContext {
  readonly #rules = new Map<string, ChannelRule>();
  readonly #windows = new Map<ChannelRule, { window: SendWindow; always: boolean }>();
  readonly #clocks = new Map<string, LocalClock | null>();
  readonly #openings = new Map<SendWindow, Map<string, number | null>>();

  constructor(readonly options: GateOptions) {}

  rule(subject: ConsentSubject): ChannelRule {
    const key = `${subject.country ?? ''}|${subject.region ?? ''}`;
    let rule = this.#rules.get(key);
    if (rule === undefined) {
      const lookup = this.options.rules ?? ruleFor;
      rule = lookup(subject.country, subject.region)[this.options.channel];
      this.#rules.set(key, rule);
    }
    return rule;
  }

  window(rule: ChannelRule): { window: SendWindow; always: boolean } {
    let entry = this.#windows.get(rule);
    if (entry === undefined) {
      const window = compileSendWindow(rule.hours, this.options.policy.quietHours);
      const always = window.days
        .slice(1)
        .every((d) => d.length === 1 && d[0]![0] === 0 && d[0]![1] === 1440);
      entry = { window, always };
      this.#windows.set(rule, entry);
    }
    return entry;
  }

  clock(zone: string): LocalClock | undefined {
    let clock = this.#clocks.get(zone);
    if (clock === undefined) {
      clock = localClock(zone, this.options.now) ?? null;
      this.#clocks.set(zone, clock);
    }
    return clock ?? undefined;
  }

  /** The next open instant after `now`; the same for everyone sharing a window and zone. */
  opening(window: SendWindow, zone: string): number | undefined {
    let byZone = this.#openings.get(window);
    if (byZone === undefined) {
      byZone = new Map();
      this.#openings.set(window, byZone);
    }
    let until = byZone.get(zone);
    if (until === undefined) {
      until = nextOpenInstant(window, zone, this.options.now) ?? null;
      byZone.set(zone, until);
    }
    return until ?? undefined;
  }
}

function judge(subject: ConsentSubject, ctx: GateContext): Verdict {
  const { channel, now, policy, suppressions } = ctx.options;
  const flagged = subject.suppressed?.global ?? subject.suppressed?.channels?.[channel];
  if (flagged !== undefined || suppressions?.suppressionOf(subject, channel) !== undefined) {
    return { kind: 'suppressed', reason: 'suppressed' };
  }
  const rule = ctx.rule(subject);
  const consent = evaluateConsent(subject.consents, channel, rule, now, policy.requireConsent);
  if (!consent.allowed) return { kind: 'suppressed', reason: consent.reason };
  const { window, always } = ctx.window(rule);
  if (always) return { kind: 'allowed' };
  const zone = subject.zone ?? ctx.options.defaultZone;
  if (zone === undefined) return { kind: 'suppressed', reason: 'zone_unknown' };
  const clock = ctx.clock(zone);
  if (clock === undefined) return { kind: 'suppressed', reason: 'zone_invalid' };
  if (isOpenAt(window, clock)) return { kind: 'allowed' };
  const until = ctx.opening(window, zone);
  return until === undefined
    ? { kind: 'suppressed', reason: 'window_never_opens' }
    : { kind: 'deferred', until };
}

/**
 * Splits a batch into allowed, deferred and suppressed subjects. Call it immediately before
 * every send, with the live suppression list, on exactly the batch about to go out.
 * @example
 * const { allowed, deferred, suppressed } = gateRecipients(subjects, {
 *   channel: 'sms', policy: spec.compliance, now: clock.now(), suppressions: list,
 * });
 */
export function gateRecipients(
  subjects: Iterable<ConsentSubject>,
  options: GateOptions,
): GateResult {
  const ctx = new GateContext(options);
  const result: GateResult = { allowed: [], deferred: [], suppressed: [] };
  for (const subject of subjects) {
    const verdict = judge(subject, ctx);
    switch (verdict.kind) {
      case 'allowed':
        result.allowed.push(subject);
        break;
      case 'deferred':
        result.deferred.push({ subject, until: verdict.until });
        break;
      case 'suppressed':
        result.suppressed.push({ subject, reason: verdict.reason });
        break;
    }
  }
  return result;
}

/**
 * The first instant at or after `at` (epoch ms) when `subject` may be messaged on `channel`
 * as far as time is concerned, or `undefined` when there is none (unknown or invalid zone,
 * a window that never opens). Consent and suppression are the gate's business.
 * @example
 * const at = allowedSendTime(subject, 'sms', clock.now(), { policy: spec.compliance });
 */
export function allowedSendTime(
  subject: ConsentSubject,
  channel: Channel,
  at: number,
  options: Omit<GateOptions, 'channel' | 'now' | 'suppressions'>,
): number | undefined {
  const ctx = new GateContext({ ...options, channel, now: at });
  const { window, always } = ctx.window(ctx.rule(subject));
  if (always) return at;
  const zone = subject.zone ?? options.defaultZone;
  return zone === undefined ? undefined : nextOpenInstant(window, zone, at);
}
