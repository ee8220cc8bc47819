/**
 * @module
 * Static and dynamic segments over time. A static segment is evaluated once and frozen into
 * its member list; a dynamic one is re-evaluated, on a schedule or for the profiles whose
 * events just arrived, and reports who entered and who left.
 */
import type { AudienceRule } from '../spec/audience-schema.js';
import type { ColumnarEngine, EvaluateOptions } from './columnar-engine.js';
import { compareIds } from './reference-evaluator.js';
import type { SegmentDefinition, SegmentRegistry } from './segment-registry.js';

/** Who is in a segment after an evaluation, and who changed. */
export interface SegmentChange {
  /** Members, sorted by id. */
  readonly members: readonly string[];
  readonly entered: readonly string[];
  readonly left: readonly string[];
  /** The evaluation instant, epoch ms. */
  readonly evaluatedAt: number;
}

/**
 * Evaluates a static segment once and freezes its members.
 *
 * @example registry.vip_2026 = freezeSegment(engine, rule, { now });
 */
export function freezeSegment(
  engine: ColumnarEngine,
  rule: AudienceRule,
  options: EvaluateOptions,
): SegmentDefinition {
  return { members: Object.freeze(engine.evaluateIds(rule, options).sort(compareIds)) };
}

/** A segment re-evaluated over time that remembers its members. */
export class DynamicSegment {
  #members = new Set<string>();

  /**
   * @param rule The segment's rule.
   * @param segments Named segments the rule may refer to. @default {}
   */
  constructor(
    readonly rule: AudienceRule,
    readonly segments: SegmentRegistry = {},
  ) {}

  /** Current members, sorted by id. */
  get members(): readonly string[] {
    return [...this.#members].sort(compareIds);
  }

  /** Re-evaluates every profile (a scheduled refresh). */
  refresh(engine: ColumnarEngine, now: number): SegmentChange {
    const next = new Set(engine.evaluateIds(this.rule, { now, segments: this.segments }));
    return this.#apply(next, [...this.#members, ...next], now);
  }

  /** Re-evaluates only `profileIds` (their events just arrived); others keep their state. */
  refreshProfiles(
    engine: ColumnarEngine,
    now: number,
    profileIds: Iterable<string>,
  ): SegmentChange {
    const ids = [...new Set(profileIds)];
    const rows = ids.map((id) => engine.store.rowOf(id)).filter((row) => row !== undefined);
    const plan = engine.compile(this.rule, { now, segments: this.segments });
    const matched = new Set(
      Array.from(plan.filter(Uint32Array.from(rows.sort((a, b) => a - b))), (row) =>
        engine.store.id(row),
      ),
    );
    const next = new Set(this.#members);
    for (const id of ids) {
      if (matched.has(id)) next.add(id);
      else next.delete(id);
    }
    return this.#apply(next, ids, now);
  }

  #apply(next: Set<string>, candidates: readonly string[], now: number): SegmentChange {
    const entered = new Set<string>();
    const left = new Set<string>();
    for (const id of candidates) {
      if (next.has(id) && !this.#members.has(id)) entered.add(id);
      if (!next.has(id) && this.#members.has(id)) left.add(id);
    }
    this.#members = next;
    return {
      members: this.members,
      entered: [...entered].sort(compareIds),
      left: [...left].sort(compareIds),
      evaluatedAt: now,
    };
  }
}
