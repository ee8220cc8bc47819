/**
 * @module
 * The streams and environment a `herald` command runs with, injected so tests can capture
 * output without touching the console.
 */

/** Something text can be written to. */
export interface TextSink {
  write(text: string): unknown;
}

/** What a command reads and writes. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Standard input, for `-` and `--batch`. @default process.stdin */
  readonly stdin?: AsyncIterable<string | Uint8Array>;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A `herald` sub-command: parses its own arguments and returns the process exit code. */
export type Command = (args: readonly string[], io: CliIo) => Promise<number>;
