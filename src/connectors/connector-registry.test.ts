import { describe, expect, it } from 'vitest';
import type { Connector } from './connector.js';
import {
  CONNECTOR_FACTORIES,
  createConnectorRegistry,
  resolvePlatform,
} from './connector-registry.js';

const fake = (platform: Connector['platform']): Connector => ({
  platform,
  capabilities: ['send_email'],
  maxBatchSize: 1,
  perform: () => Promise.resolve({ outputs: {}, accepted: 1 }),
  reconcile: () => Promise.resolve({ status: 'not_found' }),
});

describe('createConnectorRegistry', () => {
  it('resolves generic channels to their default or configured provider', () => {
    expect(resolvePlatform('email')).toBe('sendgrid');
    expect(resolvePlatform('sms')).toBe('twilio');
    expect(resolvePlatform('cms')).toBe('wordpress');
    expect(resolvePlatform('email', { email: 'mailchimp' })).toBe('mailchimp');
    expect(resolvePlatform('slack')).toBe('slack');
  });

  it('builds each connector once, from the factory table, with the options it was given', () => {
    const seen: unknown[] = [];
    const registry = createConnectorRegistry({
      config: { providers: { email: 'mailchimp' }, mailchimp: { apiKey: 'k-us1' } },
      factories: {
        mailchimp: (deps) => {
          seen.push(deps);
          return fake('mailchimp');
        },
      },
      retry: { maximumAttempts: 2 },
      random: () => 0,
      timeoutMs: 5,
      failureThreshold: 2,
      resetTimeoutMs: 7,
      fetch: globalThis.fetch,
      sandbox: { mailchimp: 'http://127.0.0.1:1' },
    });
    expect(registry.get('email')).toBe(registry.get('mailchimp'));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      config: { mailchimp: { apiKey: 'k-us1' } },
      baseUrl: 'http://127.0.0.1:1',
      retry: { maximumAttempts: 2 },
      timeoutMs: 5,
      failureThreshold: 2,
      resetTimeoutMs: 7,
    });
    expect(() => registry.get('slack')).toThrow(/no connector for slack; known: mailchimp/);
  });

  it('has a row for each reference platform', () => {
    expect(Object.keys(CONNECTOR_FACTORIES)).toEqual(expect.arrayContaining(['sendgrid', 'slack']));
  });
});
