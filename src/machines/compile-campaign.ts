/**
 * @module
 * The compiler from a `CampaignSpec` to its campaign chart: the input of the campaign machine
 * (steps with prerequisites, anchors and retry policies) and a JSON view of the chart a person
 * can read (`herald parse --format machine`).
 */
import { Duration } from 'luxon';
import type { CampaignSpec } from '../spec/campaign-schema.js';
import { stepPrerequisites } from '../spec/validate-campaign.js';
import { monitoredRule } from '../metrics/rule-windows.js';
import type { CampaignMachineInput, CompiledStep } from './machine-types.js';

/** A campaign compiled for the runtime, with a readable view of its chart. */
export interface CompiledCampaign {
  readonly input: CampaignMachineInput;
  /** The chart as nested states: the campaign's, and one region per step with its edges. */
  readonly chart: ChartView;
}

/** A readable state chart. */
export interface ChartView {
  readonly id: string;
  readonly states: readonly string[];
  readonly transitions: readonly {
    readonly from: string;
    readonly event: string;
    readonly to: string;
  }[];
  readonly steps: readonly {
    readonly id: string;
    readonly action: string;
    readonly platform: string;
    readonly timing: string;
    readonly waitsFor: readonly string[];
    readonly states: readonly string[];
  }[];
}

const CAMPAIGN_TRANSITIONS = [
  { from: 'draft', event: 'campaign.schedule', to: 'scheduled' },
  { from: 'scheduled', event: 'deadline (startsAt)', to: 'running' },
  { from: 'scheduled', event: 'campaign.pause', to: 'paused' },
  { from: 'running', event: 'campaign.pause', to: 'paused' },
  { from: 'paused', event: 'campaign.resume', to: 'running' },
  { from: 'running', event: 'all steps done or skipped', to: 'completed' },
  { from: 'running', event: 'all steps settled, a rule window open', to: 'monitoring' },
  { from: 'monitoring', event: 'deadline (last rule window closes)', to: 'completed' },
  { from: 'running', event: 'step.failed / all settled with a failure', to: 'failed' },
  { from: '*', event: 'campaign.cancel', to: 'cancelled' },
] as const;

const STEP_STATES = [
  'waiting',
  'planning',
  'scheduled',
  'executing',
  'retrying',
  'paused',
  'done',
  'failed',
  'skipped',
];

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
    chart: {
      id: options.campaignId,
      states: [
        'draft',
        'scheduled',
        'running',
        'paused',
        'monitoring',
        'completed',
        'failed',
        'cancelled',
      ],
      transitions: CAMPAIGN_TRANSITIONS,
      steps: spec.steps.map((step, i) => ({
        id: step.id,
        action: step.action,
        platform: step.platform,
        timing: describeTiming(step.timing),
        waitsFor: steps[i]!.prerequisites,
        states: STEP_STATES,
      })),
    },
  };
}

/** `PT1H` → `1 hour`, `PT0S` → `right`. */
function humanDuration(iso: string): string {
  const duration = Duration.fromISO(iso).rescale();
  return duration.toMillis() === 0 ? 'right' : duration.toHuman({ listStyle: 'narrow' });
}

function describeTiming(timing: CampaignSpec['steps'][number]['timing']): string {
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
