/**
 * @module
 * The words marketers use for channels and platforms: each phrase (normalised tokens joined by
 * spaces) maps to a platform, or to `unknown` for platforms Herald does not speak. Generic
 * words ("newsletter", "landing page", `#growth`) merge into a named tool of the same family
 * mentioned beside them ("the Mailchimp newsletter", "blog post on WordPress").
 */
import type { Platform, StepAction } from '../spec/platforms.js';

/** Channel families; a generic word merges into a named platform of its family. */
export type ChannelFamily = 'email' | 'cms' | 'social' | 'ads' | 'chat' | 'sms' | 'analytics';

/** What a channel phrase means. */
export interface ChannelWord {
  readonly platform: Platform | 'unknown';
  readonly family: ChannelFamily;
  /** Generic words give way to a named platform of the same family in the same phrase. */
  readonly generic?: boolean;
  /** An action the word itself implies ("tweet" posts, "Meta ads" launch). */
  readonly action?: StepAction;
  /** A word that names a channel only when no other channel is beside it ("the main blast"). */
  readonly weak?: boolean;
}

const named = (platform: Platform, family: ChannelFamily, action?: StepAction): ChannelWord =>
  action === undefined ? { platform, family } : { platform, family, action };
const generic = (platform: Platform, family: ChannelFamily): ChannelWord => ({
  platform,
  family,
  generic: true,
});
const unknown: ChannelWord = { platform: 'unknown', family: 'social' };

/** Phrase → meaning. Longest phrases are matched first. */
export const CHANNEL_WORDS: ReadonlyMap<string, ChannelWord> = new Map<string, ChannelWord>([
  ['instagram', named('instagram', 'social')],
  ['insta', named('instagram', 'social')],
  ['ig', named('instagram', 'social')],
  ['facebook', named('facebook', 'social')],
  ['fb', named('facebook', 'social')],
  ['x', named('x', 'social')],
  ['twitter', named('x', 'social')],
  ['tweet', named('x', 'social', 'post')],
  ['tweets', named('x', 'social', 'post')],
  ['linkedin', named('linkedin', 'social')],
  ['linked in', named('linkedin', 'social')],
  ['tiktok', named('tiktok', 'social')],
  ['tik tok', named('tiktok', 'social')],
  ['meta', named('meta_ads', 'ads', 'ad_launch')],
  ['meta ads', named('meta_ads', 'ads', 'ad_launch')],
  ['facebook ads', named('meta_ads', 'ads', 'ad_launch')],
  ['fb ads', named('meta_ads', 'ads', 'ad_launch')],
  ['instagram ads', named('meta_ads', 'ads', 'ad_launch')],
  ['ig ads', named('meta_ads', 'ads', 'ad_launch')],
  ['google', named('google_ads', 'ads', 'ad_launch')],
  ['google ads', named('google_ads', 'ads', 'ad_launch')],
  ['adwords', named('google_ads', 'ads', 'ad_launch')],
  ['linkedin ads', named('linkedin', 'ads', 'ad_launch')],
  ['tiktok ads', named('tiktok', 'ads', 'ad_launch')],
  ['google analytics', named('ga4', 'analytics', 'report')],
  ['ga4', named('ga4', 'analytics', 'report')],
  ['mailchimp', named('mailchimp', 'email', 'email')],
  ['sendgrid', named('sendgrid', 'email', 'email')],
  ['hubspot', named('hubspot', 'email', 'email')],
  ['email', generic('email', 'email')],
  ['e-mail', generic('email', 'email')],
  ['emails', generic('email', 'email')],
  ['newsletter', generic('email', 'email')],
  ['blast', { platform: 'email', family: 'email', generic: true, weak: true }],
  ['mailer', generic('email', 'email')],
  ['edm', generic('email', 'email')],
  ['sms', named('sms', 'sms', 'sms')],
  ['text', named('sms', 'sms', 'sms')],
  ['texts', named('sms', 'sms', 'sms')],
  ['text message', named('sms', 'sms', 'sms')],
  ['twilio', named('twilio', 'sms', 'sms')],
  ['wordpress', named('wordpress', 'cms', 'publish')],
  ['contentful', named('contentful', 'cms', 'publish')],
  ['cms', generic('cms', 'cms')],
  ['website', generic('cms', 'cms')],
  ['site', generic('cms', 'cms')],
  ['landing page', generic('cms', 'cms')],
  ['blog', generic('cms', 'cms')],
  ['press release', generic('cms', 'cms')],
  ['slack', named('slack', 'chat', 'notify')],
  ['teams', named('teams', 'chat', 'notify')],
  ['microsoft teams', named('teams', 'chat', 'notify')],
  ...[
    'snapchat',
    'pinterest',
    'youtube',
    'reddit',
    'threads',
    'whatsapp',
    'telegram',
    'discord',
    'bluesky',
    'mastodon',
    'tumblr',
    'klaviyo',
    'braze',
    'substack',
    'twitch',
    'wechat',
    'marketo',
    'bing ads',
  ].map((w): [string, ChannelWord] => [w, unknown]),
]);

/** Longest phrase length in {@link CHANNEL_WORDS}, in tokens. */
export const LONGEST_CHANNEL_PHRASE = 2;

/** Platform names as a marketer writes them, for explanations. */
export const PLATFORM_LABELS: Readonly<Record<Platform, string>> = {
  facebook: 'Facebook',
  instagram: 'Instagram',
  x: 'X',
  linkedin: 'LinkedIn',
  tiktok: 'TikTok',
  meta_ads: 'Meta ads',
  google_ads: 'Google Ads',
  ga4: 'GA4',
  mailchimp: 'Mailchimp',
  sendgrid: 'SendGrid',
  hubspot: 'HubSpot',
  twilio: 'Twilio',
  wordpress: 'WordPress',
  contentful: 'Contentful',
  segment: 'Segment',
  slack: 'Slack',
  teams: 'Teams',
  email: 'email',
  sms: 'SMS',
  cms: 'CMS',
};

/** The action a platform takes when the text names no other. */
export function defaultAction(platform: Platform): StepAction {
  switch (platform) {
    case 'meta_ads':
    case 'google_ads':
      return 'ad_launch';
    case 'mailchimp':
    case 'sendgrid':
    case 'hubspot':
    case 'email':
      return 'email';
    case 'sms':
    case 'twilio':
      return 'sms';
    case 'wordpress':
    case 'contentful':
    case 'cms':
      return 'publish';
    case 'slack':
    case 'teams':
      return 'notify';
    case 'ga4':
    case 'segment':
      return 'report';
    default:
      return 'post';
  }
}
