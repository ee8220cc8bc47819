/**
 * @module
 * Identity resolution: records from several sources (CRM, email platform, app, social) are
 * merged into persons by union-find over normalised identifiers. A CRM id is authoritative:
 * two CRM ids never merge. When an identifier is claimed by records that would join two
 * CRM ids (one email on two CRM records, a phone reassigned), the claim with the later
 * timestamp wins and the conflict is reported with that rule. Records and identifiers are
 * processed in a canonical order, so the result does not depend on input order.
 */

/** One profile record as a source knows it. */
export interface SourceRecord {
  /** The system it came from, e.g. `crm`, `shopify`, `app`. */
  readonly source: string;
  /** Its id within that source. */
  readonly recordId: string;
  /** When the source last updated it, epoch ms. */
  readonly updatedAt: number;
  readonly crmId?: string;
  readonly emails?: readonly string[];
  readonly phones?: readonly string[];
  readonly deviceIds?: readonly string[];
  /** Handles as `network:handle`, e.g. `instagram:@ada`. */
  readonly socialHandles?: readonly string[];
}

/** A kind of identifier. */
export type IdentifierKind = 'email' | 'phone' | 'device' | 'social';

/** One person: the records merged into it and the identifiers it holds. */
export interface ResolvedPerson {
  /** `person:` and the first of its record keys. */
  readonly id: string;
  /** Record keys `source:recordId`, sorted. */
  readonly records: readonly string[];
  readonly crmId?: string;
  /** Identifiers as `kind:value`, normalised and sorted. */
  readonly identifiers: readonly string[];
}

/** An identifier claimed by records that cannot be one person. */
export interface IdentityConflict {
  /** `kind:value`. */
  readonly identifier: string;
  readonly kind: IdentifierKind;
  /** The record that keeps the identifier. */
  readonly winner: string;
  /** Records that lose it (they stay separate persons). */
  readonly losers: readonly string[];
  /** The rule that decided. */
  readonly rule: 'crm_id_is_authoritative_later_timestamp_wins';
  readonly message: string;
}

/** Persons and the conflicts met while merging. */
export interface IdentityResolution {
  readonly persons: readonly ResolvedPerson[];
  readonly conflicts: readonly IdentityConflict[];
}

/** Normalises an identifier; `undefined` when nothing is left. */
export function normalizeIdentifier(kind: IdentifierKind, raw: string): string | undefined {
  let value = raw.trim();
  switch (kind) {
    case 'email':
      value = value.toLowerCase();
      break;
    case 'phone': {
      const digits = value.replace(/\D/g, '');
      value =
        digits === ''
          ? ''
          : `${value.startsWith('+') || value.startsWith('00') ? '+' : ''}${value.startsWith('00') ? digits.slice(2) : digits}`;
      break;
    }
    case 'social':
      value = value.toLowerCase().replace(/:@/, ':').replace(/^@/, '');
      break;
    case 'device':
      break;
  }
  return value === '' ? undefined : `${kind}:${value}`;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function keyOf(record: SourceRecord): string {
  return `${record.source}:${record.recordId}`;
}

function identifiersOf(record: SourceRecord): string[] {
  const lists: [IdentifierKind, readonly string[] | undefined][] = [
    ['email', record.emails],
    ['phone', record.phones],
    ['device', record.deviceIds],
    ['social', record.socialHandles],
  ];
  const ids = new Set<string>();
  for (const [kind, list] of lists) {
    for (const raw of list ?? []) {
      const id = normalizeIdentifier(kind, raw);
      if (id !== undefined) ids.add(id);
    }
  }
  return [...ids].sort(byText);
}

/**
 * Merges records into persons and reports conflicts.
 *
 * @example
 * const { persons, conflicts } = resolveIdentities([
 *   { source: 'crm', recordId: '1', updatedAt: 1, crmId: 'C1', emails: ['Ada@x.io'] },
 *   { source: 'app', recordId: 'u9', updatedAt: 2, emails: ['ada@x.io'], deviceIds: ['d1'] },
 * ]);
 */
export function resolveIdentities(input: readonly SourceRecord[]): IdentityResolution {
  // Canonical order; of two records with one key the later (then the larger JSON) is kept.
  const unique = new Map<string, SourceRecord>();
  for (const r of input) {
    const key = keyOf(r);
    const seen = unique.get(key);
    if (
      seen === undefined ||
      r.updatedAt > seen.updatedAt ||
      (r.updatedAt === seen.updatedAt && JSON.stringify(r) > JSON.stringify(seen))
    ) {
      unique.set(key, r);
    }
  }
  const records = [...unique.values()].sort((a, b) => byText(keyOf(a), keyOf(b)));
  const parent = records.map((_, k) => k);
  const crm = records.map((r) => r.crmId?.trim() || undefined);
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]!]!;
      k = parent[k]!;
    }
    return k;
  };
  const union = (a: number, b: number): boolean => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return true;
    if (crm[ra] !== undefined && crm[rb] !== undefined && crm[ra] !== crm[rb]) return false;
    const [root, child] = ra < rb ? [ra, rb] : [rb, ra];
    parent[child] = root;
    crm[root] ??= crm[child];
    return true;
  };
  const byCrm = new Map<string, number>();
  records.forEach((_, k) => {
    const id = crm[k];
    if (id === undefined) return;
    const first = byCrm.get(id);
    if (first === undefined) byCrm.set(id, k);
    else union(first, k);
  });
  const claims = new Map<string, number[]>();
  const held = records.map(identifiersOf);
  held.forEach((ids, k) => {
    for (const id of ids) claims.set(id, [...(claims.get(id) ?? []), k]);
  });
  const conflicts: IdentityConflict[] = [];
  const owner = new Map<string, number>();
  for (const identifier of [...claims.keys()].sort(byText)) {
    const claimants = claims
      .get(identifier)!
      .sort(
        (a, b) =>
          records[b]!.updatedAt - records[a]!.updatedAt ||
          byText(keyOf(records[a]!), keyOf(records[b]!)),
      );
    const winner = claimants[0]!;
    owner.set(identifier, winner);
    const losers = claimants.slice(1).filter((c) => !union(winner, c));
    if (losers.length > 0) {
      const kind = identifier.slice(0, identifier.indexOf(':')) as IdentifierKind;
      const loserKeys = losers.map((c) => keyOf(records[c]!));
      conflicts.push({
        identifier,
        kind,
        winner: keyOf(records[winner]!),
        losers: loserKeys,
        rule: 'crm_id_is_authoritative_later_timestamp_wins',
        message: `${identifier} is claimed by records of different CRM ids; ${keyOf(records[winner]!)} is the latest claim and keeps it (${loserKeys.join(', ')} lose it)`,
      });
    }
  }
  const persons = new Map<number, { records: string[]; identifiers: Set<string> }>();
  records.forEach((r, k) => {
    const root = find(k);
    let person = persons.get(root);
    if (person === undefined) {
      person = { records: [], identifiers: new Set() };
      persons.set(root, person);
    }
    person.records.push(keyOf(r));
    for (const id of held[k]!) if (find(owner.get(id)!) === root) person.identifiers.add(id);
  });
  return {
    persons: [...persons].map(([root, p]) => ({
      id: `person:${p.records[0]!}`,
      records: p.records,
      ...(crm[root] === undefined ? {} : { crmId: crm[root] }),
      identifiers: [...p.identifiers].sort(byText),
    })),
    conflicts,
  };
}
