/**
 * @module
 * Reads a connector's credentials from a config object or environment variables, validated at
 * start: a missing one is a `ConfigurationError` naming the variable, never its value.
 */
import { ConfigurationError } from '../errors.js';
import type { Platform } from '../spec/platforms.js';

/** Per-platform settings: credentials and overrides such as `baseUrl`. */
export type PlatformConfig = Readonly<Record<string, string | undefined>>;

/** Where credentials come from. */
export interface CredentialSource {
  /** @default {} */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Per platform, keyed by setting name; wins over `env`. @default {} */
  readonly config?: Readonly<Partial<Record<Platform, PlatformConfig>>>;
}

/** A setting a connector needs: its config key and the environment variable that supplies it. */
export interface SettingSpec {
  readonly key: string;
  readonly env: string;
  /** @default true */
  readonly required?: boolean;
}

/**
 * Resolves `specs` for `platform`, throwing `ConfigurationError` naming every missing variable.
 * @example
 * readSettings('sendgrid', [{ key: 'apiKey', env: 'SENDGRID_API_KEY' }], { env: process.env });
 */
export function readSettings(
  platform: Platform,
  specs: readonly SettingSpec[],
  source: CredentialSource,
): Record<string, string | undefined> {
  const config = source.config?.[platform] ?? {};
  const out: Record<string, string | undefined> = {};
  const missing: string[] = [];
  for (const spec of specs) {
    const value = config[spec.key] ?? source.env?.[spec.env];
    if (value === undefined || value === '') {
      if (spec.required !== false) missing.push(spec.env);
    } else {
      out[spec.key] = value;
    }
  }
  if (missing.length > 0) {
    throw new ConfigurationError(
      'missing_credential',
      `${platform}: set ${missing.join(', ')} (or config.${platform}) before starting`,
    );
  }
  return out;
}
