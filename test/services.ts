/**
 * Locates the services service-backed tests need. A service's URL comes from the environment
 * (or this machine's default address); when it does not answer, the suite is skipped with the
 * reason printed to stderr, or fails when HERALD_REQUIRE_SERVICES=1.
 */
import { Socket } from 'node:net';

const DEFAULTS = {
  postgres: { env: 'HERALD_POSTGRES_URL', url: 'postgres://postgres@127.0.0.1:5432/test' },
  redis: { env: 'HERALD_REDIS_URL', url: 'redis://127.0.0.1:6379' },
} as const;

/** A service a test can need. */
export type ServiceName = keyof typeof DEFAULTS;

/** Resolves the service's URL, or undefined (after printing why) when the test should skip. */
export async function serviceUrl(name: ServiceName): Promise<string | undefined> {
  const { env, url: fallback } = DEFAULTS[name];
  const url = process.env[env] ?? fallback;
  const { hostname, port } = new URL(url);
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.connect(Number(port), hostname);
  });
  if (reachable) return url;
  const reason = `${name} is not reachable at ${url} (set ${env} to its URL)`;
  if (process.env.HERALD_REQUIRE_SERVICES === '1') {
    throw new Error(`${reason}; HERALD_REQUIRE_SERVICES=1 requires it`);
  }
  process.stderr.write(`skipping ${name}-backed tests: ${reason}\n`);
  return undefined;
}
