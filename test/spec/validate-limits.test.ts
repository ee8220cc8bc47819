import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CampaignSystem } from '../../src/actors/campaign-system.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { loadCampaignFile } from '../../src/cli/load-campaign.js';
import { SUGGESTION_LOOKUPS, validateCampaign } from '../../src/spec/validate-campaign.js';
import type { CampaignSpecInput } from '../../src/spec/campaign-schema.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const notify = (id: string, extra: object = {}) => ({
  id,
  platform: 'slack',
  action: 'notify',
  content: { text: 'hi' },
  ...extra,
});

describe('validateCampaign on large inputs', () => {
  it('refuses a 100,000-character reference by its length, without comparing it', () => {
    const result = validateCampaign({
      name: 'Long',
      steps: [
        notify('a'),
        notify('b', { timing: { kind: 'relative', after: 'x'.repeat(100_000) } }),
      ],
    });
    expect(result.success).toBe(false);
    expect(!result.success && result.error[0]).toMatchObject({
      path: ['steps', 1, 'timing', 'after'],
    });
  });

  it('lists every unknown reference but looks for suggestions a bounded number of times', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), (n) => {
        const steps = Array.from({ length: n }, (_, i) =>
          notify(`step-${String(i)}`, { dependsOn: [{ step: `stpe-${String(i)}` }] }),
        );
        const result = validateCampaign({ name: 'Many', steps });
        if (result.success) return false;
        const unknown = result.error.filter((issue) => issue.code === 'unknown_step');
        const suggested = unknown.filter((issue) => (issue.suggestions ?? []).length > 0);
        return unknown.length === n && suggested.length === Math.min(n, SUGGESTION_LOOKUPS);
      }),
      { numRuns: 8 },
    );
  });

  it('finds a cycle at the end of a 20,000-step chain', () => {
    const steps = Array.from({ length: 20_000 }, (_, i) =>
      notify(`s${String(i)}`, i === 0 ? {} : { dependsOn: [{ step: `s${String(i - 1)}` }] }),
    );
    expect(validateCampaign({ name: 'Chain', steps }).success).toBe(true);
    steps[0] = notify('s0', { dependsOn: [{ step: 's19999' }] });
    const result = validateCampaign({ name: 'Chain', steps });
    expect(!result.success && result.error[0]?.code).toBe('dependency_cycle');
  });
});

describe('content each action needs', () => {
  const spec = (steps: object[]) => ({ name: 'Content', audience: { segment: 'all' }, steps });

  it('refuses an email without a subject at launch, before any step runs', async () => {
    const store = openSqliteStore(':memory:');
    const system = new CampaignSystem({ store, connectors: createConnectorRegistry() });
    const launched = system.launch(
      spec([
        notify('first'),
        {
          id: 'mail',
          platform: 'email',
          action: 'email',
          content: { text: 'Hello' },
          dependsOn: [{ step: 'first' }],
        },
      ]) as CampaignSpecInput,
    );
    await expect(launched).rejects.toMatchObject({
      issues: expect.arrayContaining([
        expect.objectContaining({
          code: 'missing_content',
          path: ['steps', 1, 'content', 'subject'],
        }),
      ]),
    });
    expect(await store.listCampaigns()).toEqual([]);
    await system.stop();
    await store.close();
  });

  it('refuses a spec file whose steps say nothing, naming each', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'herald-content-'));
    await writeFile(
      join(dir, 'c.json'),
      JSON.stringify(
        spec([
          { id: 'text', platform: 'sms', action: 'sms' },
          { id: 'ping', platform: 'slack', action: 'notify', content: { channel: '#x' } },
          { id: 'blog', platform: 'wordpress', action: 'publish', content: { text: 'body' } },
        ]),
      ),
    );
    await expect(loadCampaignFile('c.json', dir, Date.now())).rejects.toMatchObject({
      issues: [
        { code: 'missing_content', path: ['steps', 0, 'content', 'text'] },
        { code: 'missing_content', path: ['steps', 1, 'content', 'title'] },
        { code: 'missing_content', path: ['steps', 2, 'content', 'title'] },
      ],
    });
  });

  it('counts content bound from another step and content given per variant', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'herald-content-'));
    await writeFile(
      join(dir, 'c.json'),
      JSON.stringify(
        spec([
          { id: 'blog', platform: 'wordpress', action: 'publish', content: { title: 'T' } },
          {
            id: 'share',
            platform: 'x',
            action: 'post',
            dependsOn: [{ step: 'blog', bind: { link: 'url' } }],
          },
          {
            id: 'mail',
            platform: 'email',
            action: 'email',
            content: {
              variants: [
                { id: 'a', subject: 'A' },
                { id: 'b', subject: 'B' },
              ],
            },
          },
        ]),
      ),
    );
    await expect(loadCampaignFile('c.json', dir, Date.now())).resolves.toMatchObject({
      notes: [],
    });
  });
});
