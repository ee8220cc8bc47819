import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { storeFault } from '../../src/cli/store-faults.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { runHerald } from './herald-process.js';
import { captureIo } from './captured-io.js';

let dir: string;
const capture = () => captureIo(dir);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-hygiene-'));
});

/** A first import or a child process loads every module from scratch: slow on a loaded machine. */
const PROCESS_TIMEOUT = 180_000;

const COMMANDS = [
  'run',
  'status',
  'inspect',
  'pause',
  'resume',
  'cancel',
  'parse',
  'report',
  'schema',
  'sandbox',
  'worker',
];

describe('herald flags', () => {
  it.each(COMMANDS)(
    'herald %s --help prints its usage and exits 0',
    async (command) => {
      const cli = capture();
      expect(await main([command, '--help'], cli.io)).toBe(0);
      expect(cli.out()).toMatch(new RegExp(`^usage: herald (${command}|pause\\|resume)`));
      expect(cli.err()).toBe('');
    },
    PROCESS_TIMEOUT,
  );

  it('prints its version', async () => {
    const cli = capture();
    const manifest = JSON.parse(
      await readFile(join(import.meta.dirname, '../../package.json'), 'utf8'),
    ) as { version: string };
    expect(await main(['--version'], cli.io)).toBe(0);
    expect(cli.out()).toBe(`herald ${manifest.version}\n`);
  });

  it.each([
    ['sandbox', '--bogus'],
    ['schema', '--bogus'],
    ['status', '--bogus'],
    ['run', 'x.json', '--bogus'],
  ])('refuses an unknown flag: herald %s %s', async (...args) => {
    const cli = capture();
    expect(await main(args, cli.io)).toBe(2);
    expect(cli.err()).toContain("'--bogus'");
    expect(cli.out()).toBe('');
  });

  it.each([
    [['run', 'x.json', '--audience-size', 'abc'], '--audience-size'],
    [['run', 'x.json', '--audience-size', '0'], '--audience-size'],
    [['inspect', 'c1', '--events', '1e3'], '--events'],
    [['worker', '--concurrency', 'ten'], '--concurrency'],
  ])('refuses a numeric flag that is not a whole number: %j', async (args, flag) => {
    const cli = capture();
    expect(await main(args, cli.io)).toBe(2);
    expect(cli.err()).toContain(`${flag} takes a whole number`);
  });
});

describe('herald as a process', () => {
  it(
    'honours HERALD_STORE from its environment',
    async () => {
      const result = await runHerald(['status'], {
        cwd: dir,
        env: { HERALD_STORE: 'elsewhere/state.db' },
      });
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('No campaigns yet');
      expect((await stat(join(dir, 'elsewhere/state.db'))).isFile()).toBe(true);
      await expect(stat(join(dir, '.herald'))).rejects.toThrow();
    },
    PROCESS_TIMEOUT,
  );

  it.each([
    ['garbage', 'store_unreadable'],
    ['truncated', 'store_unreadable'],
    ['a directory', 'store_not_a_file'],
  ])(
    'a store that is %s gives one line naming the file, exit 3, no stack trace',
    async (kind, code) => {
      const store = join(dir, '.herald/herald.db');
      await mkdir(join(dir, '.herald'), { recursive: true });
      if (kind === 'garbage') await writeFile(store, 'not a database at all '.repeat(200));
      if (kind === 'a directory') await mkdir(store);
      if (kind === 'truncated') {
        const made = openSqliteStore(store);
        await made.close();
        const bytes = await readFile(store);
        await writeFile(store, bytes.subarray(0, 100));
      }
      const result = await runHerald(['status'], { cwd: dir });
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`error [${code}]: ${store}`);
      expect(result.stderr).not.toMatch(/SqliteError|\n\s+at /);
    },
    PROCESS_TIMEOUT,
  );
});

describe('store faults', () => {
  it.each([
    ['SQLITE_READONLY', 'store_read_only', 'make /srv/.herald and the store file writable'],
    ['SQLITE_FULL', 'disk_full', 'free space, then continue with: herald resume'],
    ['SQLITE_IOERR_WRITE', 'store_io_error', 'check the disk'],
  ])('%s names the file and the fix', (sqlite, code, fix) => {
    const error = Object.assign(new Error('raw'), { code: sqlite });
    const fault = storeFault(error, '/srv/.herald/herald.db');
    expect(fault).toMatchObject({ code, path: '/srv/.herald/herald.db' });
    expect(fault?.message).toContain('/srv/.herald/herald.db');
    expect(fault?.message).toContain(fix);
  });

  it('names the folder a file-system error is about', () => {
    const error = Object.assign(new Error('EACCES'), { code: 'EACCES', path: '/srv/.herald' });
    expect(storeFault(error, '/srv/.herald/herald.db')).toMatchObject({
      code: 'store_read_only',
      path: '/srv/.herald',
    });
  });

  it('leaves other errors alone', () => {
    expect(storeFault(new Error('x'), '/a')).toBeUndefined();
    expect(storeFault(Object.assign(new Error('x'), { code: 'ECONNRESET' }), '/a')).toBeUndefined();
    expect(storeFault('text', '/a')).toBeUndefined();
  });
});
