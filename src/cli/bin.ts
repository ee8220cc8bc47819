/**
 * @module
 * The `herald` executable: runs {@link main} with the process's streams, working directory and
 * environment (so `HERALD_STORE`, `HERALD_STORE_URL`, `HERALD_QUEUE_URL` and every other
 * variable the README documents take effect).
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
  env: process.env,
});
