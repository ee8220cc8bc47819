import { describe, expect, it } from 'vitest';
import { applyFrequencyCap, fits, type SendRecord } from './frequency-cap.js';

const H = 3_600_000;
const D = 24 * H;
const sms = (recipientId: string, at: number): SendRecord => ({ recipientId, channel: 'sms', at });

describe('applyFrequencyCap', () => {
  it('allows sends under the cap and defers the one over it to when a slot frees', () => {
    const history = [sms('a', 0), sms('a', 2 * D)];
    const decisions = applyFrequencyCap([sms('a', 3 * D), sms('b', 3 * D)], history, {
      max: 2,
      period: 'P7D',
      onExceed: 'defer',
    });
    expect(decisions).toEqual([
      {
        status: 'deferred',
        send: sms('a', 7 * D),
        requestedAt: 3 * D,
        reason: 'frequency cap: at most 2 messages per P7D on this channel',
      },
      { status: 'allowed', send: sms('b', 3 * D) },
    ]);
  });

  it('drops the send over the cap when configured to drop', () => {
    const decisions = applyFrequencyCap([sms('a', H), sms('a', 2 * H)], [], {
      max: 1,
      period: 'P1D',
      onExceed: 'drop',
    });
    expect(decisions.map((d) => d.status)).toEqual(['allowed', 'dropped']);
    expect(decisions[1]).toMatchObject({
      reason: 'frequency cap: at most 1 message per P1D on this channel',
    });
  });

  it('counts channels separately and decides planned sends in time order', () => {
    const decisions = applyFrequencyCap(
      [sms('a', 5 * H), { recipientId: 'a', channel: 'email', at: 5 * H }, sms('a', H)],
      [],
      { max: 1, period: 'P1D', onExceed: 'defer' },
    );
    expect(decisions.map((d) => [d.status, d.send.at])).toEqual([
      ['deferred', D + H],
      ['allowed', 5 * H],
      ['allowed', H],
    ]);
  });

  it('respects sends already scheduled later by other campaigns', () => {
    const decisions = applyFrequencyCap([sms('a', D)], [sms('a', D + H)], {
      max: 1,
      period: 'P1D',
      onExceed: 'defer',
    });
    expect(decisions[0]).toMatchObject({ status: 'deferred', send: { at: 2 * D + H } });
  });

  it('moves a deferred send into its window and checks the cap again', () => {
    const adjust = (at: number): number => (at % D < 8 * H ? at - (at % D) + 8 * H : at);
    const decisions = applyFrequencyCap(
      [sms('a', 2 * H)],
      [sms('a', 0)],
      { max: 1, period: 'PT3H', onExceed: 'defer' },
      { adjust },
    );
    expect(decisions[0]).toMatchObject({ status: 'deferred', send: { at: 8 * H } });
  });

  it('allows everything when the period is zero', () => {
    expect(
      applyFrequencyCap([sms('a', 0)], [sms('a', 0)], {
        max: 1,
        period: 'PT0S',
        onExceed: 'drop',
      })[0]!.status,
    ).toBe('allowed');
  });
});

describe('fits', () => {
  it('ignores overflow in history windows that do not hold the new send', () => {
    expect(fits([0, 1, 2], 10 * D, 1, D)).toBe(true);
    expect(fits([0, 1, 2], 3, 1, D)).toBe(false);
  });
});
