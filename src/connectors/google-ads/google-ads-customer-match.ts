/**
 * @module
 * Customer Match for Google Ads: an offline user data job (`create`, `addOperations`, `run`)
 * whose identifiers are normalised and SHA-256-hashed for Google (see
 * `compliance/audience-hashing.ts`), checked with `assertHashed` before they leave. The job
 * endpoints are not in the contract (unconfirmed); they follow the Google Ads REST reference.
 */
import { hashAudienceMember } from '../../compliance/audience-hashing.js';
import { assertHashed } from '../../compliance/hashed-payload.js';
import type { ActionRequest, ActionResult } from '../connector.js';
import { ConnectorError } from '../connector-error.js';
import type { HttpRequest, HttpResponse } from '../http-client.js';
import { AnyObject, CreateJobResponse } from './google-ads-schemas.js';

/** Pinned major version (contract §1). */
export const GOOGLE_ADS_API_VERSION = 'v26';

/**
 * Uploads the request's recipients to the Customer Match list `userList`
 * (`customers/{id}/userLists/{id}`) and runs the job. Recipients with neither a valid email
 * nor an international phone are dropped; none left is `invalid_request`.
 */
export async function uploadCustomerMatch(
  request: ActionRequest,
  userList: string,
  deps: {
    readonly call: <T>(request: HttpRequest<T>) => Promise<HttpResponse<T>>;
    /** `/v26/customers/{id}`. */
    readonly customerPath: string;
  },
): Promise<ActionResult> {
  const { call, customerPath: customer } = deps;
  const operations = request.recipients.flatMap((recipient) => {
    const hashed = hashAudienceMember(
      {
        ...(recipient.email ? { email: recipient.email } : {}),
        ...(recipient.phone ? { phone: recipient.phone } : {}),
      },
      'google_ads',
    );
    if (!hashed.success) return [];
    const userIdentifiers = Object.entries(hashed.data).map(([key, value]) => ({ [key]: value }));
    return [{ create: { userIdentifiers } }];
  });
  if (operations.length === 0)
    throw new ConnectorError({
      platform: 'google_ads',
      code: 'invalid_request',
      message: 'audience_sync needs recipients with a valid email or international phone',
    });
  const signal = request.signal ? { signal: request.signal } : {};
  const job = await call({
    method: 'POST',
    path: `${customer}/offlineUserDataJobs:create`,
    idempotent: false,
    schema: CreateJobResponse,
    body: {
      job: { type: 'CUSTOMER_MATCH_USER_LIST', customerMatchUserListMetadata: { userList } },
    },
    ...signal,
  });
  const name = job.data.resourceName;
  const body = { operations, enablePartialFailure: true };
  assertHashed(body);
  await call({
    method: 'POST',
    path: `/${GOOGLE_ADS_API_VERSION}/${name}:addOperations`,
    idempotent: false,
    schema: AnyObject,
    body,
    ...signal,
  });
  const run = await call({
    method: 'POST',
    path: `/${GOOGLE_ADS_API_VERSION}/${name}:run`,
    idempotent: false,
    schema: AnyObject,
    body: {},
    ...signal,
  });
  return {
    externalId: name,
    outputs: {
      id: name,
      ...(run.headers.get('request-id') ? { requestId: run.headers.get('request-id')! } : {}),
    },
    accepted: operations.length,
  };
}
