/**
 * @module
 * The effectful half of a step: resolving and freezing its audience, planning its waves, and
 * delivering them batch by batch through journaled calls. Re-running it (after a retry, a
 * pause or a crash) skips every batch the journal already settled.
 */
import { fromPromise } from 'xstate';
import type { ActionRequest, ConnectorRegistry, Recipient } from '../connectors/connector.js';
import type { DeliveryPlan, StepResult } from '../machines/machine-types.js';
import type {
  ExecuteStepInput,
  PlanDeliveryInput,
  WaitUntilInput,
} from '../machines/step-machine.js';
import type { Clock } from '../schedule/clock.js';
import { planStep, type SendWave } from '../schedule/plan-step.js';
import type { CampaignSpec, Step, StepContent } from '../spec/campaign-schema.js';
import { DEFAULT_PROVIDER, type Platform } from '../spec/platforms.js';
import type { HeraldStore } from '../store/herald-store.js';
import type { AudienceResolver } from './audience-resolver.js';
import { idempotencyKey } from './idempotency-key.js';
import type { JournaledCaller } from './journaled-call.js';
import { StepFailure } from './step-failure.js';

/** Progress of a step's delivery, emitted after every batch. */
export interface StepProgress {
  readonly campaignId: string;
  readonly stepId: string;
  readonly done: number;
  readonly total: number;
  readonly unknown: number;
}

/** What the step actors need from the runtime. */
export interface StepExecutorDeps {
  readonly store: HeraldStore;
  readonly clock: Clock;
  readonly connectors: ConnectorRegistry;
  readonly audience: AudienceResolver;
  readonly caller: JournaledCaller;
  /** The validated spec of a campaign. */
  readonly specOf: (campaignId: string) => Promise<CampaignSpec>;
  readonly onProgress?: (progress: StepProgress) => void;
}

const RECIPIENT_ACTIONS = new Set(['email', 'sms', 'audience_sync']);

/** Builds the `planDelivery`, `executeStep` and `waitUntil` actors of the step chart. */
export function createStepActors(deps: StepExecutorDeps) {
  const { store, clock } = deps;

  async function recipientsOf(campaignId: string, spec: CampaignSpec, step: Step) {
    if (!RECIPIENT_ACTIONS.has(step.action))
      return { recipients: [] as Recipient[], suppressed: 0 };
    const audience = step.audience ?? spec.audience!;
    const resolved = await deps.audience.resolve(audience, { spec, step, now: clock.now() });
    // The first resolution is frozen: a restart re-sends to the same people in the same batches.
    const frozen = await store.freezeAudience(
      campaignId,
      step.id,
      resolved.map((r) => r.id),
    );
    const byId = new Map(resolved.map((r) => [r.id, r]));
    const recipients = frozen.flatMap((id) => byId.get(id) ?? []);
    return {
      recipients: assignVariants(step, recipients),
      suppressed: frozen.length - recipients.length,
    };
  }

  async function plan(input: PlanDeliveryInput) {
    const spec = await deps.specOf(input.campaignId);
    const step = spec.steps.find((s) => s.id === input.stepId)!;
    const { recipients, suppressed } = await recipientsOf(input.campaignId, spec, step);
    const planned = planStep({
      spec,
      step,
      now: Date.parse(input.launchedAt),
      recipients,
      ...(input.anchorDoneAt === undefined ? {} : { anchorDoneAt: Date.parse(input.anchorDoneAt) }),
    });
    if (!planned.success) {
      const issue = planned.error[0]!;
      throw new StepFailure({
        code: issue.code,
        message: issue.message,
        retryable: false,
        at: new Date(clock.now()).toISOString(),
      });
    }
    const needsRecipients = RECIPIENT_ACTIONS.has(step.action);
    const waves = needsRecipients
      ? planned.data.filter((w) => w.recipients.length > 0)
      : planned.data;
    return { spec, step, waves, suppressed, recipients: recipients.length };
  }

  const planDelivery = fromPromise<DeliveryPlan, PlanDeliveryInput>(async ({ input }) => {
    try {
      const { waves, recipients } = await plan(input);
      const first = waves[0];
      return {
        firstAt: first ? new Date(first.at).toISOString() : null,
        waves: waves.length,
        recipients,
      };
    } catch (error) {
      throw StepFailure.from(error, clock.now());
    }
  });

  const waitUntil = fromPromise<undefined, WaitUntilInput>(async ({ input, signal }) => {
    const at = Date.parse(input.deadline);
    await store.putDeadline({
      campaignId: input.campaignId,
      key: input.key,
      at,
      description: input.description,
    });
    await clock.sleepUntil(at, signal);
    await store.removeDeadline(input.campaignId, input.key);
    return undefined;
  });

  const executeStep = fromPromise<StepResult, ExecuteStepInput>(async ({ input, signal }) => {
    try {
      const { spec, step, waves, suppressed } = await plan(input);
      const connector = deps.connectors.get(concretePlatform(step.platform));
      const content = bindContent(step, input.inputs);
      const total = waves.reduce((n, w) => n + Math.max(1, w.recipients.length), 0);
      let accepted = 0;
      let unknown = 0;
      let done = 0;
      let outputs: Record<string, string> = {};
      for (const [w, wave] of waves.entries()) {
        await waitForWave(input, step, w, wave, signal);
        const batches = chunk(wave.recipients, connector.maxBatchSize);
        for (const [b, recipients] of batches.entries()) {
          signal.throwIfAborted();
          const request: ActionRequest = {
            campaignId: input.campaignId,
            stepId: step.id,
            platform: connector.platform,
            action: step.action,
            content,
            options: step.options,
            ...(step.budget ? { budget: step.budget } : {}),
            currency: spec.currency,
            recipients,
            idempotencyKey: idempotencyKey({
              campaignId: input.campaignId,
              stepId: step.id,
              occurrence: wave.occurrence,
              wave: w,
              batch: b,
              recipientIds: recipients.map((r) => r.id),
            }),
          };
          const outcome = await deps.caller.call(connector, request);
          if (outcome.status === 'done') {
            accepted += outcome.result.accepted;
            outputs = { ...outputs, ...outcome.result.outputs };
          } else unknown += Math.max(1, recipients.length);
          done += Math.max(1, recipients.length);
          deps.onProgress?.({
            campaignId: input.campaignId,
            stepId: step.id,
            done,
            total,
            unknown,
          });
        }
      }
      return {
        accepted,
        unknown,
        suppressed,
        outputs,
        finishedAt: new Date(clock.now()).toISOString(),
      };
    } catch (error) {
      throw StepFailure.from(error, clock.now());
    }
  });

  async function waitForWave(
    input: ExecuteStepInput,
    step: Step,
    w: number,
    wave: SendWave,
    signal: AbortSignal,
  ) {
    if (wave.at <= clock.now()) return;
    const key = `step:${step.id}:wave:${String(w)}`;
    await store.putDeadline({
      campaignId: input.campaignId,
      key,
      at: wave.at,
      description: `step "${step.id}" ${wave.label}`,
    });
    await clock.sleepUntil(wave.at, signal);
    await store.removeDeadline(input.campaignId, key);
  }

  return { planDelivery, waitUntil, executeStep };
}

/** The provider a generic channel (`email`, `sms`, `cms`) stands for. */
export function concretePlatform(platform: Platform): Platform {
  return platform in DEFAULT_PROVIDER
    ? DEFAULT_PROVIDER[platform as keyof typeof DEFAULT_PROVIDER]
    : platform;
}

/** Content with each dependency's bound outputs filled in (e.g. `link` ← the blog post's `url`). */
export function bindContent(step: Step, inputs: ExecuteStepInput['inputs']): StepContent {
  const content: Record<string, unknown> = { ...step.content };
  for (const dependency of step.dependsOn) {
    for (const [field, output] of Object.entries(dependency.bind)) {
      const value = inputs[dependency.step]?.[output];
      if (value !== undefined) content[field] = value;
    }
  }
  return content as StepContent;
}

function assignVariants(step: Step, recipients: Recipient[]): Recipient[] {
  const variants = step.content.variants;
  if (variants.length === 0) return recipients;
  const total = variants.reduce((n, v) => n + v.weight, 0);
  return recipients.map((recipient) => {
    let point = (fnv(recipient.id) / 2 ** 32) * total;
    const variant = variants.find((v) => (point -= v.weight) < 0) ?? variants.at(-1)!;
    return { ...recipient, variant: variant.id };
  });
}

function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  if (items.length === 0) return [[]];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
