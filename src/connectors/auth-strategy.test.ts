import { describe, expect, it } from 'vitest';
import { apiKeyAuth, basicAuth, oauth2Auth } from './auth-strategy.js';

const blank = () => ({
  headers: {} as Record<string, string>,
  query: {} as Record<string, string>,
});

describe('auth strategies', () => {
  it('puts an API key in a custom header without a scheme when asked', async () => {
    const request = blank();
    await apiKeyAuth({ key: 'k1', header: 'x-api-key', scheme: '' }).authorize(request);
    expect(request.headers).toEqual({ 'x-api-key': 'k1' });
    await expect(apiKeyAuth({ key: 'k1' }).refresh('k1')).resolves.toBe(false);
  });

  it('sends HTTP Basic and lists both secret forms for scrubbing', async () => {
    const auth = basicAuth({ username: 'AC1', password: 'pw' });
    const request = blank();
    await auth.authorize(request);
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('AC1:pw').toString('base64')}`);
    expect(auth.secrets()).toEqual(['pw', Buffer.from('AC1:pw').toString('base64')]);
  });

  it('runs exactly one refresh for many waiters and holds new requests until it ends', async () => {
    let calls = 0;
    let release!: () => void;
    const auth = oauth2Auth({
      tokens: { accessToken: 'a1', refreshToken: 'r1' },
      refresh: async (refreshToken) => {
        calls++;
        await new Promise<void>((r) => (release = r));
        return { accessToken: `a-${refreshToken}`, refreshToken: 'r2' };
      },
    });
    const waiting = Array.from({ length: 10 }, () => auth.refresh('a1'));
    const request = blank();
    const authorizing = auth.authorize(request);
    release();
    expect(await Promise.all(waiting)).toEqual(Array.from({ length: 10 }, () => true));
    await expect(authorizing).resolves.toBe('a-r1');
    await expect(auth.refresh('a1')).resolves.toBe(true);
    expect(calls).toBe(1);
    expect(auth.secrets()).toEqual(['a1', 'r1', 'a-r1', 'r2']);
  });

  it('lists the client secret among secrets', () => {
    const auth = oauth2Auth({
      tokens: { accessToken: 'a', refreshToken: 'r' },
      refresh: () => Promise.reject(new Error('unused')),
      clientSecret: 'cs',
    });
    expect(auth.secrets()).toContain('cs');
  });
});
