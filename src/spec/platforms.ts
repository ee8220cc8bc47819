/**
 * @module
 * The platforms Herald speaks to and the actions a campaign step can take on them. Pure data:
 * the spec validator, the NL parser and the connector registry all read these tables.
 */
import { z } from 'zod';

/** Every platform a step can name. `email`, `sms` and `cms` are generic channels resolved to a provider at run time. */
export const PLATFORMS = [
  'facebook',
  'instagram',
  'x',
  'linkedin',
  'tiktok',
  'meta_ads',
  'google_ads',
  'ga4',
  'mailchimp',
  'sendgrid',
  'hubspot',
  'twilio',
  'wordpress',
  'contentful',
  'segment',
  'slack',
  'teams',
  'email',
  'sms',
  'cms',
] as const;

/** A platform name, e.g. `linkedin`. */
export const Platform = z.enum(PLATFORMS);
/** A platform name, e.g. `linkedin`. */
export type Platform = z.infer<typeof Platform>;

/** What a step does on its platform. */
export const STEP_ACTIONS = [
  'post',
  'email',
  'sms',
  'ad_launch',
  'ad_pause',
  'budget_change',
  'notify',
  'publish',
  'report',
  'audience_sync',
] as const;

/** A step's action, e.g. `publish`. */
export const StepAction = z.enum(STEP_ACTIONS);
/** A step's action, e.g. `publish`. */
export type StepAction = z.infer<typeof StepAction>;

/** The provider a generic channel resolves to unless the caller configures another. */
export const DEFAULT_PROVIDER = {
  email: 'sendgrid',
  sms: 'twilio',
  cms: 'wordpress',
} as const satisfies Record<'email' | 'sms' | 'cms', Platform>;

/** Type of {@link DEFAULT_PROVIDER}. */
export type DEFAULT_PROVIDER = typeof DEFAULT_PROVIDER;

const social = ['post', 'report', 'notify'] as const;
const ads = ['ad_launch', 'ad_pause', 'budget_change', 'report', 'audience_sync'] as const;

/** Which actions each platform supports; a step asking for another is rejected before anything runs. */
export const PLATFORM_ACTIONS = {
  facebook: social,
  instagram: social,
  x: social,
  linkedin: [...social, ...ads],
  tiktok: ['post', ...ads],
  meta_ads: ads,
  google_ads: ads,
  ga4: ['report'],
  mailchimp: ['email', 'report', 'audience_sync'],
  sendgrid: ['email', 'report'],
  hubspot: ['email', 'report', 'audience_sync'],
  twilio: ['sms', 'report'],
  wordpress: ['publish', 'report'],
  contentful: ['publish'],
  segment: ['audience_sync', 'report'],
  slack: ['notify', 'report'],
  teams: ['notify', 'report'],
  email: ['email', 'report', 'notify'],
  sms: ['sms', 'notify'],
  cms: ['publish'],
} as const satisfies Record<Platform, readonly StepAction[]>;

/** Type of {@link PLATFORM_ACTIONS}. */
export type PLATFORM_ACTIONS = typeof PLATFORM_ACTIONS;

/** True when `platform` can perform `action`. */
export function supportsAction(platform: Platform, action: StepAction): boolean {
  return (PLATFORM_ACTIONS[platform] as readonly StepAction[]).includes(action);
}
