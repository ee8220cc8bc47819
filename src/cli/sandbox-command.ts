/**
 * @module
 * `herald sandbox`: starts every fake platform on loopback as a process of its own, prints
 * their URLs and the credentials they accept, and serves until interrupted. Its control
 * address answers `GET /__herald/platforms` (each platform's URL, which `herald run
 * --sandbox-url` reads) and `GET /__herald/deliveries` (every message it accepted, in order);
 * `--deliveries FILE` also appends each one to a JSON Lines file as it happens.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { HeraldError } from '../errors.js';
import type { Delivery } from '../sandbox/sandbox-types.js';
import { SANDBOX_CREDENTIALS } from '../sandbox/sandbox-credentials.js';
import { startSandbox } from '../sandbox/start-sandbox.js';
import type { Platform } from '../spec/platforms.js';
import type { Command } from './cli-io.js';
import { integerFlag, parseCliArgs } from './cli-options.js';

const USAGE = 'herald sandbox [--port N] [--deliveries FILE.jsonl] [--unlimited]';

/** Path of the control endpoint listing each platform's URL. */
export const SANDBOX_PLATFORMS_PATH = '/__herald/platforms';
/** Path of the control endpoint listing every delivery. */
export const SANDBOX_DELIVERIES_PATH = '/__herald/deliveries';

/** One line of the delivery record: a message the sandbox accepted for one recipient. */
export interface RecordedDelivery extends Delivery {
  readonly platform: Platform;
}

/** `herald sandbox`; resolves when `signal` aborts (Ctrl-C in the CLI). */
export function sandboxCommand(signal: AbortSignal): Command {
  return async (args, io) => {
    const { values } = parseCliArgs(
      args,
      {
        port: { type: 'string', default: '0' },
        deliveries: { type: 'string' },
        unlimited: { type: 'boolean', default: false },
      },
      USAGE,
    );
    const port = integerFlag(values.port, 'port', 0)!;
    if (port > 65_535)
      throw new HeraldError(
        'bad_arguments',
        `--port takes a port number (0–65535), not "${values.port}"`,
      );
    const file =
      values.deliveries === undefined
        ? undefined
        : resolve(io.cwd ?? process.cwd(), values.deliveries);
    if (file) writeFileSync(file, '');
    const record: RecordedDelivery[] = [];
    const sandbox = await startSandbox({
      enforceQuotas: !values.unlimited,
      onDelivery: (platform, delivery) => {
        const line: RecordedDelivery = { platform, ...delivery };
        record.push(line);
        if (file) appendFileSync(file, `${JSON.stringify(line)}\n`);
      },
    });
    const control = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const path = url.pathname;
      const from = Number(url.searchParams.get('from') ?? 0) || 0;
      const body =
        req.method !== 'GET'
          ? undefined
          : path === SANDBOX_PLATFORMS_PATH
            ? sandbox.urls
            : path === SANDBOX_DELIVERIES_PATH
              ? record.slice(from)
              : undefined;
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { error: `no ${String(req.method)} ${path} here` }));
    });
    await new Promise<void>((done) => control.listen(port, '127.0.0.1', done));
    const url = `http://127.0.0.1:${String((control.address() as AddressInfo).port)}`;
    io.stdout.write(`Sandbox control: ${url}\n`);
    io.stdout.write(
      `  point a run at it: herald run <campaign> --sandbox-url ${url}   (or HERALD_SANDBOX_URL=${url})\n`,
    );
    io.stdout.write(`  every delivery it accepted: GET ${url}${SANDBOX_DELIVERIES_PATH}\n`);
    if (file) io.stdout.write(`  also appended to ${file}\n`);
    if (values.unlimited) io.stdout.write('  quotas: not enforced (--unlimited)\n');
    io.stdout.write('\n');
    for (const [platform, platformUrl] of Object.entries(sandbox.urls))
      io.stdout.write(`${platform.padEnd(12)} ${platformUrl}\n`);
    io.stdout.write('\nCredentials the sandbox accepts (as environment variables):\n');
    for (const [name, value] of Object.entries(SANDBOX_CREDENTIALS))
      io.stdout.write(`  ${name}=${value}\n`);
    io.stdout.write('\nServing until interrupted (Ctrl-C).\n');
    await new Promise<void>((done) => {
      if (signal.aborted) done();
      signal.addEventListener(
        'abort',
        () => {
          done();
        },
        { once: true },
      );
    });
    control.closeAllConnections();
    await new Promise<void>((done) =>
      control.close(() => {
        done();
      }),
    );
    await sandbox.close();
    return 0;
  };
}
