/**
 * @module
 * Turns what the file system and SQLite say about an unusable store (damaged, not SQLite, a
 * directory, read-only, on a full disk) into one line naming the file and the fix.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { EnvironmentError, isHeraldError } from '../errors.js';

const MOVE_ASIDE =
  'move it aside (Herald starts a new store) or point --store / HERALD_STORE at another file';

/**
 * The {@link EnvironmentError} for `error` met while using the store file `path`, or
 * undefined when `error` is not a store fault.
 * @example
 * storeFault(Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' }), '/srv/.herald/herald.db');
 * // EnvironmentError store_unreadable: "/srv/.herald/herald.db is not a Herald store (…); move it aside …"
 */
export function storeFault(error: unknown, path: string): EnvironmentError | undefined {
  if (isHeraldError(error) || typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  // A file-system error names the very file or folder that failed.
  const own = (error as { path?: unknown }).path;
  const file = typeof own === 'string' ? own : path;
  const fault = (kind: string, message: string): EnvironmentError =>
    new EnvironmentError(kind, file, message, { cause: error });
  const folder = typeof own === 'string' ? own : dirname(path);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
    return fault(
      'store_unreadable',
      `${file} is not a Herald store (damaged or not SQLite); ${MOVE_ASIDE}`,
    );
  if (code === 'EISDIR' || code === 'ENOTDIR' || (code === 'SQLITE_CANTOPEN' && isDirectory(path)))
    return fault(
      'store_not_a_file',
      `${file} is a directory (or inside a file); point --store / HERALD_STORE at a file, e.g. ${path}/herald.db`,
    );
  if (code === 'SQLITE_CANTOPEN')
    return fault(
      'store_cannot_open',
      `cannot open ${path}: it must be a file in a folder Herald can write; check that it is not a directory and that ${folder} is writable`,
    );
  if (
    code.startsWith('SQLITE_READONLY') ||
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'EROFS'
  )
    return fault(
      'store_read_only',
      `${file} cannot be written (read-only); make ${folder} and the store file writable, or point --store / HERALD_STORE elsewhere`,
    );
  if (code === 'SQLITE_FULL' || code === 'ENOSPC')
    return fault(
      'disk_full',
      `the disk holding ${path} is full; free space, then continue with: herald resume <campaign>`,
    );
  if (code.startsWith('SQLITE_IOERR'))
    return fault(
      'store_io_error',
      `reading or writing ${path} failed (${code}); check the disk, then continue with: herald resume <campaign>`,
    );
  return undefined;
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
