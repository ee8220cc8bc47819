/**
 * @module
 * What the law of each region requires before, when and how Herald may send, as plain data.
 * Rules are looked up by ISO 3166-1 country and, where a sub-national law is stricter, by
 * ISO 3166-2 subdivision (`US-FL`). A recipient whose country is unknown gets the strictest
 * rule Herald knows: express opt-in and the narrowest SMS window.
 */

/** Channels the recipient gate decides on. */
export const CHANNELS = ['email', 'sms'] as const;
/** A channel the recipient gate decides on. */
export type Channel = (typeof CHANNELS)[number];

/**
 * How consent works for a channel:
 * - `opt_in`: only an express, recorded, unwithdrawn consent allows a send (GDPR, PECR, TCPA).
 * - `express_or_implied`: express consent, or implied consent that has not expired (CASL).
 * - `opt_out`: sending is allowed until the person opts out (CAN-SPAM).
 */
export type ConsentMode = 'opt_in' | 'express_or_implied' | 'opt_out';

/** A span of recipient-local time, `HH:MM` to `HH:MM`, start inclusive and end exclusive. */
export interface LocalWindow {
  readonly start: string;
  readonly end: string;
}

/** Recipient-local hours when sending is allowed. */
export interface SendHours {
  /** Window on every day without an override. */
  readonly daily: LocalWindow;
  /** Overrides by ISO weekday (1 = Monday … 7 = Sunday); `null` closes the day. */
  readonly byWeekday?: Readonly<Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, LocalWindow | null>>>;
}

/** How long implied consent lasts, by what it arose from (CASL s. 10(10)). */
export interface ImpliedConsentExpiry {
  /** Days after a purchase, lease or contract. @default 730 */
  readonly purchaseDays: number;
  /** Days after an inquiry or application. @default 183 */
  readonly inquiryDays: number;
}

/** What a region requires of one channel. */
export interface ChannelRule {
  readonly consent: ConsentMode;
  /** Present only for `express_or_implied`. */
  readonly impliedExpiry?: ImpliedConsentExpiry;
  /** Allowed recipient-local hours; absent means the law sets none. */
  readonly hours?: SendHours;
  /** Latest an opt-out may take effect, in business days (Herald applies it at once). */
  readonly optOutWithinBusinessDays: number;
  /** The laws this rule encodes, for reports. */
  readonly laws: readonly string[];
}

/** What every marketing email must carry in a region. */
export interface EmailRequirements {
  readonly unsubscribeLink: boolean;
  readonly postalAddress: boolean;
  /** `List-Unsubscribe` with an HTTPS URI and `List-Unsubscribe-Post` (RFC 8058). */
  readonly oneClickUnsubscribe: boolean;
}

/** The complete rule of one region. */
export interface RegionRule {
  /** Region key: `EU`, `GB`, `CA`, `US`, `US-FL`, … or `UNKNOWN`. */
  readonly region: string;
  readonly email: ChannelRule;
  readonly sms: ChannelRule;
  readonly emailContent: EmailRequirements;
}

/** SMS hours Herald applies wherever no stricter law sets them. */
export const DEFAULT_SMS_HOURS: SendHours = { daily: { start: '08:00', end: '21:00' } };

const CASL_EXPIRY: ImpliedConsentExpiry = { purchaseDays: 730, inquiryDays: 183 };
const ALL_CONTENT: EmailRequirements = {
  unsubscribeLink: true,
  postalAddress: true,
  oneClickUnsubscribe: true,
};

const gdpr = (region: string, laws: readonly string[]): RegionRule => ({
  region,
  email: { consent: 'opt_in', optOutWithinBusinessDays: 0, laws },
  sms: { consent: 'opt_in', hours: DEFAULT_SMS_HOURS, optOutWithinBusinessDays: 0, laws },
  emailContent: ALL_CONTENT,
});

const US_EMAIL: ChannelRule = {
  consent: 'opt_out',
  optOutWithinBusinessDays: 10,
  laws: ['CAN-SPAM Act (15 U.S.C. 7701)'],
};
const TCPA = 'TCPA (47 U.S.C. 227), 47 CFR 64.1200';
const usSms = (hours: SendHours, stateLaw: string): ChannelRule => ({
  consent: 'opt_in',
  hours,
  optOutWithinBusinessDays: 10,
  laws: [TCPA, stateLaw],
});
const usState = (region: string, hours: SendHours, stateLaw: string): RegionRule => ({
  region,
  email: US_EMAIL,
  sms: usSms(hours, stateLaw),
  emailContent: ALL_CONTENT,
});
const EIGHT_TO_EIGHT: SendHours = { daily: { start: '08:00', end: '20:00' } };

/** The rules Herald knows, by region key. */
export const REGION_RULES: Readonly<Record<string, RegionRule>> = {
  EU: gdpr('EU', ['GDPR (EU) 2016/679', 'ePrivacy Directive 2002/58/EC art. 13']),
  GB: gdpr('GB', ['UK GDPR', 'PECR 2003 reg. 22']),
  CA: {
    region: 'CA',
    email: {
      consent: 'express_or_implied',
      impliedExpiry: CASL_EXPIRY,
      optOutWithinBusinessDays: 10,
      laws: ['CASL (S.C. 2010, c. 23)'],
    },
    sms: {
      consent: 'express_or_implied',
      impliedExpiry: CASL_EXPIRY,
      hours: DEFAULT_SMS_HOURS,
      optOutWithinBusinessDays: 10,
      laws: ['CASL (S.C. 2010, c. 23)'],
    },
    emailContent: ALL_CONTENT,
  },
  US: {
    region: 'US',
    email: US_EMAIL,
    sms: {
      consent: 'opt_in',
      hours: DEFAULT_SMS_HOURS,
      optOutWithinBusinessDays: 10,
      laws: [TCPA],
    },
    emailContent: ALL_CONTENT,
  },
  'US-FL': usState(
    'US-FL',
    EIGHT_TO_EIGHT,
    'Florida Telephone Solicitation Act, Fla. Stat. 501.059',
  ),
  'US-OK': usState('US-OK', EIGHT_TO_EIGHT, 'Oklahoma Telephone Solicitation Act, 15 O.S. 775C'),
  'US-MD': usState('US-MD', EIGHT_TO_EIGHT, 'Maryland Stop the Spam Calls Act 2023'),
  'US-WA': usState('US-WA', EIGHT_TO_EIGHT, 'RCW 80.36.390'),
  'US-TX': usState(
    'US-TX',
    { daily: { start: '09:00', end: '21:00' }, byWeekday: { 7: { start: '12:00', end: '21:00' } } },
    'Tex. Bus. & Com. Code 301.051',
  ),
  UNKNOWN: {
    region: 'UNKNOWN',
    email: { consent: 'opt_in', optOutWithinBusinessDays: 0, laws: ['strictest known rule'] },
    sms: {
      consent: 'opt_in',
      hours: EIGHT_TO_EIGHT,
      optOutWithinBusinessDays: 0,
      laws: ['strictest known rule'],
    },
    emailContent: ALL_CONTENT,
  },
};

/** EU and EEA member states, to which GDPR applies. */
export const EEA_COUNTRIES: ReadonlySet<string> = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(
    ' ',
  ),
);

/**
 * Finds the rule for a recipient's country (ISO 3166-1 alpha-2) and optional subdivision
 * (ISO 3166-2, with or without the country prefix: `FL` or `US-FL`).
 * @example
 * ruleFor('US', 'FL').sms.hours; // { daily: { start: '08:00', end: '20:00' } }
 */
export function ruleFor(country: string | undefined, subdivision?: string): RegionRule {
  if (country === undefined) return REGION_RULES.UNKNOWN!;
  const cc = country.toUpperCase();
  if (subdivision !== undefined) {
    const sub = subdivision.toUpperCase();
    const key = sub.startsWith(`${cc}-`) ? sub : `${cc}-${sub}`;
    const local = REGION_RULES[key];
    if (local !== undefined) return local;
  }
  if (EEA_COUNTRIES.has(cc)) return REGION_RULES.EU!;
  if (cc === 'UK') return REGION_RULES.GB!;
  return REGION_RULES[cc] ?? REGION_RULES.UNKNOWN!;
}
