/**
 * @module
 * `postgresAudience`: an `AudienceResolver` that computes audiences where the profiles live.
 * The audience rule is compiled to SQL by the segments engine and pushed down to PostgreSQL
 * (tables `profiles` and `events` of `schema`, as `createSegmentTables` defines them); the
 * database returns only the members, with the addresses and consent the step needs, in id
 * order. Same narrowing as the embedded `profileAudience`: reachable on the step's channel,
 * and consenting when the campaign requires consent.
 */
import type pg from 'pg';
import { BUILT_IN_SEGMENTS } from '../actors/profile-audience.js';
import type { AudienceResolver } from '../actors/audience-resolver.js';
import type { Recipient } from '../connectors/connector.js';
import { audienceRule } from '../segments/audience-rule.js';
import type { SegmentRegistry } from '../segments/segment-registry.js';
import { compileRuleSql, quoteIdent } from '../segments/sql-compiler.js';

/** Options of {@link postgresAudience}. */
export interface PostgresAudienceOptions {
  /** Schema of `profiles` and `events`. @default 'public' */
  readonly schema?: string;
  /** Named segments rules may use, on top of BUILT_IN_SEGMENTS. @default {} */
  readonly segments?: SegmentRegistry;
}

interface MemberRow {
  id: string;
  email: string | null;
  phone: string | null;
  zone: string | null;
  language: string;
  country: string;
}

/**
 * Resolves audiences with one SQL query per step, run on `db` (a `pg` pool or client).
 * @example
 * const audience = postgresAudience(new pg.Pool({ connectionString }), { schema: 'crm' });
 * await ClusterWorker.start({ storeUrl, queueUrl, audience });
 */
export function postgresAudience(
  db: Pick<pg.Pool, 'query'>,
  options: PostgresAudienceOptions = {},
): AudienceResolver {
  const schema = options.schema ?? 'public';
  const segments = { ...BUILT_IN_SEGMENTS, ...options.segments };
  return {
    async resolve(audience, { spec, step, now }) {
      const members = compileRuleSql(audienceRule(audience), { now, schema, segments });
      const channel = step.action === 'sms' ? 'sms' : 'email';
      const consent =
        spec.compliance.requireConsent && step.action !== 'audience_sync'
          ? ` AND p.consent_${channel}`
          : '';
      const { rows } = await db.query<MemberRow>(
        `SELECT p.id, p.email, p.phone, p.zone, p.language, p.country
         FROM ${quoteIdent(schema)}.profiles p
         WHERE p.id IN (${members.text}) AND p.${channel === 'sms' ? 'phone' : 'email'} IS NOT NULL${consent}
         ORDER BY p.id COLLATE "C"`,
        [...members.values],
      );
      return rows.map((row): Recipient => ({
        id: row.id,
        ...(row.email === null ? {} : { email: row.email }),
        ...(row.phone === null ? {} : { phone: row.phone }),
        ...(row.zone === null ? {} : { zone: row.zone }),
        // As the segments engine's resolveAudience names it.
        locale: `${row.language}-${row.country}`,
      }));
    },
  };
}
