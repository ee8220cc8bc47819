import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PG_MIGRATIONS } from '../../src/store/migrations/pg-migrations.js';
import { migratePostgres } from '../../src/store/postgres-migrate.js';
import { openPostgresStore } from '../../src/store/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { openStore } from '../../src/store/open-store.js';
import { serviceUrl } from '../services.js';
import { dropSchema, uniqueSchema } from './pg-test-schema.js';
import { storeContract } from './store-contract.js';

storeContract('SQLite', () => Promise.resolve(openSqliteStore(':memory:')));

const pgUrl = await serviceUrl('postgres');
const schemas: string[] = [];
afterAll(async () => {
  if (pgUrl) for (const schema of schemas) await dropSchema(pgUrl, schema);
});

storeContract('PostgreSQL', async () => {
  if (!pgUrl) return undefined;
  const schema = uniqueSchema('contract');
  schemas.push(schema);
  return openPostgresStore(pgUrl, { schema });
});

storeContract('openStore(postgres://…)', async () => {
  if (!pgUrl) return undefined;
  const schema = uniqueSchema('open');
  schemas.push(schema);
  return openStore(pgUrl, { schema });
});

storeContract('openStore(path)', () => openStore(':memory:'));

describe.runIf(pgUrl)('migratePostgres', () => {
  it('applies each numbered migration once when stores open concurrently and again later', async () => {
    const schema = uniqueSchema('migrate');
    schemas.push(schema);
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(pgUrl!, { schema })));
    const pool = new pg.Pool({ connectionString: pgUrl, max: 1 });
    try {
      expect(await migratePostgres(pool, schema)).toEqual([]);
      const { rows } = await stores[0]!.query<{ version: number; name: string }>(
        'SELECT version, name FROM herald_migrations ORDER BY version',
      );
      expect(rows).toEqual(PG_MIGRATIONS.map(({ version, name }) => ({ version, name })));
    } finally {
      await pool.end();
      for (const store of stores) await store.close();
    }
  });
});
