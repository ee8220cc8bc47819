/**
 * @module
 * A platform response read whole, what a platform's error mapping says about it, and the
 * transport helpers the HTTP client uses to read one.
 */
import type { ConnectorErrorCode } from './connector-error.js';

/** A response as the platform sent it, body parsed as JSON when it is JSON. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** What a platform's error mapping says about a response. */
export interface ResponseFailure {
  readonly code: ConnectorErrorCode;
  readonly platformCode?: string;
  readonly platformMessage?: string;
  /** True when the platform may have acted although it answered with an error. */
  readonly mayHaveCommitted?: boolean;
}

/** Reads a fetch response whole; JSON bodies are parsed. */
export async function readResponse(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
): Promise<RawResponse> {
  const response = await doFetch(url, init);
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json');
  return {
    status: response.status,
    headers: response.headers,
    body: json ? parseJson(text) : text,
  };
}

/** A JSON body, or the text itself when it is not JSON: validation then names the drift. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** True when a fetch error was caused by the system error `code` (e.g. `ECONNREFUSED`). */
export function hasCauseCode(error: unknown, code: string): boolean {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return cause?.code === code;
}
