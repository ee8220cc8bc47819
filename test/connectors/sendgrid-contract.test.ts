import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { actionRequest, SENDGRID_KEY, startHarness, type Harness } from './connector-harness.js';

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

describe('sendgrid connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['sendgrid'], { retry: { maximumAttempts: 3 } });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('sends one mail per batch with the idempotency key when email resolves to sendgrid', async () => {
    const connector = h.registry.get('email');
    const request = actionRequest({
      recipients: [{ id: 'r1', email: 'a@x.test' }, { id: 'r2', email: 'b@x.test' }, { id: 'r3' }],
      content: { subject: 'Hi', html: '<p>Hi</p>', mediaUrls: [], variants: [] },
    });
    const result = await connector.perform(request);
    expect(result.accepted).toBe(2);
    expect(result.externalId).toMatch(/^[a-z0-9]{22}$/);
    const [received] = h.sandbox.received('sendgrid');
    expect(received?.headers.authorization).toBe(`Bearer ${SENDGRID_KEY}`);
    expect(received?.body).toMatchObject({ custom_args: { herald_key: request.idempotencyKey } });
    expect(h.sandbox.deliveries('sendgrid').map((d) => [d.recipient, d.key])).toEqual([
      ['a@x.test', request.idempotencyKey],
      ['b@x.test', request.idempotencyKey],
    ]);
    expect(connector.health?.().state).toBe('ready');
  });

  it('rejects a request without e-mail recipients before calling the platform', async () => {
    const error = await failure(
      h.registry.get('sendgrid').perform(actionRequest({ recipients: [{ id: 'r' }] })),
    );
    expect(error.code).toBe('invalid_request');
    expect(h.sandbox.received('sendgrid')).toHaveLength(0);
  });

  it('answers unknown on reconcile because sendgrid cannot look a send up', async () => {
    const result = await h.registry.get('sendgrid').reconcile(actionRequest());
    expect(result.status).toBe('unknown');
  });

  it('maps each error status to its code', async () => {
    const connector = h.registry.get('sendgrid');
    const cases = [
      [{ kind: 'expiredToken' }, 'auth_expired', 401],
      [{ kind: 'versionSunset' }, 'version_sunset', 410],
      [{ kind: '5xx', status: 500 }, 'unknown_outcome', 500],
    ] as const;
    for (const [fault, code, status] of cases) {
      h.sandbox.inject('sendgrid', fault);
      const error = await failure(connector.perform(actionRequest()));
      expect([error.code, error.status]).toEqual([code, status]);
    }
    const sunset = await (async () => {
      h.sandbox.inject('sendgrid', { kind: 'versionSunset' });
      return failure(connector.perform(actionRequest()));
    })();
    expect(sunset.message).toContain('API version v3 is retired; move to');
  });

  it('maps validation, sender and not-found answers to their codes', async () => {
    const unverified = await startHarness(['sendgrid'], {
      config: { sendgrid: { fromEmail: 'unverified@acme.test' } },
    });
    const error = await failure(unverified.registry.get('sendgrid').perform(actionRequest()));
    expect([error.code, error.status, error.platformMessage]).toEqual([
      'permission_denied',
      403,
      'from: The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.',
    ]);
    await unverified.sandbox.close();
    const noSubject = await failure(
      h.registry
        .get('sendgrid')
        .perform(actionRequest({ content: { mediaUrls: [], variants: [] } })),
    );
    expect([noSubject.code, noSubject.status]).toEqual(['invalid_request', 400]);
  });

  it('reads stats of what was sent page by page, per step category, and names a drifted field', async () => {
    const connector = h.registry.get('sendgrid');
    const recipients = Array.from({ length: 60 }, (_, i) => ({
      id: `r${String(i)}`,
      email: `r${String(i)}@x.test`,
    }));
    const sent = await connector.perform(actionRequest({ recipients }));
    expect(sent.outputs.metricsEntity).toBe('c1/s1');
    await connector.perform(actionRequest({ stepId: 's2', recipients: recipients.slice(0, 5) }));
    h.clock.advanceTo(Date.parse('2027-06-30T12:00:00Z'));
    const rows = await connector.fetchMetrics!({ from: '2026-11-01', to: '2027-04-30' });
    expect(rows).toHaveLength(181);
    const total = (list: typeof rows, field: string) =>
      list.reduce((sum, r) => sum + Number(r.metrics[field] ?? 0), 0);
    expect(total(rows, 'requests')).toBe(65);
    expect(total(rows, 'unique_opens')).toBeGreaterThan(0);
    const step = await connector.fetchMetrics!({
      from: '2026-11-01',
      to: '2027-04-30',
      entities: ['c1/s1'],
    });
    expect(step.every((r) => r.entity === 'c1/s1')).toBe(true);
    expect(total(step, 'requests')).toBe(60);
    expect(total(step, 'delivered') + total(step, 'bounces')).toBe(60);
    const again = await connector.fetchMetrics!({ from: '2026-11-01', to: '2026-11-01' });
    expect(again[0]).toEqual(rows[0]);
    const engagement = await connector.fetchEngagement!('c1/s1');
    expect(engagement.complete).toBe(true);
    expect(engagement.recipients).toHaveLength(60);
    expect(engagement.recipients.filter((r) => r.opened)).toHaveLength(total(step, 'unique_opens'));
    h.sandbox.inject('sendgrid', {
      kind: 'schemaDrift',
      field: '0.stats.0.metrics.unique_opens',
      renameTo: 'opens_unique',
    });
    const drift = await failure(connector.fetchMetrics!({ from: '2026-01-01', to: '2026-01-02' }));
    expect(drift.code).toBe('schema_drift');
    expect(drift.message).toContain('0.stats.0.metrics.unique_opens');
  });

  it('names a missing X-Message-Id header as schema drift', async () => {
    h.sandbox.inject('sendgrid', { kind: 'schemaDrift', field: 'header:x-message-id' });
    const error = await failure(h.registry.get('sendgrid').perform(actionRequest()));
    expect(error.code).toBe('schema_drift');
  });

  it('fails with a configuration error naming the missing variable', async () => {
    const { createConnectorRegistry } = await import('../../src/connectors/connector-registry.js');
    const registry = createConnectorRegistry({ env: { SENDGRID_FROM_EMAIL: 'a@b.test' } });
    expect(() => registry.get('sendgrid')).toThrow(/SENDGRID_API_KEY/);
    expect(() => createConnectorRegistry({ factories: {} }).get('x')).toThrow(/no connector for x/);
  });
});
