/**
 * @module
 * Named segments a rule can refer to: dynamic ones (rules re-evaluated on each use) and
 * static ones (evaluated once, their members frozen).
 */
import type { AudienceRule } from '../spec/audience-schema.js';

/** A named segment: rules evaluated on each use, or the frozen members of a static one. */
export type SegmentDefinition =
  { readonly rules: AudienceRule } | { readonly members: readonly string[] };

/** Named segments by name. */
export type SegmentRegistry = Readonly<Record<string, SegmentDefinition>>;

/** The definition named `name`, or `undefined`. */
export function lookupSegment(
  registry: SegmentRegistry,
  name: string,
): SegmentDefinition | undefined {
  return Object.hasOwn(registry, name) ? registry[name] : undefined;
}
