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
import type { DeliveryPlan } from '../machines/machine-types.js';
import type {
  BatchOutcome,
  Deferral,
  FinishDeliveryInput,
  PreparedDelivery,
  SendBatchInput,
} from '../machines/delivery-machine.js';
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
  readonly deferrals: Deferral[];
}

/** What the journal already holds of one batch: who was sent (or may have been), by which calls. */
interface Sent {
  readonly ids: Set<string>;
  readonly entries: JournalEntry[];
  /** Keys of entries already counted by this process. */
  readonly counted: Set<string>;
}

/** A recipient deferred this many times is dropped as `no_lawful_instant` rather than deferred again. */
const MAX_DEFERRALS = 3;

const RECIPIENT_ACTIONS = new Set(['email', 'sms', 'audience_sync']);

/** Builds the actors the step chart and its delivery chart spawn. */
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
      // A new plan each time the step plans (e.g. after a restart in "planning").
      plans.delete(planKey(input));
      const { waves, recipients } = await planOf(input);
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

  /** Journal views of steps whose delivery is under way, by campaign and step. */
  const journals = new Map<string, Promise<Map<string, Sent>>>();
  const stepKey = (input: PlanDeliveryInput) => `${input.campaignId}\u0000${input.stepId}`;

  /** The plan `planDelivery` made (or the same plan again, after a restart). */
  function planOf(input: PlanDeliveryInput): ReturnType<typeof plan> {
    let planned = plans.get(planKey(input));
    if (!planned) {
      planned = plan(input);
      plans.set(planKey(input), planned);
      planned.catch(() => plans.delete(planKey(input)));
    }
    return planned;
  }

  async function callOf(input: ExecuteStepInput): Promise<Call & { waves: readonly SendWave[] }> {
    const { spec, step, waves, current } = await planOf(input);
    return {
      campaignId: input.campaignId,
      spec,
      step,
      connector: deps.connectors.get(step.platform),
      content: bindContent(step, input.inputs),
      current,
      waves,
    };
  }

  /** The journal's view of the step, read once per delivery (and again after a restart). */
  function journalFor(input: ExecuteStepInput, call: Call & { waves: readonly SendWave[] }) {
    let found = journals.get(stepKey(input));
    if (!found) {
      found = journalOf(call, plannedBatches(call.waves, call.connector.maxBatchSize));
      journals.set(stepKey(input), found);
      found.catch(() => journals.delete(stepKey(input)));
    }
    return found;
  }

  const prepareDelivery = fromPromise<PreparedDelivery, ExecuteStepInput>(async ({ input }) => {
    try {
      const call = await callOf(input);
      const size = call.connector.maxBatchSize;
      // Each attempt starts from what the journal says now.
      journals.delete(stepKey(input));
      if (RECIPIENT_ACTIONS.has(call.step.action)) await journalFor(input, call);
      return {
        waves: call.waves.map((wave) => ({
          at: wave.at,
          occurrence: wave.occurrence,
          label: wave.label,
          batches: Math.max(1, Math.ceil(wave.recipients.length / size)),
        })),
        total: call.waves.reduce((n, wave) => n + Math.max(1, wave.recipients.length), 0),
      };
    } catch (error) {
      throw StepFailure.from(error, clock.now());
    }
  });

  const sendBatch = fromPromise<BatchOutcome, SendBatchInput>(async ({ input }) => {
    try {
      const call = await callOf(input);
      const { batch } = input;
      const size = call.connector.maxBatchSize;
      const delivery: Delivery = {
        at: batch.at,
        members:
          batch.members?.map((id) => ({ id })) ??
          call.waves[batch.wave]!.recipients.slice(batch.batch * size, (batch.batch + 1) * size),
        occurrence: batch.occurrence,
        wave: batch.wave,
        batch: batch.batch,
        deferrals: batch.deferrals,
        label: batch.label,
      };
      const tally: Tally = {
        accepted: 0,
        unknown: 0,
        suppressed: 0,
        done: 0,
        outputs: {},
        reasons: new Map(),
        deferrals: [],
      };
      const later = RECIPIENT_ACTIONS.has(call.step.action)
        ? await deliverToRecipients(call, delivery, tally, await journalFor(input, call))
        : await deliverOnce(call, delivery, tally);
      const waitingNow = later.reduce((n, d) => n + d.members.length, 0);
      deps.onProgress?.({
        campaignId: input.campaignId,
        stepId: input.stepId,
        done: input.progress.done + tally.done,
        total: input.progress.total,
        unknown: input.progress.unknown + tally.unknown,
        deferred: input.waiting - (batch.deferrals > 0 ? delivery.members.length : 0) + waitingNow,
      });
      return {
        done: tally.done,
        accepted: tally.accepted,
        unknown: tally.unknown,
        suppressed: tally.suppressed,
        outputs: tally.outputs,
        reasons: Object.fromEntries(tally.reasons),
        deferred: later.map((d) => ({
          at: d.at,
          occurrence: d.occurrence,
          wave: d.wave,
          batch: d.batch,
          deferrals: d.deferrals,
          label: d.label,
          members: d.members.map((m) => m.id),
        })),
        deferrals: tally.deferrals,
      };
    } catch (error) {
      const failure = StepFailure.from(error, clock.now());
      // A retry reuses the plan; a final failure drops it.
      if (!failure.retryable) plans.delete(planKey(input));
      throw failure;
    }
  });

  const finishDelivery = fromPromise<string, FinishDeliveryInput>(async ({ input }) => {
    const reasons = Object.entries(input.reasons);
    if (reasons.length > 0) {
      await store.appendEvent({
        campaignId: input.campaignId,
        at: clock.now(),
        actor: `step:${input.stepId}`,
        type: 'delivery.suppressed',
        summary: reasons.map(([reason, n]) => `${reason}: ${String(n)}`).join(', '),
      });
    }
    plans.delete(planKey(input));
    journals.delete(stepKey(input));
    return new Date(clock.now()).toISOString();
  });

  /**
   * The calls this step already made, by the batch each was cut from. Waits for calls an
   * earlier attempt left in flight, and settles interrupted ones with the platform first
   * (without sending), so each recipient is in at most one call that may have reached it.
   */
  async function journalOf(call: Call, batches: readonly Delivery[]): Promise<Map<string, Sent>> {
    await deps.caller.idle(call.campaignId, call.step.id);
    const origins = new Map<string, Delivery[]>();
    for (const delivery of batches) {
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
      const record = sent.get(batchId(origin)) ?? {
        ids: new Set(),
        entries: [],
        counted: new Set(),
      };
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
    const past = sent.get(batchId(delivery)) ?? { ids: new Set(), entries: [], counted: new Set() };
    sent.set(batchId(delivery), past);
    // Calls an earlier run made to members of this batch count here, once: the delivery that
    // still holds their recipients is the one whose counts were not saved.
    const members = new Set(delivery.members.map((m) => m.id));
    for (const entry of past.entries) {
      if (past.counted.has(entry.key) || !entry.recipientIds.some((id) => members.has(id)))
        continue;
      past.counted.add(entry.key);
      if (entry.status === 'done') count(tally, entry.result as ActionResult);
      else tally.unknown += entry.recipientIds.length;
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
    if (later.length > 0)
      tally.deferrals.push(...(await recordDeferrals(campaignId, step, at, later, again)));
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
  ): Promise<Deferral[]> {
    const reasons = [...new Set(deferred.map((d) => d.reason))];
    const reason = `${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? '; …' : ''}`;
    for (const delivery of later) {
      await store.appendEvent({
        campaignId,
        at,
        actor: `step:${step.id}`,
        type: 'delivery.deferred',
        summary: `${String(delivery.members.length)} recipient(s) deferred at ${new Date(at).toISOString()} to ${new Date(delivery.at).toISOString()}: ${reason}`,
      });
    }
    return later.map((d) => ({ at, until: d.at, count: d.members.length, reason }));
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

  return { planDelivery, waitUntil, prepareDelivery, sendBatch, finishDelivery };
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

/** The planned batches of a step's waves, cut `size` recipients at a time. */
function plannedBatches(waves: readonly SendWave[], size: number): Delivery[] {
  return waves.flatMap((wave, w) =>
    chunk(wave.recipients, size).map((members, batch) => ({
      at: wave.at,
      members,
      occurrence: wave.occurrence,
      wave: w,
      batch,
      deferrals: 0,
      label: wave.label,
    })),
  );
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
