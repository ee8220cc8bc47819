import { describe, expect, it } from 'vitest';
import { formatIssues } from '../errors.js';
import { validateCampaign } from './validate-campaign.js';

const base = {
  name: 'Launch',
  audience: { segment: 'newsletter' },
  steps: [
    {
      id: 'blog',
      platform: 'wordpress',
      action: 'publish',
      timing: { kind: 'absolute', date: '2026-12-01', time: '08:00', zone: 'America/New_York' },
    },
    {
      id: 'tweet',
      platform: 'x',
      action: 'post',
      dependsOn: [{ step: 'blog', bind: { link: 'url' } }],
      timing: { kind: 'relative', after: 'blog', offset: 'PT1H' },
    },
  ],
};

describe('validateCampaign', () => {
  it('accepts a valid campaign and fills defaults', () => {
    const result = validateCampaign(base);
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.currency).toBe('USD');
    expect(result.data.compliance.dstGap).toBe('shift_forward');
    expect(result.data.steps[1]!.dependsOn[0]!.bind).toEqual({ link: 'url' });
  });

  it('names the path and the choices when a platform is unknown', () => {
    const result = validateCampaign({
      ...base,
      steps: [{ ...base.steps[0], platform: 'myspace' }],
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error[0]!.path).toEqual(['steps', 0, 'platform']);
    expect(result.error[0]!.suggestions?.[0]).toContain('wordpress');
  });

  it('suggests the closest step when a relative anchor is missing', () => {
    const steps = [
      base.steps[0],
      { ...base.steps[1], dependsOn: [], timing: { kind: 'relative', after: 'blgo' } },
    ];
    const result = validateCampaign({ ...base, steps });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error[0]).toMatchObject({
      code: 'unknown_step',
      path: ['steps', 1, 'timing', 'after'],
      suggestions: ['"blog"'],
    });
  });

  it('rejects a dependency cycle naming the steps in it', () => {
    const steps = [{ ...base.steps[0], dependsOn: [{ step: 'tweet' }] }, base.steps[1]];
    const result = validateCampaign({ ...base, steps });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error[0]!.code).toBe('dependency_cycle');
    expect(result.error[0]!.message).toContain('blog → tweet → blog');
  });

  it('rejects duplicate ids, unsupported actions and missing thresholds together', () => {
    const result = validateCampaign({
      ...base,
      audience: undefined,
      steps: [
        { id: 'a', platform: 'ga4', action: 'post' },
        { id: 'a', platform: 'sendgrid', action: 'email' },
      ],
      conditions: [
        { id: 'c', metric: 'open_rate', op: 'lt', step: 'b', then: { type: 'pause', step: 'zz' } },
      ],
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    const codes = result.error.map((i) => i.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'duplicate_step',
        'unsupported_action',
        'missing_audience',
        'unknown_step',
        'missing_threshold',
      ]),
    );
    expect(formatIssues(result.error)).toContain('steps.0.action: ga4 cannot "post"');
  });

  it('rejects a recurring step without an end and a bad zone', () => {
    const result = validateCampaign({
      ...base,
      steps: [
        {
          id: 'digest',
          platform: 'slack',
          action: 'notify',
          timing: {
            kind: 'recurring',
            recurrence: 'weekly:MO',
            start: '2026-12-01',
            time: '09:00',
            zone: 'Mars/Olympus',
          },
        },
      ],
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    const messages = result.error.map((i) => i.message).join('\n');
    expect(messages).toContain('unknown IANA time zone');
    expect(messages).toContain('needs an end');
  });
});
