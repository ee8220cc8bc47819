/**
 * @module
 * Explain and preview: how large a segment is and what each rule contributes, and for one
 * profile why it is in or out, node by node with the values compared.
 */
import type { AudienceRule } from '../spec/audience-schema.js';
import type { ColumnarEngine, EvaluateOptions } from './columnar-engine.js';
import { traceRule, type RuleTrace } from './reference-evaluator.js';

/** What one node of a rule does over the whole store. */
export interface RuleContribution {
  /** Path of the node within the rule tree. */
  readonly path: readonly (string | number)[];
  readonly type: AudienceRule['type'];
  /** Profiles the node matches on its own. */
  readonly matched: number;
  /** For a child of an `and`: members the segment would gain without it. */
  readonly removes?: number;
}

/** A segment's size and each node's contribution. */
export interface SegmentPreview {
  readonly size: number;
  /** Profiles in the store. */
  readonly total: number;
  /** Every node, depth first. */
  readonly nodes: readonly RuleContribution[];
}

/**
 * Sizes a segment and each of its nodes.
 *
 * @example previewSegment(engine, rule, { now }).nodes.map((n) => `${n.path.join('.')}: ${n.matched}`)
 */
export function previewSegment(
  engine: ColumnarEngine,
  rule: AudienceRule,
  options: EvaluateOptions,
): SegmentPreview {
  const nodes: RuleContribution[] = [];
  const count = (r: AudienceRule): number => engine.evaluate(r, options).length;
  const walk = (r: AudienceRule, path: readonly (string | number)[], removes?: number): void => {
    nodes.push({
      path,
      type: r.type,
      matched: count(r),
      ...(removes === undefined ? {} : { removes }),
    });
    if (r.type === 'and') {
      const size = count(r);
      r.rules.forEach((child, k) => {
        const without = count({ type: 'and', rules: r.rules.filter((_, j) => j !== k) });
        walk(child, [...path, 'rules', k], without - size);
      });
    } else if (r.type === 'or') {
      r.rules.forEach((child, k) => {
        walk(child, [...path, 'rules', k]);
      });
    } else if (r.type === 'not') {
      walk(r.rule, [...path, 'rule']);
    }
  };
  walk(rule, []);
  return { size: nodes[0]!.matched, total: engine.store.size, nodes };
}

/**
 * Why one profile is in or out: every node with its result and the value it compared, or
 * `undefined` when the store has no such profile.
 *
 * @example explainProfile(engine, rule, 'p42', { now })?.matched
 */
export function explainProfile(
  engine: ColumnarEngine,
  rule: AudienceRule,
  profileId: string,
  options: EvaluateOptions,
): RuleTrace | undefined {
  const row = engine.store.rowOf(profileId);
  if (row === undefined) return undefined;
  const memberships = new Map<string, Set<string>>();
  return traceRule(rule, engine.store.profile(row), engine.store.eventsOf(row), {
    now: options.now,
    isMember: (name, id) => {
      let members = memberships.get(name);
      if (members === undefined) {
        members = new Set(engine.evaluateIds({ type: 'segment', name, op: 'in' }, options));
        memberships.set(name, members);
      }
      return members.has(id);
    },
  });
}
