/**
 * @module
 * `openStore`: the store a configuration names. A file path (or `:memory:`) opens the embedded
 * SQLite default; a `postgres://` or `postgresql://` URL opens the shared PostgreSQL store of
 * the cluster mode. `HERALD_STORE_URL` carries it in the environment.
 */
import type { HeraldStore } from './herald-store.js';
import { openPostgresStore, type PostgresStoreOptions } from './postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';

/** True for a URL that {@link openStore} opens as PostgreSQL. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Opens SQLite for a path and PostgreSQL for a `postgres://` URL.
 * @example
 * const store = await openStore(process.env.HERALD_STORE_URL ?? '.herald/herald.db');
 */
export async function openStore(
  location: string,
  options: PostgresStoreOptions = {},
): Promise<HeraldStore> {
  return isPostgresUrl(location)
    ? await openPostgresStore(location, options)
    : openSqliteStore(location);
}
