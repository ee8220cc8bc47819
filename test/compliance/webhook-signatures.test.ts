import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySendGridSignature } from '../../src/compliance/sendgrid-signature.js';
import { slackSignature, verifySlackSignature } from '../../src/compliance/slack-signature.js';
import { twilioSignature, verifyTwilioSignature } from '../../src/compliance/twilio-signature.js';
import { InMemoryWebhookDedupe, webhookDedupeKey } from '../../src/compliance/webhook-dedupe.js';
import type { WebhookVerification } from '../../src/compliance/webhook-verification.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const TS = String(NOW / 1000);

/** Verification plus dedupe, as a webhook handler runs them. */
function receive(
  verification: WebhookVerification,
  dedupe: InMemoryWebhookDedupe,
  key: string,
  now: number,
): boolean {
  return verification.valid && dedupe.claim(key, now);
}

describe('verifySendGridSignature', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const spki = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const body = JSON.stringify([
    { email: 'a@example.com', event: 'delivered', sg_event_id: 'e1', timestamp: 1764072000 },
  ]);
  const signWith = (key = privateKey, ts = TS, raw = body): string =>
    sign('sha256', Buffer.from(ts + raw), key).toString('base64');
  const valid = { publicKey: spki, signature: signWith(), timestamp: TS, rawBody: body, now: NOW };

  it('accepts a valid signature with a DER, PEM or KeyObject public key', () => {
    expect(verifySendGridSignature(valid)).toEqual({ valid: true });
    expect(verifySendGridSignature({ ...valid, publicKey: pem })).toEqual({ valid: true });
    expect(verifySendGridSignature({ ...valid, publicKey, rawBody: Buffer.from(body) })).toEqual({
      valid: true,
    });
  });

  it('rejects every bad delivery when the request is tampered, expired, unsigned or replayed', () => {
    const bad = [
      { ...valid, rawBody: body.replace('delivered', 'bounce') },
      { ...valid, rawBody: JSON.stringify(JSON.parse(body)) + ' ' },
      { ...valid, signature: signWith(otherKey) },
      { ...valid, timestamp: String(Number(TS) + 1) },
      { ...valid, signature: 'AAAA' },
      { ...valid, signature: '' },
      { ...valid, signature: undefined },
      { ...valid, timestamp: undefined },
      { ...valid, timestamp: '12e3' },
      { ...valid, publicKey: 'not a key' },
      { ...valid, now: NOW + 301_000 },
      { ...valid, now: NOW - 301_000 },
      {
        ...valid,
        signature: signWith(privateKey, String(Number(TS) - 3600)),
        timestamp: String(Number(TS) - 3600),
      },
    ];
    const results = bad.map((input) => verifySendGridSignature(input));
    expect(results.filter((r) => r.valid)).toHaveLength(0);
    expect(results.map((r) => (r.valid ? 'valid' : r.reason))).toEqual([
      'signature_invalid',
      'signature_invalid',
      'signature_invalid',
      'signature_invalid',
      'signature_invalid',
      'signature_missing',
      'signature_missing',
      'timestamp_missing',
      'timestamp_invalid',
      'signature_invalid',
      'timestamp_expired',
      'timestamp_expired',
      'timestamp_expired',
    ]);
    const dedupe = new InMemoryWebhookDedupe();
    const key = webhookDedupeKey('sendgrid', valid.signature, body);
    expect(receive(verifySendGridSignature(valid), dedupe, key, NOW)).toBe(true);
    expect(
      receive(verifySendGridSignature({ ...valid, now: NOW + 60_000 }), dedupe, key, NOW + 60_000),
    ).toBe(false);
  });
});

describe('verifySlackSignature', () => {
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fweather&text=94070';
  const valid = {
    signingSecret: secret,
    signature: slackSignature(secret, TS, body),
    timestamp: TS,
    rawBody: body,
    now: NOW,
  };

  it('accepts a valid request within five minutes', () => {
    expect(verifySlackSignature(valid)).toEqual({ valid: true });
    expect(verifySlackSignature({ ...valid, now: NOW + 299_000 })).toEqual({ valid: true });
  });

  it('rejects every bad request when tampered, expired, unsigned or replayed', () => {
    const old = String(Number(TS) - 301);
    const bad = [
      { ...valid, rawBody: body.replace('94070', '94071') },
      { ...valid, signingSecret: 'another-secret' },
      { ...valid, signature: valid.signature.replace('v0=', 'v1=') },
      { ...valid, signature: valid.signature.slice(0, -1) },
      { ...valid, timestamp: String(Number(TS) + 1) },
      { ...valid, signature: undefined },
      { ...valid, timestamp: undefined },
      { ...valid, timestamp: 'soon' },
      { ...valid, now: NOW + 301_000 },
      { ...valid, signature: slackSignature(secret, old, body), timestamp: old },
    ];
    const results = bad.map((input) => verifySlackSignature(input));
    expect(results.filter((r) => r.valid)).toHaveLength(0);
    const dedupe = new InMemoryWebhookDedupe({ ttlMs: 600_000 });
    const key = webhookDedupeKey('slack', valid.signature, body);
    expect(receive(verifySlackSignature(valid), dedupe, key, NOW)).toBe(true);
    expect(receive(verifySlackSignature(valid), dedupe, key, NOW + 1000)).toBe(false);
    expect(dedupe.size).toBe(1);
  });
});

describe('verifyTwilioSignature', () => {
  const token = '12345678901234567890123456789012';
  const url = 'https://hooks.example.com/twilio/status?campaign=c1';
  const params = {
    MessageSid: 'SM123',
    MessageStatus: 'delivered',
    To: '+15005550006',
    Tag: ['b', 'a'],
  };
  const valid = { authToken: token, url, params, signature: twilioSignature(token, url, params) };

  it('accepts form and JSON webhooks signed with the auth token', () => {
    expect(verifyTwilioSignature(valid)).toEqual({ valid: true });
    const raw = '{"MessageSid":"SM1"}';
    const jsonUrl = `https://hooks.example.com/t?bodySHA256=${createHash('sha256').update(raw).digest('hex')}`;
    expect(
      verifyTwilioSignature({
        authToken: token,
        url: jsonUrl,
        rawBody: raw,
        signature: twilioSignature(token, jsonUrl),
      }),
    ).toEqual({ valid: true });
  });

  it('matches the documented example signature', () => {
    // Twilio's security docs example: the auth token, URL and parameters below sign to this value.
    const docUrl = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    const docParams = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+12349013030',
      Digits: '1234',
      From: '+12349013030',
      To: '+18005551212',
    };
    expect(twilioSignature('12345', docUrl, docParams)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it('rejects every bad request when tampered, unsigned or replayed', () => {
    const raw = '{"MessageSid":"SM1"}';
    const jsonUrl = `https://hooks.example.com/t?bodySHA256=${createHash('sha256').update(raw).digest('hex')}`;
    const bad = [
      { ...valid, params: { ...params, MessageStatus: 'failed' } },
      { ...valid, params: { ...params, Extra: '1' } },
      { ...valid, url: url.replace('https:', 'http:') },
      { ...valid, url: `${url}&x=1` },
      { ...valid, authToken: 'wrong' },
      { ...valid, signature: undefined },
      { ...valid, signature: '' },
      { ...valid, url: 'not a url' },
      {
        authToken: token,
        url: jsonUrl,
        rawBody: raw.replace('SM1', 'SM2'),
        signature: twilioSignature(token, jsonUrl),
      },
    ];
    const results = bad.map((input) => verifyTwilioSignature(input));
    expect(results.filter((r) => r.valid)).toHaveLength(0);
    expect(results.at(-1)).toEqual({ valid: false, reason: 'body_hash_mismatch' });
    const dedupe = new InMemoryWebhookDedupe({ ttlMs: 1000 });
    const key = webhookDedupeKey('twilio', valid.signature, JSON.stringify(params));
    expect(receive(verifyTwilioSignature(valid), dedupe, key, NOW)).toBe(true);
    expect(receive(verifyTwilioSignature(valid), dedupe, key, NOW + 999)).toBe(false);
    // After the dedupe window a key can be claimed again; the store sweeps expired keys.
    expect(dedupe.claim(key, NOW + 1000)).toBe(true);
    for (let i = 0; i < 1100; i++) dedupe.claim(`k${i}`, NOW + 5000 + i);
    expect(dedupe.size).toBeLessThan(1102);
  });
});
