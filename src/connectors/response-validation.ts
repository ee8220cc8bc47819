/**
 * @module
 * Validates platform responses with zod schemas that accept unknown fields, and turns a
 * mismatch into a `schema_drift` error that names the missing or changed field.
 */
import type { z } from 'zod';
import type { Platform } from '../spec/platforms.js';
import { ConnectorError } from './connector-error.js';

/**
 * Parses `body` with `schema` or throws `schema_drift` naming each offending path.
 * @example
 * const data = validateResponse('slack', 'chat.postMessage', PostMessageResponse, body);
 */
export function validateResponse<T>(
  platform: Platform,
  endpoint: string,
  schema: z.ZodType<T>,
  body: unknown,
): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || '(body)'} (${issue.message})`)
    .join('; ');
  throw new ConnectorError({
    platform,
    code: 'schema_drift',
    message: `response of ${endpoint} no longer matches the contract: ${fields}`,
  });
}
