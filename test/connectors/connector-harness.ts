/**
 * Shared set-up of connector suites: a sandbox and a registry on one simulated clock.
 */
import {
  createConnectorRegistry,
  type ConnectorRegistryOptions,
} from '../../src/connectors/connector-registry.js';
import type { ActionRequest } from '../../src/connectors/connector.js';
import { SimulatedClock } from '../../src/schedule/clock.js';
import type { Platform } from '../../src/spec/platforms.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/start-sandbox.js';

/** A SendGrid key the sandbox accepts; the canary must never leak into errors. */
export const SENDGRID_KEY = 'SG.canary-7f3a9c-sendgrid-secret';
/** A Slack bot token the sandbox accepts; the canary must never leak into errors. */
export const SLACK_TOKEN = 'xoxb-canary-5d1e-slack-secret';

/** A running sandbox, registry and clock. */
export interface Harness {
  readonly clock: SimulatedClock;
  readonly sandbox: Sandbox;
  readonly registry: ReturnType<typeof createConnectorRegistry>;
}

/** Starts a sandbox and a registry pointed at it. */
export async function startHarness(
  platforms: readonly Platform[],
  options: Partial<ConnectorRegistryOptions> = {},
): Promise<Harness> {
  const clock = new SimulatedClock(Date.parse('2026-11-25T12:00:00Z'));
  const sandbox = await startSandbox({ platforms, clock, seed: 7 });
  const registry = createConnectorRegistry({
    clock,
    sandbox: sandbox.urls,
    random: () => 0.5,
    timeoutMs: 2000,
    env: {
      SENDGRID_API_KEY: SENDGRID_KEY,
      SENDGRID_FROM_EMAIL: 'news@acme.test',
      SLACK_BOT_TOKEN: SLACK_TOKEN,
    },
    ...options,
  });
  return { clock, sandbox, registry };
}

let serial = 0;

/** An action request with defaults. */
export function actionRequest(overrides: Partial<ActionRequest> = {}): ActionRequest {
  serial++;
  return {
    campaignId: 'c1',
    stepId: 's1',
    platform: 'sendgrid',
    action: 'email',
    content: { subject: 'Hello', text: 'Hi there', mediaUrls: [], variants: [] },
    options: {},
    currency: 'EUR',
    recipients: [{ id: 'r1', email: 'a@x.test' }],
    idempotencyKey: `key-${serial}`,
    ...overrides,
  };
}
