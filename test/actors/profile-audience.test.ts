import { describe, expect, it } from 'vitest';
import { profileAudience } from '../../src/actors/profile-audience.js';
import { isHeraldError, ValidationError } from '../../src/errors.js';
import { sandboxAudience } from '../../src/sandbox/sandbox-audience.js';
import { CampaignSpec } from '../../src/spec/campaign-schema.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const { profiles, events } = sandboxAudience(300, NOW);
const spec = CampaignSpec.parse({
  name: 'x',
  audience: { segment: 'all' },
  steps: [
    { id: 'mail', platform: 'email', action: 'email' },
    { id: 'text', platform: 'sms', action: 'sms' },
    { id: 'sync', platform: 'meta_ads', action: 'audience_sync' },
  ],
});
const [mail, text, sync] = spec.steps as [
  CampaignSpec['steps'][0],
  CampaignSpec['steps'][0],
  CampaignSpec['steps'][0],
];

describe('profileAudience', () => {
  it('keeps only people the channel can reach with consent, except for ad audiences', async () => {
    const audience = profileAudience(profiles, events);
    const emailed = await audience.resolve(
      { segment: 'vip', exclude: [] },
      { spec, step: mail, now: NOW },
    );
    const vips = profiles.filter((p) => ['gold', 'platinum'].includes(p.loyalty_tier));
    expect(emailed.map((r) => r.id)).toEqual(vips.filter((p) => p.consent.email).map((p) => p.id));
    const texted = await audience.resolve(
      { segment: 'all', exclude: [] },
      { spec, step: text, now: NOW },
    );
    expect(texted.every((r) => profiles.find((p) => p.id === r.id)!.consent.sms)).toBe(true);
    const synced = await audience.resolve(
      { segment: 'all', exclude: ['newsletter'] },
      { spec, step: sync, now: NOW },
    );
    expect(synced.map((r) => r.id)).toEqual(
      profiles.filter((p) => !p.consent.email).map((p) => p.id),
    );
  });

  it('rejects an audience naming an unknown segment or field, naming the node', async () => {
    const audience = profileAudience(profiles, events, { churned: { members: ['p000001'] } });
    const error = await audience
      .resolve({ segment: 'vipz', exclude: [] }, { spec, step: mail, now: NOW })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(isHeraldError(error) && error.message).toContain('vipz');
    const byField = await audience
      .resolve(
        {
          rules: { type: 'attribute', field: 'shoe_size', op: 'eq', value: 42 },
          exclude: ['churned'],
        },
        { spec, step: mail, now: NOW },
      )
      .catch((e: unknown) => e);
    expect((byField as ValidationError).issues[0]!.message).toContain('shoe_size');
  });
});
