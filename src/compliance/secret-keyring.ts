/**
 * @module
 * Credentials encrypted at rest with AES-256-GCM. Each ciphertext names the key that sealed
 * it, so rotating the key never breaks a send: old ciphertexts still open with retired keys
 * and are re-sealed with the current key as they are used.
 *
 * Envelope: `herald:v1:<keyId>:<iv>:<ciphertext>:<tag>` (base64url parts, 12-byte IV,
 * 16-byte tag). An optional context string (e.g. `sendgrid.apiKey`) is bound as associated
 * data, so a ciphertext cannot be moved to another field.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ConfigurationError, type Result } from '../errors.js';
import { defaultRedactor, type Redactor } from './redaction.js';

/** One AES-256 key and its id. */
export interface SecretKey {
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

const PREFIX = 'herald:v1:';

/** The id of a key when none is given: the first 8 hex digits of its SHA-256. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** Parses `base64` or `id:base64` into a key; throws `ConfigurationError` when not 32 bytes. */
export function parseSecretKey(text: string, variable = 'HERALD_SECRET_KEY'): SecretKey {
  const colon = text.indexOf(':');
  const id = colon > 0 ? text.slice(0, colon) : undefined;
  const key = Buffer.from(colon > 0 ? text.slice(colon + 1) : text, 'base64');
  if (key.length !== 32) {
    throw new ConfigurationError(
      'secret_key_invalid',
      `${variable} must be 32 bytes in base64 (got ${key.length} bytes); create one with: openssl rand -base64 32`,
    );
  }
  return { id: id ?? keyIdOf(key), key };
}

/**
 * The current key and retired keys.
 * @example
 * const keyring = SecretKeyring.fromEnv(process.env);
 * const sealed = keyring.encrypt(token, 'sendgrid.apiKey');
 * const opened = keyring.decrypt(sealed, 'sendgrid.apiKey'); // { success: true, data: token }
 */
export class SecretKeyring {
  readonly #current: SecretKey;
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly #redactor: Redactor | null;

  /**
   * @param options.redactor - every decrypted secret is registered with it, so it can never
   *   be logged in clear; `null` turns this off. @default defaultRedactor
   */
  constructor(
    current: SecretKey,
    retired: readonly SecretKey[] = [],
    options: { redactor?: Redactor | null } = {},
  ) {
    this.#current = current;
    this.#keys = new Map([...retired, current].map((k) => [k.id, k.key]));
    this.#redactor = options.redactor === undefined ? defaultRedactor : options.redactor;
  }

  /**
   * Reads `HERALD_SECRET_KEY` (current; `base64` or `id:base64`) and `HERALD_SECRET_KEYS_RETIRED`
   * (comma-separated, same format). Throws `ConfigurationError` when the key is missing or wrong.
   */
  static fromEnv(env: Readonly<Record<string, string | undefined>>): SecretKeyring {
    const current = env.HERALD_SECRET_KEY;
    if (current === undefined || current.trim() === '') {
      throw new ConfigurationError(
        'secret_key_missing',
        'HERALD_SECRET_KEY is not set; create one with: openssl rand -base64 32',
      );
    }
    const retired = (env.HERALD_SECRET_KEYS_RETIRED ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => parseSecretKey(s, 'HERALD_SECRET_KEYS_RETIRED'));
    return new SecretKeyring(parseSecretKey(current.trim()), retired);
  }

  /** Id of the key new ciphertexts are sealed with. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  /** Seals `plaintext` with the current key. */
  encrypt(plaintext: string, context = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    cipher.setAAD(Buffer.from(`${this.#current.id}|${context}`));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return `${PREFIX}${this.#current.id}:${parts.join(':')}`;
  }

  /** Opens a ciphertext sealed with any known key. */
  decrypt(sealed: string, context = ''): Result<string> {
    if (!sealed.startsWith(PREFIX)) return fail('secret_format', 'not a Herald ciphertext');
    const parts = sealed.slice(PREFIX.length).split(':');
    if (parts.length !== 4) return fail('secret_format', 'a Herald ciphertext has four parts');
    const [id, iv, body, tag] = parts as [string, string, string, string];
    const key = this.#keys.get(id);
    if (key === undefined) {
      return fail(
        'secret_key_unknown',
        `no key with id "${id}"; add it to HERALD_SECRET_KEYS_RETIRED`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`${id}|${context}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([
        decipher.update(Buffer.from(body, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
      this.#redactor?.register(plain);
      return { success: true, data: plain };
    } catch {
      return fail('secret_tampered', 'the ciphertext, its context or its key does not match');
    }
  }

  /** True when `sealed` was sealed with a key other than the current one. */
  needsRotation(sealed: string): boolean {
    return !sealed.startsWith(`${PREFIX}${this.#current.id}:`);
  }

  /** Re-seals a ciphertext with the current key (unchanged if it already uses it). */
  rotate(sealed: string, context = ''): Result<string> {
    if (!this.needsRotation(sealed)) return { success: true, data: sealed };
    const opened = this.decrypt(sealed, context);
    return opened.success ? { success: true, data: this.encrypt(opened.data, context) } : opened;
  }
}

function fail(code: string, message: string): Result<string> {
  return { success: false, error: [{ code, path: [], message }] };
}
