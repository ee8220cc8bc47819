/**
 * @module
 * The compiler from a `CampaignSpec` to the input of the campaign chart: steps with
 * prerequisites, anchors and retry policies, and the rules to monitor. Its readable view is
 * `chartView` (chart-view.ts), read from the charts themselves.
 */
import { Duration } from 'luxon';
import type { CampaignSpec } from '../spec/campaign-schema.js';
import { stepPrerequisites } from '../spec/validate-campaign.js';
import { monitoredRule } from '../metrics/rule-windows.js';
import type { CampaignMachineInput, CompiledStep } from './machine-types.js';

/** A campaign compiled for the runtime. */
export interface CompiledCampaign {
  readonly input: CampaignMachineInput;
}

/**
 * Compiles a validated spec.
 * @example
 * const { input } = compileCampaign(spec, { campaignId: 'launch', startsAt: new Date().toISOString() });
 */
export function compileCampaign(
  spec: CampaignSpec,
  options: { campaignId: string; startsAt: string } = {
    campaignId: 'campaign',
    startsAt: new Date(0).toISOString(),
  },
): CompiledCampaign {
  const steps: CompiledStep[] = spec.steps.map((step) => ({
    id: step.id,
    prerequisites: stepPrerequisites(step),
    ...(step.timing.kind === 'relative' ? { anchor: step.timing.after } : {}),
    retry: step.retry ?? spec.retry,
  }));
  return {
    input: {
      campaignId: options.campaignId,
      steps,
      onStepFailure: spec.onStepFailure,
      startsAt: options.startsAt,
      ...(spec.conditions.length > 0 ? { rules: spec.conditions.map(monitoredRule) } : {}),
    },
  };
}

/** `PT1H` → `1 hour`, `PT0S` → `right`. */
function humanDuration(iso: string): string {
  const duration = Duration.fromISO(iso).rescale();
  return duration.toMillis() === 0 ? 'right' : duration.toHuman({ listStyle: 'narrow' });
}

/** A step's timing in words, e.g. `2026-12-01 09:00 Europe/Berlin`. */
export function describeTiming(timing: CampaignSpec['steps'][number]['timing']): string {
  switch (timing.kind) {
    case 'immediate':
      return 'immediately';
    case 'absolute':
      return `${timing.date} ${timing.time} ${timing.zone}`;
    case 'recipient_local':
      return `${timing.date} ${timing.time} in each recipient's zone`;
    case 'recurring':
      return `${timing.recurrence} at ${timing.time} from ${timing.start}`;
    case 'relative':
      return `${humanDuration(timing.offset)} after "${timing.after}"${timing.time ? `, then at ${timing.time}` : ''}`;
  }
}
