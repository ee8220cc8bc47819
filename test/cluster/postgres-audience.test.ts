import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileAudience } from '../../src/actors/profile-audience.js';
import { postgresAudience } from '../../src/cluster/postgres-audience.js';
import { sandboxAudience } from '../../src/sandbox/sandbox-audience.js';
import {
  createSegmentTables,
  insertEvents,
  insertProfiles,
} from '../../src/segments/postgres-segments.js';
import { CampaignSpec, type CampaignSpecInput } from '../../src/spec/campaign-schema.js';
import { serviceUrl } from '../services.js';
import { dropSchema, uniqueSchema } from '../store/pg-test-schema.js';

const url = await serviceUrl('postgres');
const schema = uniqueSchema('audience');
const NOW = Date.parse('2026-11-25T12:00:00Z');
const { profiles, events } = sandboxAudience(2_000, NOW);
let pool: pg.Pool;

beforeAll(async () => {
  if (!url) return;
  pool = new pg.Pool({ connectionString: url, max: 2 });
  const client = await pool.connect();
  try {
    await createSegmentTables(client, schema);
    await insertProfiles(client, schema, profiles);
    await insertEvents(client, schema, events);
  } finally {
    client.release();
  }
});
afterAll(async () => {
  if (!url) return;
  await pool.end();
  await dropSchema(url, schema);
});

function specWith(action: 'email' | 'sms', requireConsent: boolean) {
  const input: CampaignSpecInput = {
    name: 'Audience',
    audience: { segment: 'all' },
    compliance: { requireConsent },
    steps: [
      action === 'email'
        ? { id: 's', platform: 'email', action, content: { subject: 'Hi', html: '<p>x</p>' } }
        : { id: 's', platform: 'sms', action, content: { text: 'Hi' } },
    ],
  };
  const spec = CampaignSpec.parse(input);
  return { spec, step: spec.steps[0]! };
}

describe.runIf(url)('postgresAudience', () => {
  const audiences = [
    { segment: 'all' },
    { segment: 'vip' },
    { segment: 'newsletter', exclude: ['vip'] },
    { rules: { type: 'attribute', field: 'age', op: 'gte', value: 40 } },
  ] as const;

  for (const audience of audiences) {
    for (const [action, consent] of [
      ['email', true],
      ['email', false],
      ['sms', true],
    ] as const) {
      it(`gives the embedded resolver's recipients for ${JSON.stringify(audience)} when a ${action} step ${consent ? 'requires' : 'skips'} consent`, async () => {
        const { spec, step } = specWith(action, consent);
        const parsed = { exclude: [], ...audience } as Parameters<
          ReturnType<typeof postgresAudience>['resolve']
        >[0];
        const context = { spec, step, now: NOW };
        const embedded = await profileAudience(profiles, events).resolve(parsed, context);
        const pushed = await postgresAudience(pool, { schema }).resolve(parsed, context);
        const byId = (list: readonly { id: string }[]) =>
          [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
        expect(pushed.length).toBeGreaterThan(0);
        expect(byId(pushed)).toEqual(byId(embedded));
      });
    }
  }
});
