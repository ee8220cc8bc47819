/**
 * @module
 * Loads a project's audience: CSV or JSON-lines exports, a PostgreSQL table or query, or the
 * synthetic sandbox audience. Every problem is reported, never skipped in silence: a file that
 * cannot be read, a column Herald needs that is missing, malformed CSV (with its line), and
 * each rejected row with its line number and the reason.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, extname, isAbsolute, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import type { Issue } from '../errors.js';
import { sandboxAudience } from '../sandbox/sandbox-audience.js';
import { ColumnarStoreBuilder } from '../segments/columnar-builder.js';
import {
  loadEvents,
  loadProfiles,
  PROFILE_COLUMNS,
  type LoadFormat,
  type LoadReport,
} from '../segments/profile-loader.js';
import type { Profile, ProfileEvent } from '../segments/profile-model.js';
import { CsvScanner, type CsvRecord } from '../segments/csv-scanner.js';
import { openSecret, type LoadedProject } from './load-project.js';

/** Columns every profiles source must have (the rest are optional). */
export const REQUIRED_PROFILE_COLUMNS = [
  'id',
  'age',
  'country',
  'region',
  'language',
  'loyalty_tier',
] as const;

/** Columns every events source must have. */
export const REQUIRED_EVENT_COLUMNS = ['profile_id', 'type', 'at'] as const;

/** How one source (profiles or events) loaded. */
export interface SourceReport {
  /** What was read, e.g. `profiles.csv` or `table marketing.profiles`. */
  readonly name: string;
  readonly kind: 'profiles' | 'events';
  readonly loaded: number;
  readonly rejected: number;
  /** Columns the source has (CSV header, or the query's fields). */
  readonly columns: readonly string[];
  /** Rejected rows (line numbers in the message) and problems with the source. */
  readonly issues: readonly Issue[];
}

/** A loaded audience and what loading it found. */
export interface ProjectAudienceData {
  readonly profiles: readonly Profile[];
  readonly events: readonly ProfileEvent[];
  readonly sources: readonly SourceReport[];
  /** Problems that stop the audience from being used (unreadable, missing columns, malformed). */
  readonly blocking: readonly Issue[];
}

/** Collects what a loader adds, besides building the columnar store. */
class CollectingBuilder extends ColumnarStoreBuilder {
  readonly profiles: Profile[] = [];
  readonly events: ProfileEvent[] = [];
  override addProfile(profile: Profile): boolean {
    const added = super.addProfile(profile);
    if (added) this.profiles.push(profile);
    return added;
  }
  override addEvent(event: ProfileEvent): boolean {
    const added = super.addEvent(event);
    if (added) this.events.push(event);
    return added;
  }
}

/**
 * Loads the audience `project` names, as of `now` (the synthetic audience's events are placed
 * before it).
 * @example const audience = await loadProjectAudience(project, process.env, Date.now());
 */
export async function loadProjectAudience(
  project: LoadedProject,
  env: Readonly<Record<string, string | undefined>>,
  now: number,
): Promise<ProjectAudienceData> {
  const source = project.file.audience;
  switch (source.kind) {
    case 'sandbox': {
      const { profiles, events } = sandboxAudience(source.profiles, now);
      const columns = [...PROFILE_COLUMNS];
      return {
        profiles,
        events,
        blocking: [],
        sources: [
          {
            name: 'synthetic profiles',
            kind: 'profiles',
            loaded: profiles.length,
            rejected: 0,
            columns,
            issues: [],
          },
          {
            name: 'synthetic events',
            kind: 'events',
            loaded: events.length,
            rejected: 0,
            columns: [...REQUIRED_EVENT_COLUMNS, 'value'],
            issues: [],
          },
        ],
      };
    }
    case 'files': {
      const builder = new CollectingBuilder();
      const sources: SourceReport[] = [];
      const profilesReport = await loadFile(project, source.profiles, 'profiles', builder);
      sources.push(profilesReport);
      if (
        source.events !== undefined &&
        profilesReport.issues.every((i) => i.code !== 'source_unusable')
      )
        sources.push(await loadFile(project, source.events, 'events', builder));
      return result(builder, sources);
    }
    case 'postgres': {
      const builder = new CollectingBuilder();
      const url = openSecret(source.url, 'audience.url', env);
      if (!url.success)
        return {
          profiles: [],
          events: [],
          sources: [],
          blocking: url.error.map((i) => ({ ...i, path: ['audience', 'url'] })),
        };
      const client = new pg.Client({ connectionString: url.data });
      try {
        await client.connect();
      } catch (error) {
        return {
          profiles: [],
          events: [],
          sources: [],
          blocking: [
            unusable(
              ['audience', 'url'],
              `cannot connect to the database: ${(error as Error).message}`,
              ['check the URL, the network and the password'],
            ),
          ],
        };
      }
      try {
        const sources = [await loadQuery(client, source.profiles, 'profiles', builder)];
        if (
          source.events !== undefined &&
          sources[0]!.issues.every((i) => i.code !== 'source_unusable')
        )
          sources.push(await loadQuery(client, source.events, 'events', builder));
        return result(builder, sources);
      } finally {
        await client.end();
      }
    }
  }
}

function result(builder: CollectingBuilder, sources: readonly SourceReport[]): ProjectAudienceData {
  return {
    profiles: builder.profiles,
    events: builder.events,
    sources,
    blocking: sources.flatMap((s) =>
      s.issues.filter((i) => i.code === 'source_unusable' || i.code === 'missing_column'),
    ),
  };
}

async function loadFile(
  project: LoadedProject,
  path: string,
  kind: 'profiles' | 'events',
  builder: CollectingBuilder,
): Promise<SourceReport> {
  const full = resolve(project.dir, path);
  const inside = relative(project.dir, full);
  const name = inside.startsWith('..') || isAbsolute(inside) ? basename(full) : inside;
  const at = ['audience', kind];
  const format: LoadFormat = extname(full).toLowerCase() === '.csv' ? 'csv' : 'jsonl';
  const empty = { name, kind, loaded: 0, rejected: 0, columns: [] as string[] };
  let columns: string[];
  try {
    columns = format === 'csv' ? await csvHeader(full) : await opens(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ...empty,
      issues: [
        code === 'ENOENT'
          ? unusable(at, `${name} does not exist (looked in ${full})`, [
              `export the ${kind} to ${name}, or fix audience.${kind} in herald.yaml`,
            ])
          : unusable(at, `${name} cannot be read: ${(error as Error).message}`, [
              'check the file is CSV with a header line or JSON lines',
            ]),
      ],
    };
  }
  const missing = missingColumns(kind, columns, format);
  if (missing.length > 0)
    return { ...empty, columns, issues: missing.map((c) => missingColumn(at, name, kind, c)) };
  const load = kind === 'profiles' ? loadProfiles : loadEvents;
  try {
    const report = await load(createReadStream(full), builder, { format });
    return { name, kind, columns, ...rowsReport(report, name) };
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return {
      ...empty,
      columns,
      issues: [
        unusable(
          at,
          `${name}${line === undefined ? '' : ` line ${String(line)}`} is malformed CSV: ${(error as Error).message}`,
          [
            `check the quotes and the number of commas${line === undefined ? '' : ` on line ${String(line)}`}; every row needs as many fields as the header`,
          ],
        ),
      ],
    };
  }
}

async function loadQuery(
  client: pg.Client,
  where: { table: string } | { query: string },
  kind: 'profiles' | 'events',
  builder: CollectingBuilder,
): Promise<SourceReport> {
  const at = ['audience', kind];
  const name = 'table' in where ? `table ${where.table}` : `the ${kind} query`;
  const sql =
    'table' in where
      ? `SELECT * FROM ${where.table
          .split('.')
          .map((p) => `"${p.replace(/"/g, '""')}"`)
          .join('.')}`
      : where.query;
  let answer: pg.QueryResult<Record<string, unknown>>;
  try {
    answer = await client.query<Record<string, unknown>>(sql);
  } catch (error) {
    return {
      name,
      kind,
      loaded: 0,
      rejected: 0,
      columns: [],
      issues: [
        unusable(at, `${name} cannot be read: ${(error as Error).message}`, [
          'check the table name or the query in herald.yaml',
        ]),
      ],
    };
  }
  const columns = answer.fields.map((f) => f.name);
  const missing = missingColumns(kind, columns, 'rows');
  if (missing.length > 0)
    return {
      name,
      kind,
      loaded: 0,
      rejected: 0,
      columns,
      issues: missing.map((c) => missingColumn(at, name, kind, c)),
    };
  const load = kind === 'profiles' ? loadProfiles : loadEvents;
  const report = await load(Readable.from(answer.rows), builder, { format: 'rows' });
  return { name, kind, columns, ...rowsReport(report, name, 'row') };
}

function missingColumns(
  kind: 'profiles' | 'events',
  columns: readonly string[],
  format: LoadFormat,
): string[] {
  if (format === 'jsonl') return [];
  const required: readonly string[] =
    kind === 'profiles' ? REQUIRED_PROFILE_COLUMNS : REQUIRED_EVENT_COLUMNS;
  return required.filter((c) => !columns.includes(c));
}

const COLUMN_HINTS: Readonly<Record<string, string>> = {
  id: 'a unique id per person',
  age: 'age in years, a number',
  country: 'ISO country code, e.g. US',
  region: 'ISO region code, e.g. US-CA',
  language: 'language code, e.g. en',
  loyalty_tier: 'loyalty tier, e.g. gold (any text)',
  profile_id: 'the id of the person in the profiles file',
  type: 'what happened, e.g. purchase',
  at: 'when, ISO 8601 or epoch milliseconds',
};

function missingColumn(
  path: readonly (string | number)[],
  name: string,
  kind: string,
  column: string,
): Issue {
  return {
    code: 'missing_column',
    path,
    message: `${name} has no column "${column}", which Herald needs in ${kind}`,
    suggestions: [
      `add a column "${column}" (${COLUMN_HINTS[column] ?? 'see herald schema --project'}) to ${name}`,
    ],
  };
}

function unusable(
  path: readonly (string | number)[],
  message: string,
  suggestions: string[],
): Issue {
  return { code: 'source_unusable', path, message, suggestions };
}

/** The loader's report with each rejected row's line (files) or row number (queries). */
function rowsReport(
  report: LoadReport,
  name: string,
  unit = 'line',
): { loaded: number; rejected: number; issues: Issue[] } {
  const issues = report.issues.map((issue) => {
    const row = issue.path[1] as number;
    const field = issue.path[2];
    return {
      ...issue,
      path: [name, unit, row, ...(field === undefined ? [] : [field])],
      message: `${name} ${unit} ${String(row)}: ${issue.message}`,
      suggestions: issue.suggestions ?? [
        field === undefined
          ? 'remove the duplicate row or load its profile first'
          : `fix "${String(field)}" on that ${unit}`,
      ],
    };
  });
  return { loaded: report.loaded, rejected: report.rejected, issues };
}

async function csvHeader(path: string): Promise<string[]> {
  const handle = await open(path);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    const first = buffer.subarray(0, bytesRead);
    const end = first.indexOf(0x0a);
    let header: string[] = [];
    const scanner = new CsvScanner();
    const take = (record: CsvRecord): void => {
      if (record.line === 1)
        header = Array.from({ length: record.count }, (_, k) => record.text(k).trim());
    };
    scanner.push(end < 0 ? first : first.subarray(0, end + 1), take);
    scanner.end(take);
    return header;
  } finally {
    await handle.close();
  }
}

/** JSON lines name their fields row by row: only check the file opens. */
async function opens(path: string): Promise<string[]> {
  const handle = await open(path);
  await handle.close();
  return [];
}
