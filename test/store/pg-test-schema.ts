/**
 * A throwaway PostgreSQL schema per test file: a unique name, and a drop when the file ends.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** A unique schema name for one test file. */
export function uniqueSchema(label: string): string {
  return `herald_${label}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

/** Drops `schema` and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
