/**
 * @module
 * Credentials the sandbox fakes accept, as the environment variables each connector reads.
 * `herald run` and `herald sandbox` use them so nothing needs a real account. Each platform
 * added to the sandbox adds its row.
 */

/** Environment variables (credential name → value) that the sandbox accepts. */
export const SANDBOX_CREDENTIALS: Readonly<Record<string, string>> = {
  GA4_PROPERTY_ID: '123456789',
  GA4_CLIENT_ID: 'sandbox-client.apps.googleusercontent.com',
  GA4_CLIENT_SECRET: 'sandbox-ga4-secret',
  GA4_REFRESH_TOKEN: '1//sandbox-ga4-refresh',
  GOOGLE_ADS_CLIENT_ID: 'sandbox-client.apps.googleusercontent.com',
  GOOGLE_ADS_CLIENT_SECRET: 'sandbox-client-secret',
  GOOGLE_ADS_CUSTOMER_ID: '1234567890',
  GOOGLE_ADS_DEVELOPER_TOKEN: 'sandbox-developer-token0',
  GOOGLE_ADS_REFRESH_TOKEN: '1//sandbox-refresh-token',
  HUBSPOT_ACCESS_TOKEN: 'pat-sandbox-token',
  MAILCHIMP_API_KEY: '00000000000000000000000000000000-us1',
  MAILCHIMP_FROM_NAME: 'Herald',
  MAILCHIMP_LIST_ID: 'a1b2c3d4e5',
  MAILCHIMP_REPLY_TO: 'news@herald.example',
  META_ADS_ACCESS_TOKEN: 'EAAsandbox-token',
  META_ADS_ACCOUNT_ID: 'act_1000000000',
  META_APP_SECRET: 'sandbox-app-secret',
  SEGMENT_WRITE_KEY: 'sandbox-write-key',
  SENDGRID_API_KEY: 'SG.sandbox-key',
  SENDGRID_FROM_EMAIL: 'news@herald.example',
  SLACK_BOT_TOKEN: 'xoxb-sandbox-token',
  CONTENTFUL_MANAGEMENT_TOKEN: 'CFPAT-sandbox-token',
  CONTENTFUL_SPACE_ID: 'sandboxspace',
  CONTENTFUL_URL_TEMPLATE: 'https://www.herald.example/blog/{slug}',
  TEAMS_WEBHOOK_URL:
    'https://herald.webhook.office.com/webhookb2/00000000-0000-0000-0000-000000000001@00000000-0000-0000-0000-000000000002/IncomingWebhook/0123456789abcdef0123456789abcdef/00000000-0000-0000-0000-000000000003',
  INSTAGRAM_ACCESS_TOKEN: 'EAAsandbox-instagram-token',
  INSTAGRAM_USER_ID: '17841400000000001',
  META_PAGE_ACCESS_TOKEN: 'EAAsandbox-page-token',
  META_PAGE_ID: '104000000000001',
  TIKTOK_ACCESS_TOKEN: 'sandbox-tiktok-token',
  TIKTOK_ADVERTISER_ID: '7000000000000000001',
  X_ACCESS_TOKEN: 'x-user-sandbox-token',
  LINKEDIN_ACCESS_TOKEN: 'AQsandbox-linkedin-token',
  LINKEDIN_AUTHOR_URN: 'urn:li:organization:2414183',
  TWILIO_ACCOUNT_SID: 'ACsandbox0000000000000000000000000',
  TWILIO_AUTH_TOKEN: 'sandbox-auth-token',
  TWILIO_FROM: '+15017122661',
  WORDPRESS_USERNAME: 'herald',
  WORDPRESS_APP_PASSWORD: 'abcd EFGH 1234 ijkl MNOP 5678',
};

/**
 * Objects the sandbox's fake accounts already hold, as step options: campaign descriptions
 * name what to do, not the ids of the ad campaign or audience list an account keeps. A sandbox
 * run fills them in where a step leaves them out.
 */
export const SANDBOX_ACCOUNT_OPTIONS: Readonly<
  Partial<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>
> = {
  google_ads: {
    ad_launch: { campaignId: '111' },
    ad_pause: { campaignId: '111' },
    budget_change: { campaignId: '111', budgetId: '222' },
    audience_sync: { userListId: '4242' },
  },
  meta_ads: { audience_sync: { audienceId: '23850000000000001' } },
  tiktok: {
    ad_launch: { campaignId: '1800000000000001' },
    ad_pause: { campaignId: '1800000000000001' },
    budget_change: { campaignId: '1800000000000001' },
  },
  hubspot: { email: { emailId: '101' } },
};
