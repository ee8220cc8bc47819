/**
 * @module
 * The profile model segments are evaluated over: one `Profile` per person with fixed
 * attributes, consent per channel and free-form traits, and `ProfileEvent`s of behaviour.
 */

/** A channel a profile can consent to. */
export type ConsentChannel = 'email' | 'sms' | 'push';

/** A person Herald can target. */
export interface Profile {
  /** Stable identifier, unique within a data set. */
  readonly id: string;
  readonly email?: string;
  /** E.164 phone number, e.g. `+14155550100`. */
  readonly phone?: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  readonly zone?: string;
  /** Age in years. */
  readonly age: number;
  /** ISO 3166-1 alpha-2 country code, e.g. `US`. */
  readonly country: string;
  /** ISO 3166-2 subdivision code, e.g. `US-CA`. */
  readonly region: string;
  /** BCP 47 primary language, e.g. `en`. */
  readonly language: string;
  /** Loyalty tier name, e.g. `gold`. */
  readonly loyalty_tier: string;
  /** Consent per channel; `true` means the person opted in. */
  readonly consent: Readonly<Record<ConsentChannel, boolean>>;
  /** Custom traits of any JSON type; rules address them as `traits.<name>`. */
  readonly traits?: Readonly<Record<string, unknown>>;
}

/** Something a profile did, at an instant. */
export interface ProfileEvent {
  readonly profileId: string;
  /** `purchase`, `open`, `click`, `visit`, `cart_add` or a custom type. */
  readonly type: string;
  /** Epoch milliseconds (UTC). */
  readonly at: number;
  /** The event's amount (a purchase total); addressed as the property `value`. */
  readonly value?: number;
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** The type of a fixed profile field. */
export type FieldKind = 'string' | 'number' | 'boolean';

/** Fixed fields a rule may name, with their types; anything else must be `traits.<name>`. */
export const PROFILE_FIELDS = {
  id: 'string',
  email: 'string',
  phone: 'string',
  zone: 'string',
  age: 'number',
  country: 'string',
  region: 'string',
  language: 'string',
  loyalty_tier: 'string',
  consent_email: 'boolean',
  consent_sms: 'boolean',
  consent_push: 'boolean',
} as const satisfies Record<string, FieldKind>;
/** A fixed field a rule may name. */
export type ProfileField = keyof typeof PROFILE_FIELDS;

/** The prefix of custom trait fields: `traits.vip`. */
export const TRAIT_PREFIX = 'traits.';

/** True when `field` is a fixed profile field. */
export function isProfileField(field: string): field is ProfileField {
  return Object.hasOwn(PROFILE_FIELDS, field);
}

/** Reads a field (fixed or `traits.<name>`) of a profile; `undefined` when absent. */
export function readField(profile: Profile, field: string): unknown {
  switch (field) {
    case 'consent_email':
      return profile.consent.email;
    case 'consent_sms':
      return profile.consent.sms;
    case 'consent_push':
      return profile.consent.push;
  }
  if (field.startsWith(TRAIT_PREFIX)) {
    const traits = profile.traits ?? {};
    const name = field.slice(TRAIT_PREFIX.length);
    return Object.hasOwn(traits, name) ? traits[name] : undefined;
  }
  if (isProfileField(field)) return (profile as unknown as Record<string, unknown>)[field];
  return undefined;
}

/** Reads a property of an event; `value` names the event's amount. */
export function readEventProperty(event: ProfileEvent, property: string): unknown {
  if (property === 'value') return event.value;
  const props = event.properties ?? {};
  return Object.hasOwn(props, property) ? props[property] : undefined;
}
