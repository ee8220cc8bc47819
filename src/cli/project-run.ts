/**
 * @module
 * What `herald run` and `herald preview` do differently inside a project (a folder with a
 * `herald.yaml`): the campaign is fitted to the project's accounts and defaults and checked
 * against its audience, the runtime gets the project's audience and connectors (content
 * rendered per recipient), a test send goes to one address, and a real send waits for a yes.
 */
import { basename } from 'node:path';
import type { AudienceResolver } from '../actors/audience-resolver.js';
import type { ActionRequest, ConnectorRegistry } from '../connectors/connector.js';
import { resolvePlatform } from '../connectors/connector-registry.js';
import { checkMergeFields, mergeContext } from '../content/merge-fields.js';
import { finishContent, personalizedConnectors } from '../content/personalized-connectors.js';
import { HeraldError, ValidationError, type Issue } from '../errors.js';
import { applyProject, checkAudienceFields, projectProviders } from '../project/apply-project.js';
import { openProject, projectConnectors, type OpenProject } from '../project/open-project.js';
import type { Profile } from '../segments/profile-model.js';
import type { CampaignSpec, Step, StepContent } from '../spec/campaign-schema.js';
import type { CliIo } from './cli-io.js';
import { askTerminal } from './confirm-reading.js';
import type { EmbeddedRuntimeOptions } from './embedded-runtime.js';
import type { LoadedCampaign } from './load-campaign.js';

/** Opens the project of a command (`--project`, else `./herald.yaml`), or `undefined`. */
export function commandProject(
  io: CliIo,
  flag: string | undefined,
  now: number,
): Promise<OpenProject | undefined> {
  return openProject(io.cwd ?? process.cwd(), flag, io.env ?? process.env, now);
}

/**
 * The campaign fitted to `project`, or a `ValidationError` naming everything that stops it:
 * an audience that does not load, credentials that cannot be opened, a platform without an
 * account, a segment field or event type the data lacks.
 */
export function fitCampaign(
  project: OpenProject,
  loaded: LoadedCampaign,
  file: string,
): LoadedCampaign {
  const problems: Issue[] = [...project.audience.blocking];
  for (const issues of Object.values(project.credentialIssues)) problems.push(...issues);
  const fitted = applyProject(loaded.spec, project.file);
  problems.push(...fitted.issues);
  problems.push(
    ...checkAudienceFields(
      fitted.spec,
      project.file,
      project.audience.profiles,
      project.audience.events,
    ),
  );
  if (problems.length > 0)
    throw new ValidationError(
      `${file} cannot run in ${project.path} (run herald check); it`,
      problems,
    );
  return { spec: fitted.spec, notes: [...loaded.notes, ...fitted.notes] };
}

/** The project's parts of the runtime, and the connectors as they are before rendering. */
export function projectRuntime(
  project: OpenProject,
  spec: CampaignSpec,
): {
  options: Pick<EmbeddedRuntimeOptions, 'audience' | 'connectors'>;
  raw: () => ConnectorRegistry;
} {
  let raw: ConnectorRegistry | undefined;
  const profiles = new Map(project.audience.profiles.map((p) => [p.id, p]));
  return {
    options: {
      audience: {
        profiles: project.audience.profiles,
        events: project.audience.events,
        segments: project.file.segments,
      },
      connectors: (sandbox, clock) => {
        raw = projectConnectors(project, clock, sandbox.urls);
        return personalizedConnectors(raw, {
          profiles,
          utm: project.file.campaign.utm,
          campaignName: () => spec.name,
        });
      },
    },
    raw: () => {
      if (raw === undefined) throw new HeraldError('not_started', 'the runtime has not started');
      return raw;
    },
  };
}

/** Where the audience comes from and where the accounts are, for the plan's first line. */
export function describeProject(project: OpenProject): string {
  const a = project.file.audience;
  const source =
    a.kind === 'files'
      ? basename(a.profiles)
      : a.kind === 'postgres'
        ? 'PostgreSQL'
        : 'the synthetic audience';
  return `${String(project.audience.profiles.length)} profiles from ${source}, on ${project.onSandbox ? 'the sandbox' : 'your real accounts'}`;
}

/** Steps that reach recipients one by one (their content is rendered per recipient). */
function isPersonal(step: Step): boolean {
  return step.action === 'email' || step.action === 'sms';
}

/**
 * Checks every step's merge fields against its recipients: returns the notes (a field missing
 * for some recipients, with the count) and throws for a field no recipient has.
 */
export async function checkContent(
  spec: CampaignSpec,
  project: OpenProject,
  audience: AudienceResolver,
  now: number,
): Promise<Issue[]> {
  const byId = new Map(project.audience.profiles.map((p) => [p.id, p]));
  const issues: Issue[] = [];
  for (const [index, step] of spec.steps.entries()) {
    let contexts = [{}];
    const target = step.audience ?? spec.audience;
    if (isPersonal(step) && target) {
      const members = await audience.resolve(target, { spec, step, now });
      contexts = members
        .map((m) => byId.get(m.id))
        .filter((p): p is Profile => p !== undefined)
        .map(mergeContext);
    }
    issues.push(
      ...checkMergeFields(step.content, contexts, ['steps', index, 'content']).map((i) => ({
        ...i,
        message: `${step.id}: ${i.message}`,
      })),
    );
  }
  const blocking = issues.filter((i) => i.code !== 'missing_merge_field');
  if (blocking.length > 0) throw new ValidationError("the campaign's content", blocking);
  return issues;
}

/** The content `step` sends to `profile`, exactly as its connector receives it. */
export function renderedFor(
  spec: CampaignSpec,
  step: Step,
  project: OpenProject,
  profile: Profile | undefined,
): { platform: string; content: StepContent } {
  const platform = resolvePlatform(step.platform, projectProviders(project.file));
  const content = finishContent(
    step.content,
    { platform, action: step.action, stepId: step.id, campaign: spec.name },
    profile === undefined ? {} : mergeContext(profile),
    project.file.campaign.utm,
  );
  return { platform, content };
}

/**
 * Sends one copy of each email or SMS step, rendered for `recipientId` (default: the step's
 * first recipient), to `address` only, through the project's connectors; launches nothing.
 */
export async function testSend(
  spec: CampaignSpec,
  project: OpenProject,
  connectors: ConnectorRegistry,
  audience: AudienceResolver,
  address: string,
  recipientId: string | undefined,
  now: number,
  io: CliIo,
): Promise<number> {
  const phone = /^\+\d{6,15}$/.test(address);
  if (!phone && !/^[^@\s]+@[^@\s]+$/.test(address))
    throw new HeraldError(
      'bad_arguments',
      `--test-send ${address} is neither an email address nor a phone number in E.164 (+14155550100)`,
    );
  const byId = new Map(project.audience.profiles.map((p) => [p.id, p]));
  let sent = 0;
  for (const step of spec.steps) {
    if (!isPersonal(step) || (step.action === 'sms') !== phone) {
      io.stdout.write(
        `  ${step.id}: not test-sent (${step.action} on ${step.platform} does not go to ${phone ? 'a phone number' : 'an email address'})\n`,
      );
      continue;
    }
    const target = step.audience ?? spec.audience;
    const first = target ? (await audience.resolve(target, { spec, step, now }))[0] : undefined;
    const id = recipientId ?? first?.id;
    const profile = id === undefined ? undefined : byId.get(id);
    if (recipientId !== undefined && profile === undefined)
      throw new HeraldError(
        'unknown_recipient',
        `--recipient ${recipientId} is not in the project's audience`,
      );
    const { platform, content } = renderedFor(spec, step, project, profile);
    const request: ActionRequest = {
      campaignId: 'test-send',
      stepId: step.id,
      platform: platform as ActionRequest['platform'],
      action: step.action,
      content,
      options: step.options,
      currency: spec.currency,
      recipients: [{ id: 'test-send', ...(phone ? { phone: address } : { email: address }) }],
      idempotencyKey: `test-send:${step.id}:${String(now)}`,
    };
    await connectors.get(step.platform).perform(request);
    sent++;
    io.stdout.write(
      `  ${step.id}: test copy sent to ${address} via ${platform}, rendered for ${profile?.id ?? 'no recipient'}\n`,
    );
  }
  io.stdout.write(
    `${String(sent)} test cop${sent === 1 ? 'y' : 'ies'} sent; the campaign was not launched.\n`,
  );
  return sent > 0 ? 0 : 1;
}

/**
 * Asks on the terminal (the prompt `herald run` asks a description's reading with) whether to
 * send for real. Without a terminal the answer is no: scripts pass `--yes`.
 */
export async function confirmRealSend(
  io: CliIo,
  ask: ((question: string) => Promise<string>) | undefined = process.stdin.isTTY
    ? askTerminal
    : undefined,
): Promise<boolean> {
  const question = 'This sends to real people on your real accounts. Send now? [y/N] ';
  if (ask === undefined) {
    io.stdout.write(`\n${question}(no terminal to answer on)\n`);
    return false;
  }
  return /^\s*y(es)?\s*$/i.test(await ask(`\n${question}`));
}
