/**
 * @module
 * `campaignTargets`: the collection targets of a campaign spec — one per step on a platform
 * that reports metrics, in the campaign's currency and zone, with the platform entities the
 * step created when they are known (e.g. the ad or post id in its result).
 */
import { resolvePlatform } from '../connectors/connector-registry.js';
import type { CampaignSpec } from '../spec/campaign-schema.js';
import type { Platform } from '../spec/platforms.js';
import type { CollectionTarget } from './metrics-collector.js';
import { PLATFORM_METRIC_MAPPINGS } from './platform-metric-mappings.js';

/**
 * Targets of every step whose platform reports metrics.
 * @example
 * campaignTargets('spring', spec, { from: '2026-03-01', to: '2026-03-31' }, (step) => results[step]?.externalId);
 */
export function campaignTargets(
  campaignId: string,
  spec: CampaignSpec,
  range: { readonly from: string; readonly to: string },
  entitiesOf: (stepId: string) => readonly string[] | string | undefined = () => undefined,
  providers: Readonly<
    Partial<Record<'email' | 'sms' | 'cms', Exclude<Platform, 'email' | 'sms' | 'cms'>>>
  > = {},
): CollectionTarget[] {
  const targets: CollectionTarget[] = [];
  for (const step of spec.steps) {
    const platform = resolvePlatform(step.platform, providers);
    if ((PLATFORM_METRIC_MAPPINGS[platform]?.sources.length ?? 0) === 0) continue;
    const entities = entitiesOf(step.id);
    targets.push({
      campaignId,
      stepId: step.id,
      platform,
      currency: spec.currency,
      zone: spec.defaultZone,
      from: range.from,
      to: range.to,
      ...(entities === undefined
        ? {}
        : { entities: typeof entities === 'string' ? [entities] : entities }),
    });
  }
  return targets;
}
