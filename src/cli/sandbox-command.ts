/**
 * @module
 * `herald sandbox`: starts every fake platform on loopback, prints their URLs and the
 * credentials they accept, and serves until interrupted.
 */
import { SANDBOX_CREDENTIALS } from '../sandbox/sandbox-credentials.js';
import { startSandbox } from '../sandbox/start-sandbox.js';
import type { Command } from './cli-io.js';
import { parseCliArgs } from './cli-options.js';

/** `herald sandbox`; resolves when `signal` aborts (Ctrl-C in the CLI). */
export function sandboxCommand(signal: AbortSignal): Command {
  return async (args, io) => {
    parseCliArgs(args, {}, 'herald sandbox');
    const sandbox = await startSandbox();
    for (const [platform, url] of Object.entries(sandbox.urls))
      io.stdout.write(`${platform.padEnd(12)} ${url}\n`);
    io.stdout.write('\nCredentials the sandbox accepts (as environment variables):\n');
    for (const [name, value] of Object.entries(SANDBOX_CREDENTIALS))
      io.stdout.write(`  ${name}=${value}\n`);
    io.stdout.write('\nServing until interrupted (Ctrl-C).\n');
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener(
        'abort',
        () => {
          resolve();
        },
        { once: true },
      );
    });
    await sandbox.close();
    return 0;
  };
}
