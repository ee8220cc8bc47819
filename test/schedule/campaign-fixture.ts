/**
 * @module
 * Builds campaign specs with one step of a given timing, for scheduler tests.
 */
import { CampaignSpec, type CampaignSpecInput } from '../../src/spec/campaign-schema.js';
import type { Timing } from '../../src/spec/timing-schema.js';

/** Input form of a timing, before defaults. */
export type TimingInput = NonNullable<CampaignSpecInput['steps'][number]['timing']>;

/** A parsed one-step SMS campaign with `timing`, plus optional compliance and default zone. */
export function campaignWith(
  timing: TimingInput,
  options: {
    compliance?: CampaignSpecInput['compliance'];
    defaultZone?: string;
    steps?: CampaignSpecInput['steps'];
  } = {},
): CampaignSpec {
  return CampaignSpec.parse({
    name: 'test',
    defaultZone: options.defaultZone ?? 'UTC',
    ...(options.compliance === undefined ? {} : { compliance: options.compliance }),
    steps: options.steps ?? [{ id: 'send', platform: 'sms', action: 'sms', timing }],
  });
}

/** The timing of a parsed spec's step `id` (the first step by default). */
export function timingOf(spec: CampaignSpec, id?: string): Timing {
  const step = id === undefined ? spec.steps[0] : spec.steps.find((s) => s.id === id);
  return step!.timing;
}
