/**
 * @module
 * `herald run <spec>`: loads a campaign, shows the plan, runs it on the embedded defaults
 * (SQLite under ./.herald/, the sandbox platforms, simulated time unless `--real-time`),
 * prints progress per step as it goes and ends with a summary.
 */
import { newCampaignId, type CampaignReport, type SystemEvent } from '../actors/campaign-system.js';
import { compileCampaign, describeTiming } from '../machines/compile-campaign.js';
import { dirname, resolve } from 'node:path';
import { resolvePlatform } from '../connectors/connector-registry.js';
import { sendQuotaForecast } from '../connectors/send-quotas.js';
import { HeraldError, ValidationError, type Issue } from '../errors.js';
import { SANDBOX_ACCOUNT_OPTIONS } from '../sandbox/sandbox-credentials.js';
import { isFinalStatus } from '../store/herald-store.js';
import {
  configurationDifferences,
  describeClock,
  describeConfiguration,
  type GivenConfiguration,
} from '../store/run-configuration.js';
import { openSqliteStore, type SqliteHeraldStore } from '../store/sqlite-store.js';
import type { CampaignSpec } from '../spec/campaign-schema.js';
import type { CliIo, Command } from './cli-io.js';
import { integerFlag, parseCliArgs, storePath } from './cli-options.js';
import { clusterOf, submitToCluster } from './cluster-commands.js';
import {
  claimCampaign,
  givenConfiguration,
  newConfiguration,
  RUN_CONFIGURATION_FLAGS,
  startEmbeddedRuntime,
  type EmbeddedRuntime,
} from './embedded-runtime.js';
import { loadCampaignFile } from './load-campaign.js';
import { checkCampaignId } from '../spec/campaign-id.js';
import { confirmReading } from './confirm-reading.js';
import {
  checkContent,
  commandProject,
  confirmRealSend,
  describeProject,
  fitCampaign,
  projectRuntime,
  testSend,
} from './project-run.js';
import { EXIT_CODES } from './main.js';

const USAGE =
  'herald run <campaign.json|.yaml|.txt> [--store FILE|postgres://…] [--queue redis://…] [--now ISO] [--real-time] [--id ID] [--audience-size N] [--sandbox-url URL]\n' +
  '  in a project (herald.yaml): [--project FILE] [--simulate] [--yes] [--test-send ADDRESS [--recipient ID]]';

/** `herald run`. */
export const runCommand: Command = async (args, io) => {
  const { values, positionals } = parseCliArgs(
    args,
    {
      store: { type: 'string' },
      now: { type: 'string' },
      id: { type: 'string' },
      queue: { type: 'string' },
      ...RUN_CONFIGURATION_FLAGS,
      project: { type: 'string' },
      simulate: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      'test-send': { type: 'string' },
      recipient: { type: 'string' },
    },
    USAGE,
  );
  const file = positionals[0];
  if (file === undefined) {
    io.stderr.write(`which campaign? usage: ${USAGE}\n`);
    return 2;
  }
  const cwd = io.cwd ?? process.cwd();
  if (values.id !== undefined) checkCampaignId(values.id, '--id');
  const now = values.now === undefined ? undefined : parseInstant(values.now);
  // Flags are checked before the campaign file is read.
  integerFlag(values['audience-size'], 'audience-size');
  const loaded = await loadCampaignFile(file, cwd, now ?? Date.now());
  if (!(await confirmReading(loaded, values.yes, io))) return 1;
  const cluster = clusterOf(values, io);
  if (cluster) return submitToCluster(loaded.spec, values.id, cluster, io);
  const project = await commandProject(io, values.project, now ?? Date.now());
  const { spec, notes } = project
    ? fitCampaign(project, loaded, file)
    : withSandboxAccount(loaded.spec, loaded.notes);
  const parts = project ? projectRuntime(project, spec) : undefined;
  // A project's campaign waits in real time unless asked to simulate; the quick start simulates.
  const given = givenConfiguration(
    { ...values, 'real-time': project ? !values.simulate : values['real-time'] === true },
    io.env,
    now,
  );
  const path = storePath(values.store, io);
  const store = openSqliteStore(path);
  let runtime: EmbeddedRuntime | undefined;
  try {
    const id = values.id ?? newCampaignId(spec.name, now ?? Date.now());
    await refuseExisting(store, id, given);
    for (const c of await store.listCampaigns()) {
      if (isFinalStatus(c.status)) continue;
      const orphaned = c.status !== 'paused' && store.leases.of(c.id)?.orphaned !== false;
      io.stdout.write(
        `Unfinished campaign in the store: ${c.id} (${orphaned ? 'orphaned' : c.status}); continue it with: herald resume ${c.id}\n`,
      );
    }
    const configuration = newConfiguration(given, path, now ?? Date.now(), project?.path);
    const claim = await claimCampaign(store, id);
    if (!('lease' in claim))
      throw new HeraldError(
        'campaign_exists',
        `campaign "${id}" is being launched by process ${String(claim.runner.pid)}`,
      );
    runtime = await startEmbeddedRuntime({
      store,
      storePath: path,
      configuration,
      lease: claim.lease,
      ...parts?.options,
    });
    const where = project
      ? `${describeProject(project)}, ${describeClock(configuration)}`
      : describeConfiguration(configuration);
    const over = await printPlan(spec, runtime, io, where);
    if (over.length > 0)
      throw new ValidationError(`${file} would exhaust a platform's daily quota; it`, over);
    for (const note of notes) io.stdout.write(`  note: ${note.message}\n`);
    if (project && parts) {
      const at = runtime.clock.now();
      for (const note of await checkContent(spec, project, runtime.audience, at))
        io.stdout.write(`  note: ${note.message}\n`);
      if (values['test-send'] !== undefined)
        return await testSend(
          spec,
          project,
          parts.raw(),
          runtime.audience,
          values['test-send'],
          values.recipient,
          at,
          io,
        );
      if (!project.onSandbox && !values.yes && !(await confirmRealSend(io))) {
        io.stdout.write('\nNot confirmed; nothing was sent. (In scripts, confirm with --yes.)\n');
        return 1;
      }
    }
    store.saveRunConfiguration(id, configuration);
    const printed = new Map<string, number>();
    const progress = runtime.system.events.subscribe((event) => {
      io.stdout.write(describeEvent(event, runtime!, printed));
    });
    await runtime.system.launch(spec, { id });
    io.stdout.write(`\nCampaign ${id} launched.\n`);
    return await followToTheEnd(runtime, id, path, io, {
      watchRules: spec.conditions.length > 0,
      stopProgress: () => {
        progress.unsubscribe();
      },
    });
  } finally {
    await (runtime ? runtime.close() : store.close());
  }
};

/**
 * Waits for the campaign to settle in this process, then prints its summary, automatic actions
 * and metrics and writes its report; exit code 0 when completed, 1 when it failed or was
 * cancelled, 4 when another process took it over.
 */
export async function followToTheEnd(
  runtime: EmbeddedRuntime,
  id: string,
  path: string,
  io: CliIo,
  options: { readonly watchRules: boolean; readonly stopProgress?: () => void },
): Promise<number> {
  const stopProgress = options.stopProgress ?? (() => undefined);
  const watching = options.watchRules ? runtime.metrics.watch(id) : () => undefined;
  try {
    await Promise.race([runtime.system.settled(id), runtime.lost]);
  } catch (error) {
    stopProgress();
    watching();
    io.stderr.write(`${(error as Error).message}; this process stops here.\n`);
    return EXIT_CODES.takenOver;
  }
  watching();
  stopProgress();
  const report = await runtime.system.report(id);
  io.stdout.write(summary(report, path));
  for (const action of runtime.metrics.engine.actions(id))
    io.stdout.write(`  automatic: ${action.explanation}\n`);
  const collected = await runtime.metrics.collect(id);
  for (const failure of collected.failures)
    io.stdout.write(`  metrics not collected from ${failure}\n`);
  const written = await runtime.metrics.report(id, resolve(dirname(path), 'reports', id));
  io.stdout.write(`Report: ${written.htmlPath}\n`);
  return report.status === 'completed' ? 0 : 1;
}

/**
 * Refuses to launch `id` again: an existing campaign is continued with `herald resume`, and a
 * configuration that contradicts the one it was launched with is named.
 */
async function refuseExisting(
  store: SqliteHeraldStore,
  id: string,
  given: GivenConfiguration,
): Promise<void> {
  const existing = await store.getCampaign(id);
  if (!existing) return;
  const saved = store.runConfiguration(id);
  const differences = saved ? configurationDifferences(saved, given) : [];
  const how = isFinalStatus(existing.status)
    ? `it already ran and is ${existing.status}; see it with: herald status ${id}, or choose another --id`
    : `it is ${existing.status}; continue it with: herald resume ${id}`;
  throw new HeraldError(
    differences.length > 0 ? 'configuration_differs' : 'campaign_exists',
    `campaign "${id}" is already in the store${differences.length > 0 ? `, launched differently: ${differences.join('; ')}` : ''}; ${how}`,
  );
}

/** Fills in the sandbox account's ad campaigns and audience lists where steps leave them out. */
function withSandboxAccount(
  spec: CampaignSpec,
  notes: readonly Issue[],
): { spec: CampaignSpec; notes: Issue[] } {
  const added: Issue[] = [];
  const steps = spec.steps.map((step, index) => {
    const defaults = SANDBOX_ACCOUNT_OPTIONS[resolvePlatform(step.platform)]?.[step.action];
    const missing = Object.entries(defaults ?? {}).filter(([key]) => !(key in step.options));
    if (missing.length === 0) return step;
    added.push({
      code: 'sandbox_account',
      path: ['steps', index, 'options'],
      message: `${step.id} uses the sandbox account's ${missing.map(([k, v]) => `${k} ${v}`).join(', ')}; set "options" for a real account`,
    });
    return { ...step, options: { ...Object.fromEntries(missing), ...step.options } };
  });
  return { spec: { ...spec, steps }, notes: [...notes, ...added] };
}

function parseInstant(text: string): number {
  const at = Date.parse(text);
  if (Number.isNaN(at))
    throw new HeraldError(
      'bad_arguments',
      `--now ${text} is not an ISO instant; use e.g. 2026-11-25T09:00:00Z`,
    );
  return at;
}

/**
 * Prints what will happen, when, to how many people, and what each platform's quota allows;
 * returns the steps that would exhaust a daily quota (the run is refused before it starts).
 */
async function printPlan(
  spec: CampaignSpec,
  runtime: EmbeddedRuntime,
  io: CliIo,
  where: string,
): Promise<Issue[]> {
  const { input } = compileCampaign(spec);
  const now = runtime.clock.now();
  const over: Issue[] = [];
  io.stdout.write(`Herald — "${spec.name}" with ${where}\nPlan:\n`);
  for (const [i, step] of spec.steps.entries()) {
    const waitsFor = input.steps[i]!.prerequisites;
    const via = resolvePlatform(step.platform);
    let reach = '';
    let calls = step.timing.kind === 'recurring' ? (step.timing.count ?? 1) : 1;
    const audience = step.audience ?? spec.audience;
    if (
      audience &&
      (step.action === 'email' || step.action === 'sms' || step.action === 'audience_sync')
    ) {
      const people = await runtime.audience.resolve(audience, { spec, step, now });
      const zones = new Set(people.map((p) => p.zone ?? spec.defaultZone)).size;
      reach = ` → ${String(people.length)} recipients in ${String(zones)} zones`;
      calls *= Math.max(1, Math.ceil(people.length / runtime.system.connectorOf(via).maxBatchSize));
    }
    const forecast = sendQuotaForecast(via, calls);
    const pace =
      forecast.quotas.length > 0
        ? `; ${String(calls)} call(s), quota ${forecast.quotas.join(' and ')}`
        : '';
    const waits = waitsFor.length > 0 ? ` (after ${waitsFor.join(', ')})` : '';
    io.stdout.write(
      `  ${String(i + 1)}. ${step.id}: ${step.action} on ${via}${via === step.platform ? '' : ` (${step.platform})`}, ${describeTiming(step.timing)}${waits}${reach}${pace}\n`,
    );
    if (forecast.exceedsDaily) {
      over.push({
        code: 'quota_exhausted',
        path: ['steps', i],
        message: `${step.id} needs ${String(calls)} ${via} calls; its quota allows ${forecast.exceedsDaily}`,
        suggestions: ['split the step over several days', 'narrow its audience'],
      });
    }
  }
  return over;
}

/** One line per status or state change; a progress bar per step at every quarter of its sends. */
function describeEvent(
  event: SystemEvent,
  runtime: EmbeddedRuntime,
  printed: Map<string, number>,
): string {
  const at = iso(runtime.clock.now());
  switch (event.type) {
    case 'campaign.status':
      return event.until === undefined
        ? `[${at}] campaign ${event.status}\n`
        : `[${at}] campaign monitoring until ${iso(event.until)}: metric rules are judged as their windows close\n`;
    case 'step.state':
      return `[${at}] ${event.stepId}: ${event.state}\n`;
    case 'step.progress': {
      const quarter = Math.floor((event.done / event.total) * 4);
      if (printed.get(event.stepId) === quarter) return '';
      printed.set(event.stepId, quarter);
      const width = 20;
      const filled = Math.round((event.done / event.total) * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      const unknown = event.unknown > 0 ? `, ${String(event.unknown)} unknown` : '';
      return `[${at}] ${event.stepId}: ${bar} ${String(event.done)}/${String(event.total)}${unknown}\n`;
    }
  }
}

function summary(report: CampaignReport, store: string): string {
  const lines = [`\nSummary: ${report.name} ${report.status}`];
  for (const step of report.steps) {
    const r = step.result;
    const detail = r
      ? `${String(r.accepted)} accepted${r.unknown ? `, ${String(r.unknown)} unknown` : ''}${r.suppressed ? `, ${String(r.suppressed)} suppressed` : ''}${r.outputs.url ? `, ${r.outputs.url}` : ''}`
      : (step.error?.message ?? step.skipReason ?? '');
    lines.push(`  ${step.id}: ${step.status}${detail ? ` — ${detail}` : ''}`);
  }
  if (report.unknownOutcomes.length > 0) {
    lines.push(
      `  ${String(report.unknownOutcomes.length)} call(s) have an unknown outcome; decide them with: herald status ${report.campaignId}`,
    );
  }
  lines.push(`State: ${store}; inspect with: herald inspect ${report.campaignId}\n`);
  return lines.join('\n');
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(':00.000Z', 'Z');
}
