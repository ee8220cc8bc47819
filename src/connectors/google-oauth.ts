/**
 * @module
 * OAuth 2 with a refresh token against Google's token endpoint, shared by the Google Ads and
 * GA4 connectors: the first request fetches an access token when none was configured, and an
 * expired one is refreshed once however many requests wait.
 */
import { z } from 'zod';
import { oauth2Auth, type AuthorizedRequest, type AuthStrategy } from './auth-strategy.js';
import type { HttpClient } from './http-client.js';

/** Google's answer to a refresh. */
export const GoogleTokenResponse = z
  .object({ access_token: z.string(), expires_in: z.number() })
  .loose();

/** Settings of {@link googleRefreshAuth}. */
export interface GoogleOAuthSettings {
  /** The connector's client, which sends the refresh (created after the strategy, hence lazy). */
  readonly client: () => HttpClient;
  /** A sandbox or proxy base URL; @default Google's token endpoint */
  readonly baseUrl?: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  /** A token to start with. @default none: the first request refreshes */
  readonly accessToken?: string;
  /** Adds the platform's own headers to each authorized request. @default none */
  readonly decorate?: (request: AuthorizedRequest) => void;
  /** More secret values to scrub from errors. @default none */
  readonly secrets?: readonly string[];
}

/**
 * The auth strategy of a Google API connector.
 * @example
 * const auth = googleRefreshAuth({ client: () => client, clientId, clientSecret, refreshToken });
 */
export function googleRefreshAuth(settings: GoogleOAuthSettings): AuthStrategy {
  const tokenUrl = settings.baseUrl
    ? `${settings.baseUrl}/oauth2/v3/token`
    : 'https://oauth2.googleapis.com/token';
  const oauth = oauth2Auth({
    tokens: { accessToken: settings.accessToken ?? '', refreshToken: settings.refreshToken },
    refresh: async (refreshToken, signal) => {
      const response = await settings.client().request({
        method: 'POST',
        path: tokenUrl,
        lane: 'oauth',
        idempotent: true,
        authenticate: false,
        schema: GoogleTokenResponse,
        ...(signal ? { signal } : {}),
        form: {
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: settings.clientId,
          client_secret: settings.clientSecret,
        },
      });
      return { accessToken: response.data.access_token, refreshToken };
    },
    clientSecret: settings.clientSecret,
  });
  let hasToken = settings.accessToken !== undefined;
  return {
    ...oauth,
    authorize: async (request, signal) => {
      if (!hasToken) hasToken = await oauth.refresh('', signal);
      settings.decorate?.(request);
      return oauth.authorize(request, signal);
    },
    secrets: () => [...oauth.secrets(), ...(settings.secrets ?? [])],
  };
}
