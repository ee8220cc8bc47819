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
  ActionResult,
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
import type { FrozenMember, HeraldStore, JournalEntry } from '../store/herald-store.js';
import { fnv1a } from '../seeded-random.js';
import type { AudienceResolver } from './audience-resolver.js';
import type { DeliveryGate, GateVerdict } from './delivery-gate.js';
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
  /** Recipients the gate deferred who are waiting for their sending window. */
  readonly deferred: number;
}

/** What the step actors need from the runtime. */
export interface StepExecutorDeps {
  readonly store: HeraldStore;
  readonly clock: Clock;
  readonly connectors: ConnectorRegistry;
  readonly audience: AudienceResolver;
  /** Checked at the instant each email and SMS batch is sent. */
  readonly gate: DeliveryGate;
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
  /** Identity of the batch it was cut from, part of its calls' idempotency keys. */
  readonly occurrence: number;
  readonly wave: number;
  readonly batch: number;
  /** Times the gate has deferred these members already. */
  readonly deferrals: number;
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

/** What the journal already holds of one batch: who was sent (or may have been), by which calls. */
interface Sent {
  readonly ids: Set<string>;
  readonly entries: JournalEntry[];
  counted: boolean;
}

/** A recipient deferred this many times is dropped as `no_lawful_instant` rather than deferred again. */
const MAX_DEFERRALS = 3;

const RECIPIENT_ACTIONS = new Set(['email', 'sms', 'audience_sync']);

/** Builds the `planDelivery`, `executeStep` and `waitUntil` actors of the step chart. */
export function createStepActors(deps: StepExecutorDeps) {
  const { store, clock, gate } = deps;

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
          deferrals: 0,
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
      const call = { campaignId: input.campaignId, spec, step, connector, content, current };
      const sent = RECIPIENT_ACTIONS.has(step.action)
        ? await journalOf(call, queue)
        : new Map<string, Sent>();
      while (queue.length > 0) {
        const delivery = queue.shift()!;
        await sleepUntil(
          input.campaignId,
          `step:${step.id}:send:${String(delivery.wave)}:${String(delivery.batch)}${delivery.deferrals > 0 ? `:${String(delivery.at)}` : ''}`,
          delivery.at,
          `step "${step.id}" ${delivery.label}`,
          signal,
        );
        signal.throwIfAborted();
        const later = RECIPIENT_ACTIONS.has(step.action)
          ? await deliverToRecipients(call, delivery, tally, sent)
          : await deliverOnce(call, delivery, tally);
        for (const next of later) insertByTime(queue, next);
        deps.onProgress?.({
          campaignId: input.campaignId,
          stepId: step.id,
          done: tally.done,
          total,
          unknown: tally.unknown,
          deferred: queue.reduce((n, d) => n + (d.deferrals > 0 ? d.members.length : 0), 0),
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

  /**
   * The calls this step already made, by the batch each was cut from. Waits for calls an
   * earlier attempt left in flight, and settles interrupted ones with the platform first
   * (without sending), so each recipient is in at most one call that may have reached it.
   */
  async function journalOf(call: Call, queue: readonly Delivery[]): Promise<Map<string, Sent>> {
    await deps.caller.idle(call.campaignId, call.step.id);
    const origins = new Map<string, Delivery[]>();
    for (const delivery of queue) {
      for (const member of delivery.members) {
        const list = origins.get(member.id) ?? [];
        list.push(delivery);
        origins.set(member.id, list);
      }
    }
    const sent = new Map<string, Sent>();
    for (const found of await store.journal(call.campaignId, call.step.id)) {
      const ids = found.recipientIds;
      const origin = (origins.get(ids[0] ?? '') ?? []).find(
        (d) => callKey(call, d, ids) === found.key,
      );
      if (!origin) continue;
      const entry =
        found.status === 'intent'
          ? await deps.caller.settleInterrupted(
              call.connector,
              requestOf(
                call,
                ids.map((id) => call.current.get(id) ?? { id }),
                found.key,
                call.content,
              ),
            )
          : found;
      if (entry.status === 'failed') continue;
      const record = sent.get(batchId(origin)) ?? { ids: new Set(), entries: [], counted: false };
      for (const id of ids) record.ids.add(id);
      record.entries.push(entry);
      sent.set(batchId(origin), record);
    }
    return sent;
  }

  /**
   * Sends one batch of an email, SMS or audience step to whoever of it the gate allows at this
   * instant and no earlier call reached; returns the deliveries the gate deferred.
   */
  async function deliverToRecipients(
    call: Call,
    delivery: Delivery,
    tally: Tally,
    sent: Map<string, Sent>,
  ): Promise<Delivery[]> {
    const { campaignId, spec, step, current } = call;
    const suppress = (reason: string, n: number) => {
      if (n === 0) return;
      tally.suppressed += n;
      tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + n);
    };
    const past = sent.get(batchId(delivery)) ?? { ids: new Set(), entries: [], counted: false };
    sent.set(batchId(delivery), past);
    if (!past.counted) {
      past.counted = true;
      for (const entry of past.entries) {
        if (entry.status === 'done') count(tally, entry.result as ActionResult);
        else tally.unknown += entry.recipientIds.length;
      }
    }
    const present = delivery.members.flatMap((m) => current.get(m.id) ?? []);
    suppress('left_the_audience', delivery.members.length - present.length);
    // The law of the moment of sending: consent, suppression and sending windows as of now,
    // however late (a resume, a retry, a long batch before it) this batch goes out.
    const at = clock.now();
    const verdict = gate.check(
      present.filter((r) => !past.ids.has(r.id)),
      { spec, step, at },
    );
    for (const { reason } of verdict.suppressed) suppress(reason, 1);
    const again = verdict.deferred.filter(() => delivery.deferrals + 1 < MAX_DEFERRALS);
    suppress('no_lawful_instant', verdict.deferred.length - again.length);
    const later = deferrals(delivery, again);
    if (later.length > 0) await recordDeferrals(campaignId, step, at, later, again);
    tally.done +=
      Math.max(1, delivery.members.length) - later.reduce((n, d) => n + d.members.length, 0);
    if (verdict.allowed.length === 0) return later;
    const ids = verdict.allowed.map((r) => r.id);
    for (const id of ids) past.ids.add(id);
    const outcome = await deps.caller.call(
      call.connector,
      requestOf(call, verdict.allowed, callKey(call, delivery, ids), call.content),
    );
    if (outcome.status === 'done') count(tally, outcome.result);
    else tally.unknown += ids.length;
    return later;
  }

  /** Makes the one call of a post, ad, notification or report. */
  async function deliverOnce(call: Call, delivery: Delivery, tally: Tally): Promise<Delivery[]> {
    const { campaignId, step, content } = call;
    const report =
      step.action === 'report' ? await reportContent(campaignId, step, content) : undefined;
    tally.done += 1;
    const outcome = await deps.caller.call(
      call.connector,
      requestOf(call, [], callKey(call, delivery, []), report ?? content),
    );
    if (outcome.status === 'done') count(tally, outcome.result);
    else tally.unknown += 1;
    return [];
  }

  /** Records, for `herald inspect`, who the gate deferred at `at`, until when and why. */
  async function recordDeferrals(
    campaignId: string,
    step: Step,
    at: number,
    later: readonly Delivery[],
    deferred: GateVerdict['deferred'],
  ): Promise<void> {
    const reasons = [...new Set(deferred.map((d) => d.reason))];
    for (const delivery of later) {
      await store.appendEvent({
        campaignId,
        at,
        actor: `step:${step.id}`,
        type: 'delivery.deferred',
        summary: `${String(delivery.members.length)} recipient(s) deferred at ${new Date(at).toISOString()} to ${new Date(delivery.at).toISOString()}: ${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? '; …' : ''}`,
      });
    }
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
function deferrals(delivery: Delivery, deferred: GateVerdict['deferred']): Delivery[] {
  const byInstant = new Map<number, FrozenMember[]>();
  for (const { recipient, until } of deferred) {
    const group = byInstant.get(until) ?? [];
    group.push({ id: recipient.id });
    byInstant.set(until, group);
  }
  return [...byInstant]
    .sort(([a], [b]) => a - b)
    .map(([at, members]) => ({
      ...delivery,
      at,
      members,
      deferrals: delivery.deferrals + 1,
      label: `${delivery.label} (deferred to ${new Date(at).toISOString()})`,
    }));
}

/** What every call of one step execution shares. */
interface Call {
  readonly campaignId: string;
  readonly spec: CampaignSpec;
  readonly step: Step;
  readonly connector: Connector;
  readonly content: StepContent;
  readonly current: ReadonlyMap<string, Recipient>;
}

/** Identity of the batch a delivery was cut from. */
function batchId(delivery: Delivery): string {
  return `${String(delivery.occurrence)}:${String(delivery.wave)}:${String(delivery.batch)}`;
}

/** The key of a call to `recipientIds` of a batch: the same call after a restart has the same key. */
function callKey(call: Call, delivery: Delivery, recipientIds: readonly string[]): string {
  return idempotencyKey({
    campaignId: call.campaignId,
    stepId: call.step.id,
    occurrence: delivery.occurrence,
    wave: delivery.wave,
    batch: delivery.batch,
    recipientIds,
  });
}

function requestOf(
  call: Call,
  recipients: readonly Recipient[],
  key: string,
  content: StepContent,
): ActionRequest {
  const { campaignId, spec, step, connector } = call;
  return {
    campaignId,
    stepId: step.id,
    platform: connector.platform,
    action: step.action === 'report' ? 'notify' : step.action,
    content,
    options: step.options,
    ...(step.budget ? { budget: step.budget } : {}),
    currency: spec.currency,
    recipients,
    idempotencyKey: key,
  };
}

function count(tally: Tally, result: ActionResult): void {
  tally.accepted += result.accepted;
  tally.outputs = { ...tally.outputs, ...result.outputs };
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

function chunk<T>(items: readonly T[], size: number): T[][] {
  if (items.length === 0) return [[]];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
