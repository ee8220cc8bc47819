/**
 * @module
 * How a request proves who it is. A strategy signs each request and, when the platform says
 * the credential expired, may refresh it. Next engineers add Mailchimp's data-centre-from-key
 * (`baseUrl`) and Meta's `appsecret_proof` (`authorize` adding a query parameter) through the
 * same interface.
 */

/** The parts of a request a strategy may change. */
export interface AuthorizedRequest {
  readonly headers: Record<string, string>;
  readonly query: Record<string, string>;
}

/** Signs requests for one credential. */
export interface AuthStrategy {
  /** Base URL derived from the credential (e.g. Mailchimp's data centre); undefined to keep the configured one. */
  readonly baseUrl?: string;
  /** Adds the credential to `request`; returns the token used, for {@link AuthStrategy.refresh}. */
  authorize(request: AuthorizedRequest, signal?: AbortSignal): Promise<string>;
  /**
   * Replaces an expired credential. `staleToken` is the one the failed request used: a
   * refresh already done for it is reused, so one expiry causes exactly one refresh.
   * Resolves false when the strategy cannot refresh.
   */
  refresh(staleToken: string, signal?: AbortSignal): Promise<boolean>;
  /** Every secret value, so errors can be scrubbed of them. */
  secrets(): readonly string[];
}

const noRefresh = (): Promise<boolean> => Promise.resolve(false);

/**
 * A static key in a header, e.g. `Authorization: Bearer SG.…` or `X-Api-Key: …`.
 * @example
 * apiKeyAuth({ key: env.SENDGRID_API_KEY, header: 'authorization', scheme: 'Bearer' });
 */
export function apiKeyAuth(options: {
  readonly key: string;
  /** @default 'authorization' */
  readonly header?: string;
  /** Prefix before the key, e.g. `Bearer`. @default 'Bearer' */
  readonly scheme?: string;
}): AuthStrategy {
  const header = options.header ?? 'authorization';
  const value =
    options.scheme === '' ? options.key : `${options.scheme ?? 'Bearer'} ${options.key}`;
  return {
    authorize: (request) => {
      request.headers[header] = value;
      return Promise.resolve(options.key);
    },
    refresh: noRefresh,
    secrets: () => [options.key],
  };
}

/** HTTP Basic with a user and password (Twilio's account SID and auth token). */
export function basicAuth(options: {
  readonly username: string;
  readonly password: string;
}): AuthStrategy {
  const encoded = Buffer.from(`${options.username}:${options.password}`).toString('base64');
  return {
    authorize: (request) => {
      request.headers.authorization = `Basic ${encoded}`;
      return Promise.resolve(encoded);
    },
    refresh: noRefresh,
    secrets: () => [options.password, encoded],
  };
}

/** A fresh OAuth2 token pair. */
export interface OAuthTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

/**
 * An OAuth2 bearer token that is refreshed when the platform says it expired, with exactly
 * one refresh in flight per credential however many requests wait for it.
 * @example
 * oauth2Auth({ tokens, refresh: (refreshToken) => callTokenEndpoint(refreshToken) });
 */
export function oauth2Auth(options: {
  readonly tokens: OAuthTokens;
  /** Calls the platform's token endpoint. */
  readonly refresh: (refreshToken: string, signal?: AbortSignal) => Promise<OAuthTokens>;
  /** Client secret used by `refresh`, listed so errors are scrubbed of it. @default none */
  readonly clientSecret?: string;
}): AuthStrategy {
  let tokens = options.tokens;
  const seen: string[] = [tokens.accessToken, tokens.refreshToken];
  let inFlight: Promise<boolean> | undefined;
  return {
    authorize: async (request) => {
      if (inFlight) await inFlight;
      request.headers.authorization = `Bearer ${tokens.accessToken}`;
      return tokens.accessToken;
    },
    refresh: (staleToken, signal) => {
      if (inFlight) return inFlight;
      if (staleToken !== tokens.accessToken) return Promise.resolve(true);
      inFlight = options
        .refresh(tokens.refreshToken, signal)
        .then((next) => {
          tokens = next;
          seen.push(next.accessToken, next.refreshToken);
          return true;
        })
        .finally(() => {
          inFlight = undefined;
        });
      return inFlight;
    },
    secrets: () => (options.clientSecret ? [...seen, options.clientSecret] : [...seen]),
  };
}
