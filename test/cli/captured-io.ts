/**
 * The `herald` command's I/O captured in memory, for tests that call `main` in process.
 */
import type { CliIo } from '../../src/cli/cli-io.js';

/** An in-memory `CliIo` in `cwd` with an empty environment, and what was written to it. */
export function captureIo(cwd?: string): {
  io: CliIo;
  out: () => string;
  err: () => string;
} {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      ...(cwd === undefined ? {} : { cwd }),
      env: {},
    },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
