import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox-credentials.js';
import type { Profile } from '../../src/segments/profile-model.js';
import { scenarioWorld } from './scenario-harness.js';

const TOKEN = 'SG.canary-7f3c9d2e1b';
const EMAIL = 'canary.person+herald@example.org';

let world: Awaited<ReturnType<typeof scenarioWorld>> | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const person: Profile = {
  id: 'canary',
  email: EMAIL,
  zone: 'Europe/Berlin',
  age: 40,
  country: 'DE',
  region: 'DE-BE',
  language: 'de',
  loyalty_tier: 'gold',
  consent: { email: true, sms: false, push: false },
};

describe('privacy canary', () => {
  it('never writes a known token or email into the store, the report or an error, with every failure injected', async () => {
    world = await scenarioWorld({
      profiles: { profiles: [person], events: [] },
      connectors: { env: { ...SANDBOX_CREDENTIALS, SENDGRID_API_KEY: TOKEN } },
    });
    const { sandbox, system } = world;
    for (const fault of [
      { kind: '429', retryAfterSeconds: 5 },
      { kind: '5xx', status: 500 },
      { kind: 'expiredToken' },
      { kind: 'schemaDrift', field: 'errors' },
      { kind: 'versionSunset' },
      { kind: 'dropAfterCommit' },
    ] as const) {
      sandbox.inject('sendgrid', fault);
    }
    const id = await system.launch({
      name: 'Canary',
      audience: { segment: 'all' },
      onStepFailure: 'continue',
      retry: { maximumAttempts: 6, initialInterval: 'PT1M' },
      steps: [
        {
          id: 'mail',
          platform: 'email',
          action: 'email',
          content: { subject: 'Hi', html: '<p>hi</p>' },
        },
      ],
    });
    const report = await system.settled(id);
    const tree = await system.inspect(id);
    await world.close();
    const db =
      (await readFile(world.storeFile)).toString('latin1') +
      (await readFile(`${world.storeFile}-wal`).catch(() => Buffer.alloc(0))).toString('latin1');
    world = undefined;

    // Herald did talk to the platform with the token and to the person: the canaries were live.
    expect(sandbox.received('sendgrid').length).toBeGreaterThan(1);
    for (const text of [db, JSON.stringify(report), JSON.stringify(tree)]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(EMAIL);
      expect(text).not.toContain('canary-7f3c9d2e1b');
    }
  });
});
