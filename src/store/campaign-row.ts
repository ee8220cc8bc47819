/**
 * @module
 * The `campaigns` table row both stores keep, and its mapping to a `CampaignRecord`.
 */
import { CampaignSpec } from '../spec/campaign-schema.js';
import type { CampaignRecord, CampaignStatus } from './herald-store.js';

/** A row of the `campaigns` table (SQLite and PostgreSQL alike). */
export interface CampaignRow {
  id: string;
  spec: string;
  status: string;
  created_at: number;
  updated_at: number;
}

/** The record a row holds; the spec is validated again on the way out. */
export function toCampaign(row: CampaignRow): CampaignRecord {
  return {
    id: row.id,
    spec: CampaignSpec.parse(JSON.parse(row.spec)),
    status: row.status as CampaignStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
