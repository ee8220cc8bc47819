/**
 * @module
 * A connector registry that renders each request's content for its recipients before the
 * platform sees it: merge fields per recipient (from the project's profiles), then UTM
 * parameters per step. Recipients whose rendered message is the same share one call; each
 * further call of a batch carries the batch's idempotency key with `#<n>` appended, so a
 * restart sends the same calls under the same keys.
 */
import type {
  ActionRequest,
  ActionResult,
  Connector,
  ConnectorRegistry,
  Reconciliation,
} from '../connectors/connector.js';
import type { Profile } from '../segments/profile-model.js';
import type { StepContent } from '../spec/campaign-schema.js';
import type { Platform } from '../spec/platforms.js';
import { mergeContext, renderContent, type MergeContext } from './merge-fields.js';
import { contentWithUtm, utmSlug, type UtmParameters } from './utm-links.js';

/** How content is finished for a request. */
export interface ContentFinish {
  /** Profiles by id, for merge fields. */
  readonly profiles: ReadonlyMap<string, Profile>;
  /** UTM source/medium overrides, or `false` for no UTM parameters. @default {} */
  readonly utm?:
    false | { readonly source?: string | undefined; readonly medium?: string | undefined };
  /** The campaign's name by id, for `utm_campaign`. */
  readonly campaignName: (campaignId: string) => string;
}

/**
 * The content `request` carries for `context` (a recipient's merge fields, or none).
 * @example finishContent(request, mergeContext(profile), finish);
 */
export function finishContent(
  content: StepContent,
  at: {
    readonly platform: Platform;
    readonly action: string;
    readonly stepId: string;
    readonly campaign: string;
  },
  context: MergeContext,
  utm: ContentFinish['utm'] = {},
): StepContent {
  const rendered = renderContent(content, context);
  if (utm === false) return rendered;
  const parameters: UtmParameters = {
    source: utm.source ?? at.platform,
    medium: utm.medium ?? at.action,
    campaign: utmSlug(at.campaign),
    content: at.stepId,
  };
  return contentWithUtm(rendered, parameters);
}

/** Wraps `registry` so every connector receives finished content. */
export function personalizedConnectors(
  registry: ConnectorRegistry,
  finish: ContentFinish,
): ConnectorRegistry {
  const wrapped = new Map<Connector, Connector>();
  return {
    get(platform) {
      const inner = registry.get(platform);
      let outer = wrapped.get(inner);
      if (outer === undefined) {
        outer = personalize(inner, finish);
        wrapped.set(inner, outer);
      }
      return outer;
    },
  };
}

function personalize(inner: Connector, finish: ContentFinish): Connector {
  const split = (request: ActionRequest): ActionRequest[] => {
    const at = {
      platform: request.platform,
      action: request.action,
      stepId: request.stepId,
      campaign: finish.campaignName(request.campaignId),
    };
    if (request.recipients.length === 0)
      return [{ ...request, content: finishContent(request.content, at, {}, finish.utm) }];
    const groups = new Map<
      string,
      { content: StepContent; recipients: ActionRequest['recipients'][number][] }
    >();
    for (const recipient of request.recipients) {
      const profile = finish.profiles.get(recipient.id);
      const content = finishContent(
        request.content,
        at,
        profile === undefined ? { id: recipient.id } : mergeContext(profile),
        finish.utm,
      );
      const key = JSON.stringify(content);
      const group = groups.get(key) ?? { content, recipients: [] };
      group.recipients.push(recipient);
      groups.set(key, group);
    }
    return [...groups.values()].map((group, n) => ({
      ...request,
      content: group.content,
      recipients: group.recipients,
      idempotencyKey: n === 0 ? request.idempotencyKey : `${request.idempotencyKey}#${String(n)}`,
    }));
  };
  return {
    ...inner,
    platform: inner.platform,
    capabilities: inner.capabilities,
    maxBatchSize: inner.maxBatchSize,
    async perform(request: ActionRequest): Promise<ActionResult> {
      const results: ActionResult[] = [];
      for (const part of split(request)) results.push(await inner.perform(part));
      return {
        ...results[0]!,
        accepted: results.reduce((sum, r) => sum + r.accepted, 0),
      };
    },
    async reconcile(request: ActionRequest): Promise<Reconciliation> {
      const parts = split(request);
      const answers: Reconciliation[] = [];
      for (const part of parts) answers.push(await inner.reconcile(part));
      const unknown = answers.find((a) => a.status === 'unknown');
      if (unknown) return unknown;
      const done = answers.filter((a) => a.status === 'done');
      if (done.length === answers.length)
        return {
          status: 'done',
          result: { ...done[0]!.result, accepted: done.reduce((s, a) => s + a.result.accepted, 0) },
        };
      if (done.length === 0) return { status: 'not_found' };
      return {
        status: 'unknown',
        reason: `${String(done.length)} of ${String(answers.length)} personalised parts of this batch were sent; decide the rest by hand`,
      };
    },
  };
}
