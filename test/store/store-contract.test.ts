import { afterAll } from 'vitest';
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
