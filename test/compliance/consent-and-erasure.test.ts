import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../src/errors.js';
import {
  InMemoryConsentLedger,
  consentSubjectOf,
  type ConsentEntry,
} from '../../src/compliance/consent-ledger.js';
import { ErasureService, InMemoryErasureLog } from '../../src/compliance/erasure-service.js';
import type { ErasureIdentifiers, ErasureTarget } from '../../src/compliance/erasure-target.js';
import { TombstoneSet } from '../../src/compliance/erasure-tombstones.js';
import { gateRecipients } from '../../src/compliance/recipient-gate.js';
import {
  SuppressionList,
  normaliseAddress,
  type SuppressionEvent,
} from '../../src/compliance/suppression-list.js';

const AT = '2026-11-25T10:00:00.000Z';
const NOW = Date.parse(AT);

describe('InMemoryConsentLedger', () => {
  it('keeps history per person and channel in time order and broadcasts each record', async () => {
    const ledger = new InMemoryConsentLedger();
    const seen: ConsentEntry[] = [];
    const subscription = ledger.changes.subscribe((e) => seen.push(e));
    await ledger.record({
      personId: 'p1',
      channel: 'sms',
      status: 'withdrawn',
      kind: 'express',
      source: 'sms_stop',
      at: '2026-02-01T00:00:00Z',
    });
    await ledger.record({
      personId: 'p1',
      channel: 'sms',
      status: 'granted',
      kind: 'express',
      source: 'keyword',
      at: '2026-01-01T00:00:00Z',
    });
    await ledger.record({
      personId: 'p1',
      channel: 'email',
      status: 'granted',
      kind: 'express',
      source: 'form',
      at: '2026-01-05T00:00:00Z',
    });
    subscription.unsubscribe();
    expect((await ledger.history('p1', 'sms')).map((r) => r.source)).toEqual([
      'keyword',
      'sms_stop',
    ]);
    expect(await ledger.history('p1')).toHaveLength(3);
    expect(seen).toHaveLength(3);
    const subject = await consentSubjectOf(ledger, {
      id: 'p1',
      country: 'US',
      zone: 'America/New_York',
    });
    expect(subject.consents).toHaveLength(3);
    const sms = gateRecipients([subject], {
      channel: 'sms',
      policy: { requireConsent: true },
      now: NOW,
    });
    expect(sms.suppressed[0]?.reason).toBe('consent_withdrawn');
    expect(await ledger.erase({ personId: 'p1' })).toEqual({ status: 'erased', count: 3 });
    expect(await ledger.erase({ personId: 'p1' })).toEqual({ status: 'not_found' });
    expect(await ledger.erase({ emails: ['x@example.com'] })).toEqual({ status: 'not_found' });
    expect(await ledger.history('p1')).toEqual([]);
  });
});

describe('SuppressionList', () => {
  it('reaches every running campaign at once when someone unsubscribes', () => {
    const list = new SuppressionList();
    const campaigns = [[], [], []] as SuppressionEvent[][];
    const subs = campaigns.map((inbox) => list.changes.subscribe((e) => inbox.push(e)));
    const event: SuppressionEvent = {
      address: '+1 (650) 555-1234',
      scope: 'sms',
      reason: 'unsubscribe',
      at: AT,
    };
    list.suppress(event);
    expect(campaigns.map((c) => c.length)).toEqual([1, 1, 1]);
    expect(list.suppressionOf({ id: 'x', phone: '+16505551234' }, 'sms')).toBe('unsubscribe');
    expect(list.suppressionOf({ id: 'x', phone: '+16505551234' }, 'email')).toBeUndefined();
    expect(list.size).toBe(1);
    expect(list.lift({ address: '+16505551234' }, 'sms')).toBe(true);
    expect(list.lift({ personId: 'nobody' }, 'sms')).toBe(false);
    expect(list.suppressionOf({ id: 'x', phone: '+16505551234' }, 'sms')).toBeUndefined();
    list.close();
    expect(subs.every((s) => s.closed)).toBe(true);
  });

  it('normalises addresses so lookups match', () => {
    expect(normaliseAddress(' A@Example.COM ')).toBe('a@example.com');
    expect(normaliseAddress('+1 (650) 555-1234')).toBe('+16505551234');
  });
});

describe('ErasureService', () => {
  const who: ErasureIdentifiers = {
    personId: 'p9',
    emails: ['Erased@Example.com'],
    phones: ['+44 7700 900123'],
  };

  it('erases everywhere, records hashes only, and keeps the person out of later imports', async () => {
    const ledger = new InMemoryConsentLedger();
    await ledger.record({
      personId: 'p9',
      channel: 'email',
      status: 'granted',
      kind: 'express',
      source: 'form',
      at: AT,
    });
    const asked: ErasureIdentifiers[] = [];
    const platform: ErasureTarget = {
      name: 'sendgrid',
      erase: (w) => {
        asked.push(w);
        return Promise.resolve({ status: 'pending', reference: 'job-1' });
      },
    };
    const broken: ErasureTarget = {
      name: 'broken',
      erase: () =>
        Promise.reject(new HeraldError('rate_limited', 'slow down for erased@example.com')),
    };
    const weird: ErasureTarget = { name: 'weird', erase: () => Promise.reject(new Error('x')) };
    const tombstones = new TombstoneSet({ pepper: 'test-pepper' });
    const log = new InMemoryErasureLog();
    const service = new ErasureService({
      targets: [ledger, platform, broken, weird],
      tombstones,
      log,
      now: () => NOW,
    });
    const record = await service.erase('req-1', who);
    expect(asked).toEqual([who]);
    expect(record.outcomes.map((o) => [o.target, o.outcome.status])).toEqual([
      ['consent_ledger', 'erased'],
      ['sendgrid', 'pending'],
      ['broken', 'failed'],
      ['weird', 'failed'],
    ]);
    expect(record.complete).toBe(false);
    expect(record.outcomes[2]?.outcome).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(JSON.stringify(await log.list())).not.toMatch(/erased@|7700|p9/i);
    expect(record.subjectHashes).toHaveLength(3);
    const incoming = [
      { id: 'new', email: ' erased@example.COM' },
      { id: 'p9' },
      { phone: '+447700900123' },
      { id: 'ok', email: 'fine@example.com' },
    ];
    const filtered = tombstones.filterImport(incoming);
    expect(filtered.kept).toEqual([{ id: 'ok', email: 'fine@example.com' }]);
    expect(filtered.blocked).toHaveLength(3);
    const reloaded = new TombstoneSet({ pepper: 'test-pepper' });
    reloaded.addHashes(tombstones.hashes());
    expect(reloaded.isErased({ email: 'erased@example.com' })).toBe(true);
    expect(new TombstoneSet().isErased({ email: 'erased@example.com' })).toBe(false);
  });

  it('marks a request complete when every target erased or found nothing', async () => {
    const nothing: ErasureTarget = {
      name: 'store',
      erase: () => Promise.resolve({ status: 'not_found' }),
    };
    const suppressions = new SuppressionList();
    const heard: SuppressionEvent[] = [];
    suppressions.changes.subscribe((e) => heard.push(e));
    const service = new ErasureService({
      targets: [nothing],
      tombstones: new TombstoneSet(),
      suppressions,
      now: () => NOW,
    });
    await service.erase('req-3', { personId: 'p7' });
    expect(heard).toEqual([{ personId: 'p7', scope: 'all', reason: 'erasure', at: AT }]);
    expect(suppressions.suppressionOf({ id: 'p7' }, 'sms')).toBe('erasure');
    const record = await service.erase('req-2', { emails: ['a@example.com'] });
    expect(record).toMatchObject({
      requestId: 'req-2',
      requestedAt: AT,
      completedAt: AT,
      complete: true,
    });
    expect(await service.log.list()).toHaveLength(2);
  });
});
