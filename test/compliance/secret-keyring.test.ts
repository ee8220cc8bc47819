import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isHeraldError } from '../../src/errors.js';
import { Redactor } from '../../src/compliance/redaction.js';
import { SecretKeyring, keyIdOf, parseSecretKey } from '../../src/compliance/secret-keyring.js';

const b64 = (): string => randomBytes(32).toString('base64');

describe('SecretKeyring', () => {
  it('round-trips a credential bound to its context', () => {
    const keyring = SecretKeyring.fromEnv({ HERALD_SECRET_KEY: b64() });
    const sealed = keyring.encrypt('SG.token-value', 'sendgrid.apiKey');
    expect(sealed).toMatch(/^herald:v1:[0-9a-f]{8}:/);
    expect(sealed).not.toContain('SG.token-value');
    expect(keyring.decrypt(sealed, 'sendgrid.apiKey')).toEqual({
      success: true,
      data: 'SG.token-value',
    });
    expect(keyring.encrypt('x')).not.toBe(keyring.encrypt('x'));
  });

  it('registers every decrypted secret with the redactor unless told not to', () => {
    const redactor = new Redactor();
    const key = parseSecretKey(b64());
    const keyring = new SecretKeyring(key, [], { redactor });
    const opened = keyring.decrypt(keyring.encrypt('plain-credential-value'));
    expect(opened.success).toBe(true);
    expect(redactor.redactString('x plain-credential-value y')).toBe('x [REDACTED] y');
    const silent = new SecretKeyring(key, [], { redactor: null });
    expect(silent.decrypt(keyring.encrypt('another-credential')).success).toBe(true);
    expect(redactor.redactString('another-credential')).toBe('another-credential');
  });

  it('refuses a tampered ciphertext, a moved one and malformed input', () => {
    const keyring = new SecretKeyring(parseSecretKey(`k1:${b64()}`));
    const sealed = keyring.encrypt('secret', 'a');
    const parts = sealed.split(':');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    const codes = [
      keyring.decrypt(parts.join(':'), 'a'),
      keyring.decrypt(sealed, 'b'),
      keyring.decrypt('plain'),
      keyring.decrypt('herald:v1:k1:x'),
    ].map((r) => (r.success ? 'ok' : r.error[0]?.code));
    expect(codes).toEqual(['secret_tampered', 'secret_tampered', 'secret_format', 'secret_format']);
  });

  it('rotates without failed reads when the key changes', () => {
    const oldKey = `old:${b64()}`;
    const before = SecretKeyring.fromEnv({ HERALD_SECRET_KEY: oldKey });
    const sealed = before.encrypt('token', 'slack');
    const after = SecretKeyring.fromEnv({
      HERALD_SECRET_KEY: `new:${b64()}`,
      HERALD_SECRET_KEYS_RETIRED: ` ${oldKey} ,`,
    });
    expect(after.currentKeyId).toBe('new');
    expect(after.needsRotation(sealed)).toBe(true);
    expect(after.decrypt(sealed, 'slack')).toEqual({ success: true, data: 'token' });
    const rotated = after.rotate(sealed, 'slack');
    expect(rotated.success).toBe(true);
    if (!rotated.success) return;
    expect(after.needsRotation(rotated.data)).toBe(false);
    expect(after.rotate(rotated.data, 'slack')).toEqual(rotated);
    expect(after.decrypt(rotated.data, 'slack')).toEqual({ success: true, data: 'token' });
    const forgotten = SecretKeyring.fromEnv({ HERALD_SECRET_KEY: b64() });
    const lost = forgotten.rotate(sealed, 'slack');
    expect(!lost.success && lost.error[0]?.code).toBe('secret_key_unknown');
  });

  it('throws a ConfigurationError when the key is missing or not 32 bytes', () => {
    const codes = [
      {},
      { HERALD_SECRET_KEY: ' ' },
      { HERALD_SECRET_KEY: Buffer.alloc(16).toString('base64') },
    ].map((env) => {
      try {
        SecretKeyring.fromEnv(env);
        return 'none';
      } catch (error) {
        return isHeraldError(error) ? error.code : 'other';
      }
    });
    expect(codes).toEqual(['secret_key_missing', 'secret_key_missing', 'secret_key_invalid']);
    const key = randomBytes(32);
    expect(parseSecretKey(key.toString('base64')).id).toBe(keyIdOf(key));
  });
});
