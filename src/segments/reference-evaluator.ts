/**
 * @module
 * The slow, obviously correct evaluator: each rule read literally over plain `Profile` and
 * `ProfileEvent` objects. It defines the semantics the columnar engine and the SQL compiler
 * must reproduce, and it explains one profile node by node.
 *
 * - Events count when `now - window <= at <= now` (no window: `at <= now`).
 * - `count` and `sum` always exist (zero without events); `first` / `last` are the age of
 *   the first / last matching event, compared with ISO durations, absent without events.
 * - A sequence holds when some `event` within the window has no `notFollowedBy` event at
 *   the same instant or later (up to `now`).
 * - Reachable: `email` needs an email and email consent, `sms` a phone and SMS consent,
 *   `push` push consent, `social` an email or a phone (ad platforms match on them).
 */
import type { AudienceRule } from '../spec/audience-schema.js';
import { lookupSegment, type SegmentRegistry } from './segment-registry.js';
import { compareValue } from './compare-value.js';
import { durationMs, durationValue } from './duration-ms.js';
import { readEventProperty, readField, type Profile, type ProfileEvent } from './profile-model.js';

/** Why one node of a rule holds or not for one profile. */
export interface RuleTrace {
  /** Path of the node within the rule tree. */
  readonly path: readonly (string | number)[];
  readonly type: AudienceRule['type'];
  readonly matched: boolean;
  /** The value the node compared: a field, an aggregate, or `undefined` for composites. */
  readonly actual?: unknown;
  readonly children?: readonly RuleTrace[];
}

/** What a rule is evaluated against besides the profile. */
export interface ReferenceContext {
  /** Evaluation instant, epoch ms. */
  readonly now: number;
  /** Membership of a profile in a named segment. */
  readonly isMember: (segment: string, profileId: string) => boolean;
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

/** Whether a profile can be reached on a channel. */
export function isReachable(
  profile: Profile,
  channel: 'email' | 'sms' | 'push' | 'social',
): boolean {
  switch (channel) {
    case 'email':
      return nonEmpty(profile.email) && profile.consent.email;
    case 'sms':
      return nonEmpty(profile.phone) && profile.consent.sms;
    case 'push':
      return profile.consent.push;
    case 'social':
      return nonEmpty(profile.email) || nonEmpty(profile.phone);
  }
}

function inWindow(at: number, now: number, window: string | undefined): boolean {
  if (at > now) return false;
  return window === undefined || at >= now - (durationMs(window) ?? 0);
}

function aggregate(
  rule: Extract<AudienceRule, { type: 'behavior' }>,
  events: readonly ProfileEvent[],
  now: number,
): number | undefined {
  const matching = events.filter(
    (e) =>
      e.type === rule.event &&
      inWindow(e.at, now, rule.window) &&
      rule.where.every((f) => compareValue(readEventProperty(e, f.property), f.op, f.value)),
  );
  switch (rule.aggregate) {
    case 'count':
      return matching.length;
    case 'sum': {
      let total = 0;
      for (const e of matching) {
        const v = readEventProperty(e, rule.property ?? 'value');
        if (typeof v === 'number') total += v;
      }
      return total;
    }
    case 'first':
    case 'last': {
      if (matching.length === 0) return undefined;
      const times = matching.map((e) => e.at);
      return now - (rule.aggregate === 'first' ? Math.min(...times) : Math.max(...times));
    }
  }
}

function compareAggregate(
  rule: Extract<AudienceRule, { type: 'behavior' }>,
  actual: number | undefined,
): boolean {
  if (rule.aggregate === 'count' || rule.aggregate === 'sum') {
    return compareValue(actual, rule.op, rule.value);
  }
  const value = durationValue(rule.value);
  if (value === null && rule.op !== 'exists' && rule.op !== 'not_exists') return false;
  return compareValue(actual, rule.op, value ?? undefined);
}

/**
 * Evaluates `rule` for one profile and its events, recording every node.
 *
 * @example traceRule(rule, profile, events, { now, isMember: () => false }).matched
 */
export function traceRule(
  rule: AudienceRule,
  profile: Profile,
  events: readonly ProfileEvent[],
  context: ReferenceContext,
  path: readonly (string | number)[] = [],
): RuleTrace {
  switch (rule.type) {
    case 'and':
    case 'or': {
      const children = rule.rules.map((r, k) =>
        traceRule(r, profile, events, context, [...path, 'rules', k]),
      );
      const matched =
        rule.type === 'and' ? children.every((c) => c.matched) : children.some((c) => c.matched);
      return { path, type: rule.type, matched, children };
    }
    case 'not': {
      const child = traceRule(rule.rule, profile, events, context, [...path, 'rule']);
      return { path, type: 'not', matched: !child.matched, children: [child] };
    }
    case 'attribute': {
      const actual = readField(profile, rule.field);
      return { path, type: rule.type, matched: compareValue(actual, rule.op, rule.value), actual };
    }
    case 'behavior': {
      const actual = aggregate(rule, events, context.now);
      return { path, type: rule.type, matched: compareAggregate(rule, actual), actual };
    }
    case 'sequence': {
      const now = context.now;
      const matched = events.some(
        (a) =>
          a.type === rule.event &&
          inWindow(a.at, now, rule.within) &&
          !events.some((b) => b.type === rule.notFollowedBy && b.at >= a.at && b.at <= now),
      );
      return { path, type: rule.type, matched };
    }
    case 'segment': {
      const member = context.isMember(rule.name, profile.id);
      return {
        path,
        type: rule.type,
        matched: rule.op === 'in' ? member : !member,
        actual: member,
      };
    }
    case 'reachable':
      return { path, type: rule.type, matched: isReachable(profile, rule.channel) };
  }
}

/** Whether one profile satisfies `rule`. */
export function matchesRule(
  rule: AudienceRule,
  profile: Profile,
  events: readonly ProfileEvent[],
  context: ReferenceContext,
): boolean {
  return traceRule(rule, profile, events, context).matched;
}

/** Profiles and events as plain objects. */
export interface ProfileData {
  readonly profiles: readonly Profile[];
  readonly events: readonly ProfileEvent[];
}

/**
 * The ids (sorted by code unit) of the profiles satisfying `rule`, named segments resolved
 * from `segments`. A segment that refers back to itself has no members.
 *
 * @example evaluateReference(rule, { profiles, events }, { now, segments: {} })
 */
export function evaluateReference(
  rule: AudienceRule,
  data: ProfileData,
  options: { readonly now: number; readonly segments: SegmentRegistry },
): string[] {
  const byProfile = new Map<string, ProfileEvent[]>();
  for (const e of data.events) {
    const list = byProfile.get(e.profileId);
    if (list === undefined) byProfile.set(e.profileId, [e]);
    else list.push(e);
  }
  const memberships = new Map<string, ReadonlySet<string>>();
  const run = (r: AudienceRule): string[] =>
    data.profiles
      .filter((p) => matchesRule(r, p, byProfile.get(p.id) ?? [], context))
      .map((p) => p.id)
      .sort(compareIds);
  const context: ReferenceContext = {
    now: options.now,
    isMember: (name, id) => {
      let members = memberships.get(name);
      if (members === undefined) {
        memberships.set(name, new Set());
        const definition = lookupSegment(options.segments, name);
        members = new Set(
          definition === undefined
            ? []
            : 'members' in definition
              ? definition.members
              : run(definition.rules),
        );
        memberships.set(name, members);
      }
      return members.has(id);
    },
  };
  return run(rule);
}

/** Orders ids by UTF-16 code unit, as PostgreSQL's `COLLATE "C"` does for ASCII. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
