import { describe, expect, it } from 'vitest';
import { intentOfInboundSms, optOutsFromSendGrid } from '../../src/compliance/provider-opt-outs.js';
import { SuppressionList } from '../../src/compliance/suppression-list.js';

describe('optOutsFromSendGrid', () => {
  it('suppresses hard bounces, spam reports and unsubscribes, and nothing else', () => {
    const events = [
      { event: 'bounce', type: 'bounce', email: 'hard@example.com', timestamp: 1764072000 },
      { event: 'bounce', type: 'blocked', email: 'soft@example.com', timestamp: 1764072000 },
      { event: 'spamreport', email: 'spam@example.com', timestamp: 1764072000 },
      { event: 'unsubscribe', email: 'u@example.com', timestamp: 1764072000 },
      { event: 'group_unsubscribe', email: 'g@example.com', timestamp: 1764072000 },
      { event: 'delivered', email: 'ok@example.com', timestamp: 1764072000 },
      { event: 'bounce', email: 42, timestamp: 1764072000 },
      { event: 'bounce', email: 'no-time@example.com' },
    ];
    const out = optOutsFromSendGrid(events);
    expect(out.map((e) => [e.address, e.reason])).toEqual([
      ['hard@example.com', 'bounce'],
      ['spam@example.com', 'complaint'],
      ['u@example.com', 'unsubscribe'],
      ['g@example.com', 'unsubscribe'],
    ]);
    expect(out[0]?.at).toBe('2025-11-25T12:00:00.000Z');
    const list = new SuppressionList();
    const seen: string[] = [];
    list.changes.subscribe((e) => seen.push(e.reason));
    for (const e of out) list.suppress(e);
    expect(seen).toHaveLength(4);
    expect(list.suppressionOf({ id: 'x', email: 'HARD@example.com' }, 'email')).toBe('bounce');
  });
});

describe('intentOfInboundSms', () => {
  const at = '2026-11-25T10:00:00.000Z';

  it('treats STOP words, in any case and punctuation, as a revocation', () => {
    for (const body of [
      'STOP',
      ' stop ',
      'Stop.',
      'opt out',
      'Revoke!',
      'unsubscribe',
      'StopAll',
    ]) {
      expect(intentOfInboundSms({ From: '+15005550006', Body: body }, at), body).toEqual({
        action: 'suppress',
        event: { address: '+15005550006', scope: 'sms', reason: 'unsubscribe', at },
      });
    }
    expect(
      intentOfInboundSms({ From: '+15005550006', Body: 'arrête', OptOutType: 'STOP' }, at).action,
    ).toBe('suppress');
  });

  it('recognises START and ignores other replies or a missing sender', () => {
    expect(intentOfInboundSms({ From: '+15005550006', Body: 'start' }, at)).toEqual({
      action: 'resubscribe',
      address: '+15005550006',
    });
    expect(intentOfInboundSms({ From: '+15005550006', OptOutType: 'START' }, at).action).toBe(
      'resubscribe',
    );
    expect(
      intentOfInboundSms({ From: '+15005550006', Body: 'please stop by tomorrow' }, at),
    ).toEqual({ action: 'none' });
    expect(intentOfInboundSms({ Body: 'STOP' }, at)).toEqual({ action: 'none' });
  });
});
