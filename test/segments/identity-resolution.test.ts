import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normalizeIdentifier,
  resolveIdentities,
  type SourceRecord,
} from '../../src/segments/identity-resolution.js';

describe('resolveIdentities', () => {
  it('merges records that share a normalised identifier when they come from several sources', () => {
    const { persons, conflicts } = resolveIdentities([
      { source: 'crm', recordId: '1', updatedAt: 1, crmId: 'C1', emails: [' Ada@X.io '] },
      { source: 'app', recordId: 'u9', updatedAt: 2, emails: ['ada@x.io'], deviceIds: ['d1'] },
      {
        source: 'social',
        recordId: 's1',
        updatedAt: 3,
        socialHandles: ['Instagram:@Ada'],
        deviceIds: ['d1'],
      },
      { source: 'shop', recordId: 'o1', updatedAt: 3, phones: ['0044 20 7946 0000'] },
      { source: 'sms', recordId: 'm1', updatedAt: 3, phones: ['+44 (20) 7946-0000'], emails: [''] },
    ]);
    expect(conflicts).toEqual([]);
    expect(persons).toEqual([
      {
        id: 'person:app:u9',
        records: ['app:u9', 'crm:1', 'social:s1'],
        crmId: 'C1',
        identifiers: ['device:d1', 'email:ada@x.io', 'social:instagram:ada'],
      },
      {
        id: 'person:shop:o1',
        records: ['shop:o1', 'sms:m1'],
        identifiers: ['phone:+442079460000'],
      },
    ]);
  });

  it('keeps two CRM ids apart and gives the identifier to the later claim when they share it', () => {
    const { persons, conflicts } = resolveIdentities([
      { source: 'crm', recordId: 'a', updatedAt: 2020, crmId: 'A', phones: ['+1 555 0100'] },
      { source: 'crm', recordId: 'b', updatedAt: 2024, crmId: 'B', phones: ['+15550100'] },
      { source: 'crm', recordId: 'a2', updatedAt: 2021, crmId: 'A', emails: ['x@y.z'] },
    ]);
    expect(persons.map((p) => [p.crmId, p.identifiers])).toEqual([
      ['A', ['email:x@y.z']],
      ['B', ['phone:+15550100']],
    ]);
    expect(conflicts).toEqual([
      expect.objectContaining({
        identifier: 'phone:+15550100',
        kind: 'phone',
        winner: 'crm:b',
        losers: ['crm:a'],
        rule: 'crm_id_is_authoritative_later_timestamp_wins',
      }),
    ]);
  });

  it('keeps the later of two records with one key when a source repeats a record', () => {
    const { persons } = resolveIdentities([
      { source: 'crm', recordId: '1', updatedAt: 1, emails: ['old@x.io'] },
      { source: 'crm', recordId: '1', updatedAt: 2, emails: ['new@x.io'] },
      { source: 'crm', recordId: '1', updatedAt: 2, emails: ['a@x.io'] },
      { source: 'crm', recordId: '1', updatedAt: 0, emails: ['zzz@x.io'] },
    ]);
    expect(persons).toEqual([
      { id: 'person:crm:1', records: ['crm:1'], identifiers: ['email:new@x.io'] },
    ]);
  });

  it('normalises identifiers or drops empty ones', () => {
    expect(normalizeIdentifier('phone', 'n/a')).toBeUndefined();
    expect(normalizeIdentifier('phone', '555-0100')).toBe('phone:5550100');
    expect(normalizeIdentifier('social', '@Ada')).toBe('social:ada');
    expect(normalizeIdentifier('device', ' D1 ')).toBe('device:D1');
  });

  it('gives the same persons and conflicts whatever the input order', () => {
    const record = fc.record({
      source: fc.constantFrom('crm', 'app', 'shop'),
      recordId: fc.constantFrom('1', '2', '3', '4'),
      updatedAt: fc.integer({ min: 0, max: 5 }),
      crmId: fc.option(fc.constantFrom('A', 'B', 'C'), { nil: undefined }),
      emails: fc.array(fc.constantFrom('a@x.io', 'B@x.io', 'b@x.io'), { maxLength: 2 }),
      phones: fc.array(fc.constantFrom('+1 555', '1555', '+2 777'), { maxLength: 2 }),
      deviceIds: fc.array(fc.constantFrom('d1', 'd2'), { maxLength: 1 }),
    });
    fc.assert(
      fc.property(
        fc
          .array(record, { maxLength: 12 })
          .chain((rs) =>
            fc.tuple(
              fc.constant(rs),
              fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length }),
            ),
          ),
        ([records, shuffled]) => {
          const clean = (rs: typeof records) =>
            rs.map(({ crmId, ...r }) =>
              crmId === undefined ? r : { ...r, crmId },
            ) as SourceRecord[];
          expect(resolveIdentities(clean(shuffled))).toEqual(resolveIdentities(clean(records)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
