/**
 * @module
 * The resolver the campaign runtime calls: an `Audience` (named segment and/or rules, minus
 * exclusions) to its members, with what delivery needs, in a deterministic order.
 */
import type { Issue, Result } from '../errors.js';
import type { Audience } from '../spec/audience-schema.js';
import { audienceRule } from './audience-rule.js';
import { buildColumnarStore } from './columnar-builder.js';
import { ColumnarEngine } from './columnar-engine.js';
import { compareIds, type ProfileData } from './reference-evaluator.js';
import type { SegmentRegistry } from './segment-registry.js';
import { validateAudience, validateSegmentRegistry } from './validate-audience.js';

/** A member of a resolved audience: who, and how to reach them. */
export interface AudienceMember {
  readonly id: string;
  readonly email?: string;
  readonly phone?: string;
  /** IANA zone for recipient-local delivery. */
  readonly zone?: string;
  /** `language-COUNTRY`, e.g. `en-US`. */
  readonly locale: string;
}

/** Where the profiles are and when the audience is resolved. */
export interface ResolveAudienceOptions {
  /** A columnar engine over the profiles; takes precedence over `data`. */
  readonly engine?: ColumnarEngine;
  /** Profiles and events as objects, used when no engine is given. */
  readonly data?: ProfileData;
  /** Named segments. @default {} */
  readonly segments?: SegmentRegistry;
  /** Evaluation instant, epoch ms. */
  readonly now: number;
}

/**
 * Resolves an audience to its members, sorted by id, or the issues that prevent it.
 *
 * @example
 * const members = resolveAudience({ segment: 'vip', exclude: ['churned'] }, { engine, segments, now });
 * if (members.success) for (const m of members.data) send(m.email);
 */
export function resolveAudience(
  audience: Audience,
  options: ResolveAudienceOptions,
): Result<AudienceMember[]> {
  const segments = options.segments ?? {};
  const issues: Issue[] = [];
  const registry = validateSegmentRegistry(segments);
  if (!registry.success) issues.push(...registry.error);
  const checked = validateAudience(audience, { segments });
  if (!checked.success) issues.push(...checked.error);
  const engine =
    options.engine ??
    (options.data === undefined
      ? undefined
      : new ColumnarEngine(buildColumnarStore(options.data.profiles, options.data.events)));
  if (engine === undefined) {
    issues.push({
      code: 'missing_profiles',
      path: [],
      message: 'no profiles to resolve the audience over',
      suggestions: ['pass "engine" or "data"'],
    });
  }
  if (issues.length > 0 || !checked.success || engine === undefined)
    return { success: false, error: issues };
  const { store } = engine;
  const members = Array.from(
    engine.evaluate(audienceRule(checked.data), { now: options.now, segments }),
    (row) => {
      const optional: { email?: string; phone?: string; zone?: string } = {};
      for (const field of ['email', 'phone', 'zone'] as const) {
        const value = store.string(field, row);
        if (value !== undefined) optional[field] = value;
      }
      return {
        id: store.id(row),
        ...optional,
        locale: `${store.string('language', row)!}-${store.string('country', row)!}`,
      };
    },
  );
  return { success: true, data: members.sort((a, b) => compareIds(a.id, b.id)) };
}
