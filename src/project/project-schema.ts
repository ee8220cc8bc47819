/**
 * @module
 * `ProjectFile`: the `herald.yaml` a marketer keeps next to their campaigns. It says where the
 * audience comes from (CSV/JSON-lines files, a PostgreSQL table or query, or the synthetic
 * sandbox audience), which platform accounts to use with which credentials (named by
 * environment variable or sealed with Herald's keyring, never written in clear), the defaults
 * each account fills into steps that leave them out, and the campaign defaults (zone,
 * currency, quiet hours, caps). Every field carries a description, so the JSON Schema
 * (`herald schema --project`) lets an editor complete and explain the file.
 */
import { z } from 'zod';
import { AudienceRule } from '../spec/audience-schema.js';
import { PLATFORMS, StepAction, type Platform } from '../spec/platforms.js';
import { IsoDuration, ZoneName } from '../spec/timing-schema.js';

/** The name of an environment variable, e.g. `SENDGRID_API_KEY`. */
export const EnvName = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, 'environment variable names are upper-case, e.g. SENDGRID_API_KEY')
  .describe('An environment variable name, upper-case, e.g. SENDGRID_API_KEY');

/**
 * Where a secret comes from: an environment variable, or a ciphertext sealed by
 * `SecretKeyring` (opened with `HERALD_SECRET_KEY`). A secret written in clear is refused.
 */
export const SecretRef = z.union(
  [
    z
      .object({ env: EnvName.describe('Read the secret from this environment variable') })
      .strict()
      .describe('The secret is in an environment variable'),
    z
      .object({
        encrypted: z
          .string()
          .startsWith('herald:v1:', 'a sealed secret starts with herald:v1:')
          .describe(
            'The secret sealed with AES-256-GCM by Herald\'s keyring (context "<platform>.<NAME>"); opened with HERALD_SECRET_KEY',
          ),
      })
      .strict()
      .describe('The secret is stored encrypted in this file'),
  ],
  {
    error: (issue) =>
      typeof issue.input === 'string'
        ? 'a secret written in clear is refused; name its environment variable ({ env: NAME }) or seal it ({ encrypted: "herald:v1:…" })'
        : 'expected { env: NAME } or { encrypted: "herald:v1:…" }',
  },
);
/** Where a secret comes from. */
export type SecretRef = z.infer<typeof SecretRef>;

/** Setting names that hold secrets: they belong under `credentials`, never `settings`. */
export const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD)$/;

/** One platform account. */
export const Account = z
  .object({
    credentials: z
      .record(EnvName, SecretRef)
      .default({})
      .describe(
        'Secrets the connector needs, by the variable name it documents (e.g. SENDGRID_API_KEY), each from an environment variable or sealed; never in clear',
      ),
    settings: z
      .record(EnvName, z.string())
      .superRefine((settings, context) => {
        for (const name of Object.keys(settings))
          if (SECRET_NAME.test(name))
            context.addIssue({
              code: 'custom',
              path: [name],
              message: 'this setting is a secret; move it under "credentials" as { env: NAME }',
            });
      })
      .default({})
      .describe(
        'Settings that are not secret, by the variable name the connector documents: sender identities (SENDGRID_FROM_EMAIL, TWILIO_FROM), list ids (MAILCHIMP_LIST_ID), ad account ids (META_ADS_ACCOUNT_ID)',
      ),
    defaults: z
      .partialRecord(StepAction, z.record(z.string(), z.unknown()))
      .default({})
      .describe(
        'Step options per action, filled into steps that leave them out, e.g. { ad_launch: { campaignId: "111" }, audience_sync: { userListId: "4242" } }',
      ),
    channel: z
      .string()
      .optional()
      .describe('The Slack or Teams channel of notify steps that name none, e.g. #marketing'),
  })
  .strict()
  .describe('A platform account: its credentials, settings and step defaults');
/** One platform account. */
export type Account = z.infer<typeof Account>;

/** Platforms an account can be configured for (generic channels resolve to these). */
export const ACCOUNT_PLATFORMS = PLATFORMS.filter(
  (p): p is Exclude<Platform, 'email' | 'sms' | 'cms'> =>
    p !== 'email' && p !== 'sms' && p !== 'cms',
);

/** The accounts of a project, by platform. */
export const Accounts = z
  .object(
    Object.fromEntries(
      ACCOUNT_PLATFORMS.map((p) => [p, Account.optional().describe(`Your ${p} account`)]),
    ) as Record<(typeof ACCOUNT_PLATFORMS)[number], z.ZodOptional<typeof Account>>,
  )
  .strict()
  .describe('Platform accounts by platform; a step on a platform not listed here is refused');
/** The accounts of a project, by platform. */
export type Accounts = z.infer<typeof Accounts>;

/** A table or a query that yields one row per profile or event. */
export const TableSource = z
  .union([
    z
      .object({ table: z.string().min(1).describe('A table or view, e.g. marketing.profiles') })
      .strict(),
    z
      .object({ query: z.string().min(1).describe('A SELECT returning the columns Herald reads') })
      .strict(),
  ])
  .describe('A table or a query');

/** Where the audience comes from. */
export const ProjectAudience = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('files').describe('Profiles (and events) exported to CSV or JSON lines'),
        profiles: z
          .string()
          .min(1)
          .describe(
            'Path of the profiles file (.csv or .jsonl), relative to herald.yaml. CSV columns: id, email, phone, zone, age, country, region, language, loyalty_tier, consent_email, consent_sms, consent_push; any other column becomes a trait usable as a merge field',
          ),
        events: z
          .string()
          .min(1)
          .optional()
          .describe(
            'Path of the events file (.csv or .jsonl), relative to herald.yaml. CSV columns: profile_id, type, at, value, properties.<name>',
          ),
      })
      .strict(),
    z
      .object({
        kind: z.literal('postgres').describe('Profiles (and events) in a PostgreSQL database'),
        url: SecretRef.describe(
          'The connection URL (postgres://…), from an environment variable or sealed',
        ),
        profiles: TableSource.describe(
          'Where the profiles are: the same columns as the CSV export',
        ),
        events: TableSource.optional().describe(
          'Where the events are: the same columns as the CSV export',
        ),
      })
      .strict(),
    z
      .object({
        kind: z.literal('sandbox').describe("Herald's synthetic audience (as in the quick start)"),
        profiles: z
          .number()
          .int()
          .positive()
          .default(1000)
          .describe('How many synthetic profiles. @default 1000'),
      })
      .strict(),
  ])
  .describe('Where the audience comes from');
/** Where the audience comes from. */
export type ProjectAudience = z.infer<typeof ProjectAudience>;

/** Campaign defaults the project applies where a campaign states none. */
export const CampaignDefaults = z
  .object({
    zone: ZoneName.optional().describe(
      'Zone for times stated without one and for recipients with no zone, e.g. Europe/Berlin (instead of UTC)',
    ),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as USD or EUR')
      .optional()
      .describe('ISO 4217 currency of budgets and reports, e.g. EUR (instead of USD)'),
    quietHours: z
      .object({
        start: z
          .string()
          .regex(/^\d{2}:\d{2}$/)
          .describe('Local time quiet hours start, HH:MM'),
        end: z
          .string()
          .regex(/^\d{2}:\d{2}$/)
          .describe('Local time quiet hours end, HH:MM'),
      })
      .strict()
      .optional()
      .describe(
        'Recipient-local hours when nothing is sent, e.g. { start: "21:00", end: "08:00" }',
      ),
    frequencyCap: z
      .object({
        max: z
          .number()
          .int()
          .positive()
          .describe('Most messages per person per channel per period'),
        period: IsoDuration.describe('The period, an ISO 8601 duration, e.g. P7D'),
        onExceed: z
          .enum(['defer', 'drop'])
          .default('defer')
          .describe('Defer a message over the cap, or drop it. @default "defer"'),
      })
      .strict()
      .optional()
      .describe('At most this many messages per person per channel per period'),
    postalAddress: z
      .string()
      .optional()
      .describe('Postal address every marketing email carries (CAN-SPAM)'),
    unsubscribeUrl: z.string().optional().describe('Unsubscribe page linked from every email'),
    utm: z
      .union([
        z.literal(false),
        z
          .object({
            source: z
              .string()
              .optional()
              .describe('utm_source. @default the platform, e.g. sendgrid'),
            medium: z.string().optional().describe('utm_medium. @default the action, e.g. email'),
          })
          .strict(),
      ])
      .default({})
      .describe(
        'UTM parameters added to every link of every step (utm_source, utm_medium, utm_campaign = the campaign, utm_content = the step); false turns them off',
      ),
  })
  .strict()
  .describe('Defaults for campaigns that state none');
/** Campaign defaults. */
export type CampaignDefaults = z.infer<typeof CampaignDefaults>;

/** The `herald.yaml` project file. */
export const ProjectFile = z
  .object({
    version: z.literal(1).default(1).describe('Project file format version. @default 1'),
    audience: ProjectAudience,
    segments: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_]*$/),
        z.object({ rules: AudienceRule.describe('The segment rules') }).strict(),
      )
      .default({})
      .describe(
        'Named segments campaigns can refer to ("our lapsed list"), besides the built-in all, newsletter, sms_subscribers and vip',
      ),
    sandbox: z
      .union([
        z.literal('embedded'),
        z
          .record(z.string(), z.url())
          .describe('Base URL per platform, as `herald sandbox` prints them'),
      ])
      .optional()
      .describe(
        'Send every account\'s calls to Herald\'s sandbox instead of the real platforms: "embedded" starts one inside herald; a map uses a running `herald sandbox`. Absent: the real platforms',
      ),
    accounts: Accounts.default({}),
    campaign: CampaignDefaults.default({ utm: {} }),
  })
  .strict()
  .describe('A Herald project: audience, platform accounts and campaign defaults');
/** The `herald.yaml` project file. */
export type ProjectFile = z.infer<typeof ProjectFile>;
