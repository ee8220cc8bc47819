/**
 * @module
 * `CampaignSystem`: launches, pauses, resumes and cancels campaigns as XState actors; persists
 * every actor's snapshot after each change; resumes unfinished campaigns after a restart; and
 * exposes the actor tree and a progress stream for people watching or debugging.
 */
import { Subject } from 'rxjs';
import { createActor, type Actor, type InspectionEvent, type Snapshot } from 'xstate';
import type { Capability, Connector, ConnectorRegistry } from '../connectors/connector.js';
import { ConfigurationError, HeraldError, ValidationError, type Issue } from '../errors.js';
import { campaignMachine, monitoringEndsAt } from '../machines/campaign-machine.js';
import { compileCampaign } from '../machines/compile-campaign.js';
import { deliveryMachine } from '../machines/delivery-machine.js';
import type { CampaignMachineInput, ErrorSummary, StepResult } from '../machines/machine-types.js';
import { stepMachine } from '../machines/step-machine.js';
import { systemClock, type Clock } from '../schedule/clock.js';
import type { CampaignSpec, CampaignSpecInput, Step } from '../spec/campaign-schema.js';
import type { Platform, StepAction } from '../spec/platforms.js';
import { checkCampaignId } from '../spec/campaign-id.js';
import { contentIssues } from '../spec/content-requirements.js';
import { validateCampaign } from '../spec/validate-campaign.js';
import {
  isFinalStatus,
  type CampaignCommand,
  type CampaignStatus,
  type HeraldStore,
  type JournalEntry,
} from '../store/herald-store.js';
import { actorTree, statePath, type ActorView } from './actor-tree.js';
import type { AudienceResolver } from './audience-resolver.js';
import { complianceGate } from './compliance-gate.js';
import type { DeliveryGate } from './delivery-gate.js';
import { JournaledCaller } from './journaled-call.js';
import { createStepActors, type StepProgress } from './step-executor.js';

/** The connector capability each action needs (reports go out as notifications or emails). */
const CAPABILITY_OF: Readonly<Partial<Record<StepAction, Capability>>> = {
  post: 'publish',
  publish: 'publish',
  email: 'send_email',
  sms: 'send_sms',
  ad_launch: 'launch_ads',
  ad_pause: 'pause_ads',
  budget_change: 'change_budget',
  audience_sync: 'sync_audience',
  notify: 'notify',
};

/**
 * Version of the charts and of what their journal means; a snapshot from another version is
 * refused on restore. `campaign-2`: a call's idempotency key names the recipients it was sent
 * to, judged at the instant of sending. `campaign-3`: no `invoke` — waits, planning and the
 * channel delivery actor are spawned children.
 */
export const MACHINE_VERSION = 'campaign-3';

/** Options of a {@link CampaignSystem}. */
export interface CampaignSystemOptions {
  readonly store: HeraldStore;
  readonly connectors: ConnectorRegistry;
  /** Resolves audiences of email, SMS and audience-sync steps. @default none: such steps fail with a configuration error */
  readonly audience?: AudienceResolver;
  /**
   * Checks consent, suppression and sending windows at the instant every email and SMS batch
   * is sent. Turning the checks off takes the explicit `gate: unsafeNoComplianceGate`.
   * @default complianceGate(audience.subjectOf): recipients the audience resolver cannot
   * describe are suppressed as `no_profile`
   */
  readonly gate?: DeliveryGate;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Called with every XState inspection event (XState's inspect API), for debugging. */
  readonly inspect?: (event: InspectionEvent) => void;
  /** The text a `report` step posts. @default a line naming the campaign */
  readonly reportText?: (campaignId: string, step: Step) => Promise<string>;
  /** How often (real ms) commands from other processes are picked up. @default 500 */
  readonly commandPollMs?: number;
}

/** Something that happened in a running system. */
export type SystemEvent =
  | {
      readonly type: 'campaign.status';
      readonly campaignId: string;
      readonly status: CampaignStatus;
      /** While `monitoring`: when the last rule window closes and monitoring ends, epoch ms. */
      readonly until?: number;
    }
  | {
      readonly type: 'step.state';
      readonly campaignId: string;
      readonly stepId: string;
      readonly state: string;
    }
  | ({ readonly type: 'step.progress' } & StepProgress);

/** Where a campaign ended up, step by step. */
export interface CampaignReport {
  readonly campaignId: string;
  readonly name: string;
  readonly status: CampaignStatus;
  readonly steps: readonly {
    readonly id: string;
    readonly status: string;
    readonly result?: StepResult;
    readonly error?: ErrorSummary;
    readonly skipReason?: string;
  }[];
  /** Calls whose outcome a person must decide: they may or may not have taken effect. */
  readonly unknownOutcomes: readonly JournalEntry[];
}

type CampaignActor = Actor<typeof campaignMachine>;

interface Live {
  readonly actor: CampaignActor;
  readonly settled: Promise<CampaignStatus>;
  persistQueued: boolean;
  /** The last save of this campaign, which the next one waits for. */
  saving: Promise<void>;
  lastStatus: CampaignStatus;
  /** Resolves `settled`. */
  readonly settle: (status: CampaignStatus) => void;
}

const noAudience: AudienceResolver = {
  resolve: () =>
    Promise.reject(
      new ConfigurationError(
        'no_audience_resolver',
        'this step needs recipients: pass an "audience" resolver to CampaignSystem',
      ),
    ),
};

/** The compliance gate over what the audience resolver knows of its recipients. */
function defaultGate(audience: AudienceResolver | undefined): DeliveryGate {
  const subjectOf = audience?.subjectOf?.bind(audience);
  return complianceGate(subjectOf ?? (() => undefined));
}

/**
 * Runs campaigns as actors over a durable store.
 * @example
 * const system = new CampaignSystem({ store: openSqliteStore('.herald/herald.db'), connectors });
 * const id = await system.launch(spec);
 * const report = await system.settled(id);
 */
export class CampaignSystem {
  /** Status changes, step state changes and delivery progress. */
  readonly events = new Subject<SystemEvent>();
  /** The runtime's journaled caller: side effects outside step actors (metric rules) go through it. */
  readonly caller: JournaledCaller;
  readonly #store: HeraldStore;
  readonly #clock: Clock;
  readonly #options: CampaignSystemOptions;
  readonly #live = new Map<string, Live>();
  /** Campaigns stopped by a store write that failed, with its error (see `#storeFault`). */
  readonly #faults = new Map<string, unknown>();
  readonly #specs = new Map<string, CampaignSpec>();
  readonly #machine;
  #poller: NodeJS.Timeout | undefined;

  constructor(options: CampaignSystemOptions) {
    this.#options = options;
    this.#store = options.store;
    this.#clock = options.clock ?? systemClock;
    const actors = createStepActors({
      store: this.#store,
      clock: this.#clock,
      connectors: options.connectors,
      audience: options.audience ?? noAudience,
      gate: options.gate ?? defaultGate(options.audience),
      ...(options.reportText ? { reportText: options.reportText } : {}),
      caller: (this.caller = new JournaledCaller(this.#store, this.#clock)),
      specOf: (id) => this.#specOf(id),
      onProgress: (progress) => {
        this.events.next({ type: 'step.progress', ...progress });
      },
    });
    const { planDelivery, waitUntil, prepareDelivery, sendBatch, finishDelivery } = actors;
    const delivery = deliveryMachine.provide({
      actors: { prepareDelivery, waitUntil, sendBatch, finishDelivery },
    });
    this.#machine = campaignMachine.provide({
      actors: {
        waitUntil,
        step: stepMachine.provide({ actors: { planDelivery, waitUntil, delivery } }),
      },
    });
  }

  /**
   * Validates and starts a campaign (typed for TypeScript callers, validated again for the
   * rest); throws `ValidationError` (changing nothing) when the spec, or the id (a safe slug:
   * `checkCampaignId`), is invalid, and `HeraldError('campaign_exists')` when `id` is taken by a
   * different spec. Launching the same spec under the same id again returns the existing campaign.
   */
  async launch(
    input: CampaignSpecInput,
    options: { id?: string; startsAt?: number } = {},
  ): Promise<string> {
    if (options.id !== undefined) checkCampaignId(options.id);
    const validated = validateCampaign(input);
    if (!validated.success) throw new ValidationError('the campaign spec', validated.error);
    const spec = validated.data;
    const unable = [...contentIssues(spec), ...this.#unsupported(spec)];
    if (unable.length > 0) throw new ValidationError('the campaign spec', unable);
    const now = this.#clock.now();
    const id = options.id ?? newCampaignId(spec.name, now);
    const existing = await this.#store.getCampaign(id);
    if (existing) {
      if (JSON.stringify(existing.spec) !== JSON.stringify(spec)) {
        throw new HeraldError(
          'campaign_exists',
          `campaign "${id}" already exists with a different spec; choose another id`,
        );
      }
      return id;
    }
    await this.#store.saveCampaign({ id, spec, status: 'draft', createdAt: now, updatedAt: now });
    this.#specs.set(id, spec);
    const { input: machineInput } = compileCampaign(spec, {
      campaignId: id,
      startsAt: new Date(Math.max(options.startsAt ?? now, now)).toISOString(),
    });
    const live = this.#start(
      id,
      createActor(this.#machine, this.#actorOptions(id, { input: machineInput })),
    );
    live.actor.send({ type: 'campaign.schedule' });
    return id;
  }

  /** Steps whose connector is missing or cannot perform their action, as issues. */
  #unsupported(spec: CampaignSpec): Issue[] {
    return spec.steps.flatMap((step, index): Issue[] => {
      const needed = CAPABILITY_OF[step.action];
      try {
        const connector = this.#options.connectors.get(step.platform);
        if (needed === undefined || connector.capabilities.includes(needed)) return [];
        return [
          {
            code: 'unsupported_action',
            path: ['steps', index, 'action'],
            message: `the ${connector.platform} connector cannot ${step.action.replace('_', ' ')} (it can: ${connector.capabilities.join(', ')})`,
            suggestions: ['choose another platform for this step'],
          },
        ];
      } catch (error) {
        return [
          {
            code: 'no_connector',
            path: ['steps', index, 'platform'],
            message: (error as Error).message,
          },
        ];
      }
    });
  }

  /** Restores every unfinished campaign from the store and runs it on; returns their ids. */
  async resumeAll(): Promise<string[]> {
    const resumed: string[] = [];
    for (const record of await this.#store.listCampaigns()) {
      if (isFinalStatus(record.status) || this.#live.has(record.id)) continue;
      await this.#restore(record.id);
      resumed.push(record.id);
    }
    return resumed;
  }

  /** Pauses a campaign: nothing more is sent until it is resumed. */
  pause(id: string): Promise<void> {
    return this.#command(id, 'pause');
  }

  /** Resumes a paused campaign. */
  resume(id: string): Promise<void> {
    return this.#command(id, 'resume');
  }

  /** Cancels a campaign: no step runs after this. */
  cancel(id: string): Promise<void> {
    return this.#command(id, 'cancel');
  }

  /**
   * Pauses or resumes one step of a running campaign (what a metric rule does to an ad that
   * costs too much); a step that already finished is left as it is.
   */
  async setStepPaused(id: string, stepId: string, paused: boolean): Promise<void> {
    const live = this.#live.get(id);
    if (!live)
      throw new HeraldError('not_running', `campaign "${id}" is not running in this process`);
    const spec = await this.#specOf(id);
    if (!spec.steps.some((s) => s.id === stepId)) {
      throw new HeraldError('unknown_step', `campaign "${id}" has no step "${stepId}"`);
    }
    live.actor.send({ type: paused ? 'step.pauseOne' : 'step.resumeOne', stepId });
    await this.#persist(id, live);
  }

  /**
   * Resolves with the campaign's report once it is completed, failed or cancelled; rejects with
   * the store's error when a store write failed and stopped the campaign (resume it later).
   */
  async settled(id: string): Promise<CampaignReport> {
    const live = this.#live.get(id);
    if (live) await live.settled;
    if (this.#faults.has(id)) throw this.#faults.get(id);
    return this.report(id);
  }

  /** The campaign's report as it stands, read from the store. */
  async report(id: string): Promise<CampaignReport> {
    const record = await this.#store.getCampaign(id);
    if (!record) throw new HeraldError('unknown_campaign', `no campaign "${id}" in the store`);
    const envelope = await this.#store.loadSnapshot(id);
    const context = (envelope?.snapshot as { context?: CampaignContextLike } | undefined)?.context;
    return {
      campaignId: id,
      name: record.spec.name,
      status: record.status,
      steps: record.spec.steps.map((step) => ({
        id: step.id,
        status: notRun(context?.status[step.id] ?? 'pending', record.status),
        ...(context?.results[step.id] ? { result: context.results[step.id] } : {}),
        ...(context?.errors[step.id] ? { error: context.errors[step.id] } : {}),
        ...(context?.skipped[step.id] ? { skipReason: context.skipped[step.id] } : {}),
      })),
      unknownOutcomes: (await this.#store.journal(id)).filter((e) => e.status === 'unknown'),
    };
  }

  /** The actor tree of a campaign: each actor's state, a context summary and recent events. */
  async inspect(id: string, recentEvents = 20): Promise<ActorView> {
    const live = this.#live.get(id);
    const snapshot = live
      ? live.actor.getPersistedSnapshot()
      : (await this.#store.loadSnapshot(id))?.snapshot;
    if (snapshot === undefined)
      throw new HeraldError('unknown_campaign', `no campaign "${id}" in the store`);
    return actorTree('campaign', snapshot, await this.#store.recentEvents(id, recentEvents));
  }

  /** The connector this system uses for `platform`. */
  connectorOf(platform: Platform): Connector {
    return this.#options.connectors.get(platform);
  }

  /** Campaigns this process is running. */
  get running(): string[] {
    return [...this.#live.keys()];
  }

  /** Stops every actor of this process without changing any campaign's stored state. */
  async stop(): Promise<void> {
    clearInterval(this.#poller);
    this.#poller = undefined;
    const stopping = [...this.#live];
    this.#live.clear();
    for (const [id, live] of stopping) {
      await this.#persist(id, live);
      live.actor.stop();
    }
    this.events.complete();
  }

  async #command(id: string, command: CampaignCommand): Promise<void> {
    const live = this.#live.get(id);
    if (live) {
      live.actor.send({ type: `campaign.${command}` });
      await this.#persist(id, live);
      return;
    }
    const record = await this.#store.getCampaign(id);
    if (!record) throw new HeraldError('unknown_campaign', `no campaign "${id}" in the store`);
    if (isFinalStatus(record.status)) {
      throw new HeraldError(
        'campaign_finished',
        `campaign "${id}" is ${record.status}; it cannot ${command}`,
      );
    }
    const beat = await this.#store.lastHeartbeat(id);
    if (beat !== undefined && Date.now() - beat < 5_000) {
      // Another process runs it: leave the command for that process to apply.
      await this.#store.pushCommand(id, command, this.#clock.now());
      return;
    }
    const restored = await this.#restore(id);
    restored.actor.send({ type: `campaign.${command}` });
    await this.#persist(id, restored);
  }

  async #restore(id: string): Promise<Live> {
    const envelope = await this.#store.loadSnapshot(id);
    if (envelope && envelope.machineVersion !== MACHINE_VERSION) {
      throw new HeraldError(
        'snapshot_version',
        `campaign "${id}" was saved by chart ${envelope.machineVersion}; this Herald runs ${MACHINE_VERSION}`,
      );
    }
    const record = (await this.#store.getCampaign(id))!;
    this.#specs.set(id, record.spec);
    if (!envelope) {
      const { input } = compileCampaign(record.spec, {
        campaignId: id,
        startsAt: new Date(record.createdAt).toISOString(),
      });
      const live = this.#start(id, createActor(this.#machine, this.#actorOptions(id, { input })));
      live.actor.send({ type: 'campaign.schedule' });
      return live;
    }
    const actor = createActor(
      this.#machine,
      this.#actorOptions(id, {
        input: envelope.input as CampaignMachineInput,
        snapshot: envelope.snapshot as Snapshot<unknown>,
      }),
    );
    return this.#start(id, actor);
  }

  #actorOptions(id: string, base: { input: CampaignMachineInput; snapshot?: Snapshot<unknown> }) {
    const states = new Map<string, string>();
    return {
      ...base,
      inspect: (event: InspectionEvent) => {
        this.#options.inspect?.(event);
        if (event.type !== '@xstate.snapshot') return;
        const ref = event.actorRef as unknown as { sessionId: string; id: string };
        const actorId = ref.sessionId === event.rootId ? 'campaign' : ref.id;
        const snapshot = event.snapshot as { value?: unknown };
        if (snapshot.value === undefined) return;
        const state = statePath(snapshot.value);
        if (states.get(actorId) !== state) {
          const previous = states.get(actorId) ?? '∅';
          states.set(actorId, state);
          this.#store
            .appendEvent({
              campaignId: id,
              at: this.#clock.now(),
              actor: actorId,
              type: event.event.type,
              summary: `${previous} → ${state}`,
            })
            .catch((fault: unknown) => {
              this.#storeFault(id, fault);
            });
          if (actorId.startsWith('step:')) {
            this.events.next({
              type: 'step.state',
              campaignId: id,
              stepId: actorId.slice(5),
              state,
            });
          }
        }
        const live = this.#live.get(id);
        if (live) this.#queuePersist(id, live);
      },
    };
  }

  #start(id: string, actor: CampaignActor): Live {
    let settle!: (status: CampaignStatus) => void;
    const settled = new Promise<CampaignStatus>((resolve) => (settle = resolve));
    const live: Live = {
      actor,
      settled,
      settle,
      persistQueued: false,
      saving: Promise.resolve(),
      lastStatus: 'draft',
    };
    this.#faults.delete(id);
    this.#live.set(id, live);
    actor.subscribe({
      next: (snapshot) => {
        const status = snapshot.value;
        if (status !== live.lastStatus) {
          live.lastStatus = status;
          const until = status === 'monitoring' ? monitoringEndsAt(snapshot.context) : undefined;
          this.events.next({
            type: 'campaign.status',
            campaignId: id,
            status,
            ...(until === undefined ? {} : { until }),
          });
        }
        if (snapshot.status === 'done' && this.#live.get(id) === live) {
          this.#persist(id, live).then(
            () => {
              this.#live.delete(id);
              settle(status);
            },
            (fault: unknown) => {
              this.#storeFault(id, fault);
            },
          );
        }
      },
      error: (error: unknown) => {
        const at = this.#clock.now();
        const message = error instanceof Error ? error.message : String(error);
        this.#store
          .appendEvent({
            campaignId: id,
            at,
            actor: 'campaign',
            type: 'actor.error',
            summary: message,
          })
          .then(() => this.#store.setStatus(id, 'failed', at))
          .then(() => {
            this.#live.delete(id);
            this.events.next({ type: 'campaign.status', campaignId: id, status: 'failed' });
            settle('failed');
          })
          .catch((fault: unknown) => {
            this.#storeFault(id, fault);
          });
      },
    });
    actor.start();
    this.#ensurePoller();
    return live;
  }

  /**
   * A store write nothing awaits (a transition event, a snapshot, a heartbeat) failed — a full
   * disk, a read-only or vanished file, a lost connection. The campaign stops where it is:
   * without its records it cannot keep its exactly-once promise. `settled` then rejects with
   * the store's error, so the caller can say which file failed and how to fix it; the campaign
   * continues from its last saved state with `resume`.
   */
  #storeFault(id: string, fault: unknown): void {
    const live = this.#live.get(id);
    if (!this.#faults.has(id)) this.#faults.set(id, fault);
    if (!live) return;
    this.#live.delete(id);
    live.actor.stop();
    live.settle(live.lastStatus);
  }

  #queuePersist(id: string, live: Live): void {
    if (live.persistQueued) return;
    live.persistQueued = true;
    // One save per turn of the event loop, however many actors changed: the journal, not the
    // snapshot, is what keeps effects exactly-once, so a snapshot a few transitions old is safe.
    setImmediate(() => {
      live.persistQueued = false;
      // A stopped actor has dropped its children: its snapshot must not replace the last one.
      if (this.#live.get(id) === live)
        this.#persist(id, live).catch((fault: unknown) => {
          this.#storeFault(id, fault);
        });
    });
  }

  /**
   * Saves the actor's snapshot and status. Saves of one campaign run one after another, each
   * reading the snapshot when its turn comes: with an asynchronous store, an earlier save
   * finishing late would otherwise overwrite a later status (a finished campaign read back as
   * running).
   */
  #persist(id: string, live: Live): Promise<void> {
    live.saving = live.saving.catch(() => undefined).then(() => this.#save(id, live));
    return live.saving;
  }

  async #save(id: string, live: Live): Promise<void> {
    const snapshot = live.actor.getPersistedSnapshot() as unknown as {
      value: unknown;
      context: { campaignId: string };
    };
    const status = snapshot.value as CampaignStatus;
    const now = this.#clock.now();
    await this.#store.saveSnapshot(id, {
      format: 1,
      machineVersion: MACHINE_VERSION,
      input: inputOf(snapshot.context),
      snapshot,
      savedAt: now,
    });
    await this.#store.setStatus(id, status, now);
  }

  #ensurePoller(): void {
    if (this.#poller) return;
    this.#poller = setInterval(() => {
      this.#poll().catch((fault: unknown) => {
        for (const id of [...this.#live.keys()]) this.#storeFault(id, fault);
      });
    }, this.#options.commandPollMs ?? 500);
    this.#poller.unref();
  }

  async #poll(): Promise<void> {
    const ids = [...this.#live.keys()];
    if (ids.length === 0) return;
    await this.#store.heartbeat(ids, Date.now());
    for (const { campaignId, command } of await this.#store.takeCommands(ids)) {
      this.#live.get(campaignId)?.actor.send({ type: `campaign.${command}` });
    }
  }

  async #specOf(id: string): Promise<CampaignSpec> {
    const cached = this.#specs.get(id);
    if (cached) return cached;
    const record = await this.#store.getCampaign(id);
    if (!record) throw new HeraldError('unknown_campaign', `no campaign "${id}" in the store`);
    this.#specs.set(id, record.spec);
    return record.spec;
  }
}

interface CampaignContextLike {
  status: Record<string, string>;
  results: Record<string, StepResult>;
  errors: Record<string, ErrorSummary>;
  skipped: Record<string, string>;
}

/** A step still pending in a campaign that ended will never run. */
function notRun(status: string, campaign: CampaignStatus): string {
  return status === 'pending' && isFinalStatus(campaign) ? 'not run' : status;
}

function inputOf(context: Record<string, unknown>): unknown {
  const { campaignId, steps, onStepFailure, startsAt } = context;
  return { campaignId, steps, onStepFailure, startsAt };
}

/** The id a campaign launched at `now` (epoch ms) without one gets: its slug and the instant. */
export function newCampaignId(name: string, now: number): string {
  return `${campaignSlug(name)}-${now.toString(36)}`;
}

/** A campaign id's readable part, from its name: `Winter launch!` → `winter-launch`. */
export function campaignSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'campaign'
  );
}
