/**
 * @module
 * Custom-audience payloads for the Meta Marketing API: only normalised SHA-256 hashes leave
 * (see `compliance/audience-hashing.ts`); the connector checks the body with `assertHashed`
 * before sending it.
 */
import { createHmac } from 'node:crypto';
import { hashAudienceMember } from '../../compliance/audience-hashing.js';
import type { ActionRequest } from '../connector.js';
import { ConnectorError } from '../connector-error.js';

/**
 * The `POST /{audience_id}/users` body of a request: EMAIL and PHONE columns normalised and
 * SHA-256-hashed for Meta, recipients with neither dropped, one upload session whose id is
 * derived from the idempotency key. Throws `invalid_request` when nobody usable remains.
 */
export function metaAudienceBody(request: ActionRequest): Record<string, unknown> {
  const data: string[][] = [];
  for (const recipient of request.recipients) {
    const hashed = hashAudienceMember(
      {
        ...(recipient.email ? { email: recipient.email } : {}),
        ...(recipient.phone ? { phone: recipient.phone } : {}),
      },
      'meta_ads',
    );
    if (hashed.success) data.push([hashed.data.EMAIL ?? '', hashed.data.PHONE ?? '']);
  }
  if (data.length === 0) {
    throw new ConnectorError({
      platform: 'meta_ads',
      code: 'invalid_request',
      message: 'audience_sync needs recipients with a valid email or international phone',
    });
  }
  const sessionId = Number.parseInt(
    createHmac('sha256', 'herald').update(request.idempotencyKey).digest('hex').slice(0, 12),
    16,
  );
  return {
    payload: { schema: ['EMAIL', 'PHONE'], data },
    session: {
      session_id: sessionId,
      batch_seq: 1,
      last_batch_flag: true,
      estimated_num_total: data.length,
    },
  };
}
