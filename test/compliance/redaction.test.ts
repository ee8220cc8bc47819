import { describe, expect, it } from 'vitest';
import { ConfigurationError, HeraldError } from '../../src/errors.js';
import { createRedactingLogger, type LogRecord } from '../../src/compliance/redacting-logger.js';
import { REDACTED, Redactor, redact, registerSecret } from '../../src/compliance/redaction.js';

const CANARY_TOKEN = 'hk_canary_7f3b9c1e5a2d4f6089abcdef01234567';
const CANARY_EMAIL = 'canary.person+tag@example.org';
const CANARY_PHONE = '+44 7700 900123';

function everyString(value: unknown): string {
  return JSON.stringify(value) ?? '';
}

describe('Redactor canary', () => {
  const redactor = new Redactor();
  redactor.register(CANARY_TOKEN);

  const snapshotLike = (): Record<string, unknown> => {
    const context: Record<string, unknown> = {
      campaignId: 'c1',
      recipients: [{ id: 'p1', email: CANARY_EMAIL, phone: CANARY_PHONE }],
      lastRequest: {
        url: `https://api.example.com/v1/send?api_key=${CANARY_TOKEN}&to=${encodeURIComponent(CANARY_EMAIL)}`,
        headers: { Authorization: `Bearer ${CANARY_TOKEN}`, 'X-Note': `sent by ${CANARY_EMAIL}` },
        body: JSON.stringify({
          personalizations: [{ to: [{ email: CANARY_EMAIL }] }],
          key: CANARY_TOKEN,
        }),
      },
      journal: new Map([['intent', { note: `token ${CANARY_TOKEN} for ${CANARY_PHONE}` }]]),
      seen: new Set([CANARY_EMAIL]),
      raw: Buffer.from(CANARY_TOKEN),
      when: new Date('2026-11-25T00:00:00Z'),
      nested: {
        a: { b: { c: { d: [CANARY_TOKEN, Buffer.from(CANARY_TOKEN).toString('base64')] } } },
      },
    };
    context.self = context;
    return context;
  };

  it('removes the token, email and phone from nested snapshot-like objects', () => {
    const out = everyString(redactor.redact(snapshotLike()));
    expect(out).not.toContain(CANARY_TOKEN);
    expect(out).not.toContain(CANARY_EMAIL);
    expect(out).not.toContain(encodeURIComponent(CANARY_EMAIL));
    expect(out).not.toContain('7700 900123');
    expect(out).toContain('[Circular]');
    expect(out).toContain('2026-11-25T00:00:00.000Z');
  });

  it('removes them from serialised errors, messages, stacks and causes', () => {
    const cause = new ConfigurationError(
      'auth_expired',
      `token ${CANARY_TOKEN} expired for ${CANARY_EMAIL}`,
    );
    const error = new HeraldError(
      'send_failed',
      `could not send to ${CANARY_EMAIL} (${CANARY_PHONE})`,
      { cause },
    );
    const out = everyString(redactor.serializeError(error));
    expect(out).not.toContain(CANARY_TOKEN);
    expect(out).not.toContain(CANARY_EMAIL);
    expect(out).toContain('send_failed');
    expect(out).toContain('auth_expired');
    expect(redactor.serializeError('plain string')).toEqual({ message: 'plain string' });
  });

  it('removes them from every logger record, bindings and child loggers included', () => {
    const records: LogRecord[] = [];
    const log = createRedactingLogger({
      sink: (r) => records.push(r),
      redactor,
      now: () => 0,
      level: 'debug',
    });
    const child = log.child({ recipient: CANARY_EMAIL });
    log.debug(`debug ${CANARY_TOKEN}`);
    log.info(`calling with ${CANARY_TOKEN}`, { context: snapshotLike() });
    child.warn('retrying', { phone: CANARY_PHONE });
    child.error('failed', { error: new Error(`denied for ${CANARY_EMAIL}`) });
    expect(records).toHaveLength(4);
    const out = everyString(records);
    expect(out).not.toContain(CANARY_TOKEN);
    expect(out).not.toContain(CANARY_EMAIL);
    expect(out).not.toContain('900123');
    expect(records[0]).toMatchObject({ level: 'debug', time: '1970-01-01T00:00:00.000Z' });
  });

  it('drops records below the level', () => {
    const records: LogRecord[] = [];
    const log = createRedactingLogger({ sink: (r) => records.push(r), now: () => 0 });
    log.debug('hidden');
    expect(records).toEqual([]);
  });
});

describe('redact', () => {
  it('scrubs well-known credential shapes when they were never registered', () => {
    const samples = [
      'Authorization: Basic dXNlcjpwYXNzd29yZA==',
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ',
      'xoxb-123456789012-1234567890123-abcdefghij',
      'sk_live_abcdefghijklmnop',
      'AKIAIOSFODNN7EXAMPLE',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'AIzaSyA-abcdefghijklmnopqrstuvwxyz0123456',
      'ya29.a0AfH6SMBabcdefghijk',
      'EAAGm0PX4ZCpsBAabcdefghijklmnop',
      '-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----',
      'password=hunter2hunter2',
      'https://admin:s3cr3tpass@db.internal/x',
    ];
    for (const sample of samples) {
      const out = redact(sample) as string;
      expect(out, sample).toContain(REDACTED);
    }
    expect(redact('call (415) 555-0100 or 415.555.0100')).toBe('call [PHONE] or [PHONE]');
  });

  it('keeps ordinary values, dates and numbers readable', () => {
    expect(
      redact({ at: '2026-11-25T10:00:00Z', count: 3, ok: true, id: 1n, none: null, u: undefined }),
    ).toEqual({
      at: '2026-11-25T10:00:00Z',
      count: 3,
      ok: true,
      id: '1',
      none: null,
      u: undefined,
    });
    expect(redact({ fn: () => 1, sym: Symbol('s'), bad: new Date(Number.NaN) })).toEqual({
      fn: '[Function]',
      sym: 'Symbol(s)',
      bad: null,
    });
  });

  it('replaces whole values under sensitive keys', () => {
    expect(
      redact({ apiKey: 'abc', client_secret: 'x', password: 'p', email: 'nobody', cookie: 'c' }),
    ).toEqual({
      apiKey: REDACTED,
      client_secret: REDACTED,
      password: REDACTED,
      email: REDACTED,
      cookie: REDACTED,
    });
  });

  it('scrubs secrets registered with the process-wide redactor and ignores tiny ones', () => {
    registerSecret('xyz');
    registerSecret('proc-wide-secret-value');
    expect(redact('a proc-wide-secret-value b xyz')).toBe(`a ${REDACTED} b xyz`);
  });

  it('truncates beyond the maximum depth', () => {
    const deep = new Redactor({ maxDepth: 2 });
    expect(deep.redact({ a: { b: { c: 1 } } })).toEqual({ a: { b: '[Truncated]' } });
  });
});
