import { describe, expect, it } from 'vitest';
import { isHeraldError } from '../../src/errors.js';
import {
  hashAudienceMember,
  normaliseEmail,
  normaliseName,
  normalisePhone,
  sha256Hex,
} from '../../src/compliance/audience-hashing.js';
import { assertHashed, checkHashed } from '../../src/compliance/hashed-payload.js';

describe('audience normalisation', () => {
  it('removes Gmail dots for Google only', () => {
    expect(normaliseEmail(' John.Doe@Gmail.com ', 'google_ads')).toBe('johndoe@gmail.com');
    expect(normaliseEmail('john.doe@googlemail.com', 'google_ads')).toBe('johndoe@googlemail.com');
    expect(normaliseEmail(' John.Doe@Gmail.com ', 'meta_ads')).toBe('john.doe@gmail.com');
    expect(normaliseEmail('john.doe@example.com', 'google_ads')).toBe('john.doe@example.com');
    expect(normaliseEmail('not-an-email', 'meta_ads')).toBeUndefined();
  });

  it('writes phones as E.164 for Google and bare digits for Meta', () => {
    expect(normalisePhone('+1 (650) 555-1234', 'google_ads')).toBe('+16505551234');
    expect(normalisePhone('+1 (650) 555-1234', 'meta_ads')).toBe('16505551234');
    expect(normalisePhone('0044 20 7946 0958', 'meta_ads')).toBe('442079460958');
    expect(normalisePhone('020 7946 0958', 'google_ads', '44')).toBe('+442079460958');
    expect(normalisePhone('650 555 1234', 'meta_ads')).toBeUndefined();
    expect(normalisePhone('+1 555', 'meta_ads')).toBeUndefined();
  });

  it('strips punctuation from names for Meta only', () => {
    expect(normaliseName(" O'Brien-Smith ", 'meta_ads')).toBe('obriensmith');
    expect(normaliseName(" O'Brien ", 'google_ads')).toBe("o'brien");
  });
});

describe('hashAudienceMember', () => {
  const member = {
    email: 'A.B@gmail.com',
    phone: '+1 650 555 1234',
    firstName: 'Ann',
    lastName: 'Lee',
    countryCode: 'us',
    postalCode: '94043-1351',
  };

  it('hashes every field with Meta names and rules', () => {
    const result = hashAudienceMember(member, 'meta_ads');
    expect(result).toEqual({
      success: true,
      data: {
        EMAIL: sha256Hex('a.b@gmail.com'),
        PHONE: sha256Hex('16505551234'),
        FN: sha256Hex('ann'),
        LN: sha256Hex('lee'),
        COUNTRY: sha256Hex('us'),
        ZIP: sha256Hex('94043'),
      },
    });
    if (result.success) assertHashed(result.data);
  });

  it('hashes identifiers and keeps country and postal code in clear for Google', () => {
    const result = hashAudienceMember(member, 'google_ads');
    expect(result.success && result.data).toEqual({
      hashedEmail: sha256Hex('ab@gmail.com'),
      hashedPhoneNumber: sha256Hex('+16505551234'),
      hashedFirstName: sha256Hex('ann'),
      hashedLastName: sha256Hex('lee'),
      countryCode: 'US',
      postalCode: '94043-1351',
    });
    if (result.success)
      assertHashed({ operations: [{ create: { userIdentifiers: [result.data] } }] });
    expect(
      hashAudienceMember({ email: 'x@example.com', postalCode: 'SW1A 1AA' }, 'meta_ads').success,
    ).toBe(true);
  });

  it('reports unusable fields and fails when nothing identifies the person', () => {
    const partial = hashAudienceMember({ email: 'bad', phone: '+1 650 555 1234' }, 'meta_ads');
    expect(partial.success).toBe(true);
    expect(partial.warnings?.map((w) => w.code)).toEqual(['email_invalid']);
    const empty = hashAudienceMember(
      { email: 'bad', phone: '555', countryCode: 'US' },
      'google_ads',
    );
    expect(!empty.success && empty.error.map((i) => i.code)).toEqual([
      'email_invalid',
      'phone_invalid',
      'member_empty',
    ]);
  });
});

describe('assertHashed', () => {
  it('throws without quoting the data when anything leaves unhashed', () => {
    const leaks = [
      { schema: ['EMAIL'], data: [['someone@example.com']] },
      { users: [{ hashedEmail: 'Someone@Example.com' }] },
      { contact: { phone: '+1 650 555 1234' } },
      { notes: 'call +1 650 555 1234' },
      { fn: 'ann' },
    ];
    for (const payload of leaks) {
      expect(checkHashed(payload).length, JSON.stringify(payload)).toBeGreaterThan(0);
      try {
        assertHashed(payload);
        expect.unreachable();
      } catch (error) {
        expect(isHeraldError(error) && error.code).toBe('invalid_input');
        expect(String(error)).not.toMatch(/someone|555|ann\b/i);
      }
    }
  });

  it('accepts hashes, schema names and configured plain keys', () => {
    expect(
      checkHashed({ schema: ['EMAIL', 'PHONE'], data: [[sha256Hex('a'), sha256Hex('b')]], n: 1 }),
    ).toEqual([]);
    expect(checkHashed({ zip: '94043' }, { plainKeys: ['zip'] })).toEqual([]);
    expect(checkHashed({ at: '2026-11-25T10:00:00Z', batch: 'b-1' })).toEqual([]);
  });
});
