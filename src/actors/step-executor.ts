/**
 * @module
 * The effectful half of a step: resolving and freezing its audience, planning its waves, and
 * delivering them batch by batch through the delivery gate and journaled calls. Batches are
 * cut from the frozen audience, so their idempotency keys never change; re-running the step
 * (after a retry, a pause or a crash) skips every batch the journal already settled.
 */
import { fromPromise } from 'xstate';
import type {
  ActionRequest,
  Connector,
  ConnectorRegistry,
  Recipient,
} from '../connectors/connector.js';
import type { DeliveryPlan, StepResult } from '../machines/machine-types.js';
import type {
  ExecuteStepInput,
  PlanDeliveryInput,
  WaitUntilInput,
} from '../machines/step-machine.js';
import type { Clock } from '../schedule/clock.js';
import { sendWindowOptionsFor } from '../schedule/defer-to-send-window.js';
import { planStep, type SendWave } from '../schedule/plan-step.js';
import { nextInstantInWindow, sendWindowFor } from '../schedule/send-window.js';
import type { CampaignSpec, Step, StepContent } from '../spec/campaign-schema.js';
import type { FrozenMember, HeraldStore } from '../store/herald-store.js';
import type { AudienceResolver } from './audience-resolver.js';
import { openGate, type DeliveryGate } from './delivery-gate.js';
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
  /** @default openGate */
  readonly gate?: DeliveryGate;
  readonly caller: JournaledCaller;
  /** The validated spec of a campaign. */
  readonly specOf: (campaignId: string) => Promise<CampaignSpec>;
  readonly onProgress?: (progress: StepProgress) => void;
  /** The text of a `report` step, posted to its chat channel. @default the campaign's step statuses */
  readonly reportText?: (campaignId: string, step: Step) => Promise<string>;
}

/** One call to make: the frozen members it was cut from, and when. */
interface Delivery {
  readonly at: number;
  readonly members: readonly FrozenMember[];
  /** Identity of the call, part of its idempotency key. */
  readonly occurrence: number;
  readonly wave: number;
  readonly batch: number;
  /** True for a batch of people the gate deferred: they are not gated again for time. */
  readonly deferred: boolean;
  readonly label: string;
}

/** Running totals of a step's delivery. */
interface Tally {
  accepted: number;
  unknown: number;
  suppressed: number;
  done: number;
  outputs: Record<string, string>;
  readonly reasons: Map<string, number>;
}

const RECIPIENT_ACTIONS = new Set(['email', 'sms', 'audience_sync']);

/** Builds the `planDelivery`, `executeStep` and `waitUntil` actors of the step chart. */
export function createStepActors(deps: StepExecutorDeps) {
  const { store, clock } = deps;
  const gate = deps.gate ?? openGate;

  /** The step's frozen audience (first resolution wins) and who of it the resolver still returns as of `asOf`. */
  async function audienceOf(campaignId: string, spec: CampaignSpec, step: Step, asOf: number) {
    if (!RECIPIENT_ACTIONS.has(step.action))
      return { frozen: [] as FrozenMember[], current: new Map<string, Recipient>() };
    const audience = step.audience ?? spec.audience!;
    const resolved = await deps.audience.resolve(audience, { spec, step, now: asOf });
    const frozen = await store.freezeAudience(
      campaignId,
      step.id,
      resolved.map((r) => (r.zone === undefined ? { id: r.id } : { id: r.id, zone: r.zone })),
    );
    return { frozen, current: new Map(assignVariants(step, resolved).map((r) => [r.id, r])) };
  }

  /**
   * Plans made by `planDelivery`, kept for the `executeStep` that follows so a large audience
   * is resolved once per step, not twice; dropped when the step's execution ends.
   */
  const plans = new Map<string, ReturnType<typeof plan>>();
  const planKey = (input: PlanDeliveryInput) =>
    `${input.campaignId}\u0000${input.stepId}\u0000${input.anchorDoneAt ?? ''}`;

  async function plan(input: PlanDeliveryInput) {
    const spec = await deps.specOf(input.campaignId);
    const step = spec.steps.find((s) => s.id === input.stepId)!;
    // Rules like "opened in the last 30 days" are read as of when the step became ready (the
    // campaign's start or its anchor's completion): the same instant on every re-run.
    const asOf = Date.parse(input.anchorDoneAt ?? input.launchedAt);
    const { frozen, current } = await audienceOf(input.campaignId, spec, step, asOf);
    const planned = planStep({
      spec,
      step,
      now: Date.parse(input.launchedAt),
      recipients: frozen,
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
    const waves = RECIPIENT_ACTIONS.has(step.action)
      ? planned.data.filter((w) => w.recipients.length > 0)
      : planned.data.map((wave) => withinPostingHours(spec, step, wave));
    return { spec, step, waves, current, recipients: frozen.length };
  }

  const planDelivery = fromPromise<DeliveryPlan, PlanDeliveryInput>(async ({ input }) => {
    try {
      const planned = plan(input);
      plans.set(planKey(input), planned);
      planned.catch(() => plans.delete(planKey(input)));
      const { waves, recipients } = await planned;
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
    await sleepUntil(
      input.campaignId,
      input.key,
      Date.parse(input.deadline),
      input.description,
      signal,
    );
    return undefined;
  });

  async function sleepUntil(
    campaignId: string,
    key: string,
    at: number,
    description: string,
    signal: AbortSignal,
  ) {
    if (at <= clock.now()) return;
    await store.putDeadline({ campaignId, key, at, description });
    await clock.sleepUntil(at, signal);
    await store.removeDeadline(campaignId, key);
  }

  const executeStep = fromPromise<StepResult, ExecuteStepInput>(async ({ input, signal }) => {
    try {
      const { spec, step, waves, current } = await (plans.get(planKey(input)) ?? plan(input));
      const connector = deps.connectors.get(step.platform);
      const content = bindContent(step, input.inputs);
      const queue: Delivery[] = waves.flatMap((wave, w) =>
        chunk(wave.recipients, connector.maxBatchSize).map((members, batch) => ({
          at: wave.at,
          members,
          occurrence: wave.occurrence,
          wave: w,
          batch,
          deferred: false,
          label: wave.label,
        })),
      );
      const total = queue.reduce((n, d) => n + Math.max(1, d.members.length), 0);
      const tally: Tally = {
        accepted: 0,
        unknown: 0,
        suppressed: 0,
        done: 0,
        outputs: {},
        reasons: new Map(),
      };
      while (queue.length > 0) {
        const delivery = queue.shift()!;
        await sleepUntil(
          input.campaignId,
          `step:${step.id}:send:${String(delivery.wave)}:${String(delivery.batch)}`,
          delivery.at,
          `step "${step.id}" ${delivery.label}`,
          signal,
        );
        signal.throwIfAborted();
        const later = await deliver({
          campaignId: input.campaignId,
          spec,
          step,
          connector,
          content,
          current,
          delivery,
          tally,
        });
        for (const next of later) insertByTime(queue, next);
        deps.onProgress?.({
          campaignId: input.campaignId,
          stepId: step.id,
          done: tally.done,
          total,
          unknown: tally.unknown,
        });
      }
      if (tally.reasons.size > 0) {
        await store.appendEvent({
          campaignId: input.campaignId,
          at: clock.now(),
          actor: `step:${step.id}`,
          type: 'delivery.suppressed',
          summary: [...tally.reasons].map(([reason, n]) => `${reason}: ${String(n)}`).join(', '),
        });
      }
      const result: StepResult = {
        accepted: tally.accepted,
        unknown: tally.unknown,
        suppressed: tally.suppressed,
        outputs: tally.outputs,
        finishedAt: new Date(clock.now()).toISOString(),
      };
      plans.delete(planKey(input));
      return result;
    } catch (error) {
      const failure = StepFailure.from(error, clock.now());
      // A retry (or a resume after a pause) reuses the plan; a final failure drops it.
      if (!failure.retryable) plans.delete(planKey(input));
      throw failure;
    }
  });

  /** Sends one batch; returns the deliveries the gate deferred to later instants. */
  async function deliver(args: {
    campaignId: string;
    spec: CampaignSpec;
    step: Step;
    connector: Connector;
    content: StepContent;
    current: ReadonlyMap<string, Recipient>;
    delivery: Delivery;
    tally: Tally;
  }): Promise<Delivery[]> {
    const { campaignId, spec, step, connector, content, current, delivery, tally } = args;
    const suppress = (reason: string, n: number) => {
      if (n === 0) return;
      tally.suppressed += n;
      tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + n);
    };
    const needsRecipients = RECIPIENT_ACTIONS.has(step.action);
    const present = delivery.members.flatMap((m) => current.get(m.id) ?? []);
    suppress('left_the_audience', delivery.members.length - present.length);
    const verdict = needsRecipients
      ? gate.check(present, { spec, step, at: delivery.at })
      : { allowed: present, deferred: [], suppressed: [] };
    for (const { reason } of verdict.suppressed) suppress(reason, 1);
    const later = delivery.deferred ? [] : deferrals(delivery, verdict.deferred);
    if (delivery.deferred) suppress('window_closed_again', verdict.deferred.length);
    tally.done +=
      Math.max(1, delivery.members.length) - later.reduce((n, d) => n + d.members.length, 0);
    if (needsRecipients && verdict.allowed.length === 0) return later;
    const report =
      step.action === 'report' ? await reportContent(campaignId, step, content) : undefined;
    const request: ActionRequest = {
      campaignId,
      stepId: step.id,
      platform: connector.platform,
      action: report ? 'notify' : step.action,
      content: report ?? content,
      options: step.options,
      ...(step.budget ? { budget: step.budget } : {}),
      currency: spec.currency,
      recipients: verdict.allowed,
      // The key names the frozen batch, not who is left of it: a restart finds the same key.
      idempotencyKey: idempotencyKey({
        campaignId,
        stepId: step.id,
        occurrence: delivery.occurrence,
        wave: delivery.wave,
        batch: delivery.batch,
        recipientIds: delivery.members.map((m) => m.id),
      }),
    };
    const outcome = await deps.caller.call(connector, request);
    if (outcome.status === 'done') {
      tally.accepted += outcome.result.accepted;
      tally.outputs = { ...tally.outputs, ...outcome.result.outputs };
    } else tally.unknown += Math.max(1, verdict.allowed.length);
    return later;
  }

  /** A report step posts its report as a notification in its channel. */
  async function reportContent(
    campaignId: string,
    step: Step,
    content: StepContent,
  ): Promise<StepContent> {
    const text = deps.reportText
      ? await deps.reportText(campaignId, step)
      : `Report on ${(await deps.specOf(campaignId)).name} (step ${step.id})`;
    return { ...content, text: content.text ? `${content.text}\n${text}` : text };
  }

  return { planDelivery, waitUntil, executeStep };
}

/**
 * A social post planned for the night waits for the morning (posts go out 07:00–22:00 in the
 * step's zone, within the campaign's quiet hours); other actions keep their instant.
 */
function withinPostingHours(spec: CampaignSpec, step: Step, wave: SendWave): SendWave {
  if (step.action !== 'post') return wave;
  const { fallbackZone, policy } = sendWindowOptionsFor(spec, step);
  const window = sendWindowFor('post', undefined, spec.compliance.quietHours);
  const at = nextInstantInWindow(wave.at, fallbackZone, window, policy);
  return at === undefined || at === wave.at
    ? wave
    : { ...wave, at, label: `${wave.label} (deferred to posting hours)` };
}

/** Deferred recipients grouped by the instant they may be sent at, as follow-up deliveries. */
function deferrals(
  delivery: Delivery,
  deferred: readonly { recipient: Recipient; until: number }[],
): Delivery[] {
  const byInstant = new Map<number, FrozenMember[]>();
  for (const { recipient, until } of deferred) {
    const group = byInstant.get(until) ?? [];
    group.push({ id: recipient.id });
    byInstant.set(until, group);
  }
  return [...byInstant]
    .sort(([a], [b]) => a - b)
    .map(([at, members], i) => ({
      ...delivery,
      at,
      members,
      batch: delivery.batch * 1000 + i + 1,
      wave: -1 - delivery.wave,
      deferred: true,
      label: `${delivery.label} (deferred to ${new Date(at).toISOString()})`,
    }));
}

function insertByTime(queue: Delivery[], delivery: Delivery): void {
  const index = queue.findIndex((d) => d.at > delivery.at);
  queue.splice(index === -1 ? queue.length : index, 0, delivery);
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

function assignVariants(step: Step, recipients: readonly Recipient[]): readonly Recipient[] {
  const variants = step.content.variants;
  if (variants.length === 0) return recipients;
  const total = variants.reduce((n, v) => n + v.weight, 0);
  return recipients.map((recipient) => {
    let point = (fnv1a(recipient.id) / 2 ** 32) * total;
    const variant = variants.find((v) => (point -= v.weight) < 0) ?? variants.at(-1)!;
    return { ...recipient, variant: variant.id };
  });
}

/** FNV-1a hash of `text`, as an unsigned 32-bit integer. */
export function fnv1a(text: string): number {
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
