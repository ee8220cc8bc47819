/**
 * The published package, tried as a user gets it: `npm pack` (which builds), the tarball unpacked
 * into an empty project's node_modules as npm would, next to the dependencies it declares and
 * nothing else; then `npx herald run` on an example, every subpath entry imported in a fresh
 * process, and a consumer file type-checked against the published types.
 */
import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '../..');
let project: string;
let tarball: string;
let manifest: { dependencies: Record<string, string>; exports: Record<string, unknown> };

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'herald-package-'));
  // Packed from a copy of what the package is built from, so the repository's dist/ is left alone.
  const source = join(project, 'source');
  for (const path of ['package.json', 'README.md', 'tsconfig.json', 'tsconfig.build.json']) {
    await cp(join(repo, path), join(source, path));
  }
  for (const path of ['bin', 'src'])
    await cp(join(repo, path), join(source, path), { recursive: true });
  await symlink(join(repo, 'node_modules'), join(source, 'node_modules'));
  const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', project], {
    cwd: source,
    maxBuffer: 16 * 1024 * 1024,
  });
  tarball = join(project, stdout.trim().split('\n').at(-1)!);
  const installed = join(project, 'node_modules/herald');
  await mkdir(installed, { recursive: true });
  await run('tar', ['xzf', tarball, '-C', installed, '--strip-components=1']);
  manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8'));
  // What npm would install: the declared dependencies (and a consumer's @types/node, typescript).
  for (const name of [...Object.keys(manifest.dependencies), '@types/node']) {
    await mkdir(dirname(join(project, 'node_modules', name)), { recursive: true });
    await symlink(join(repo, 'node_modules', name), join(project, 'node_modules', name));
  }
  await mkdir(join(project, 'node_modules/.bin'));
  await symlink('../herald/bin/herald.js', join(project, 'node_modules/.bin/herald'));
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
}, 600_000);

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the build, the command and the manifest, and no sources or tests', async () => {
    const { stdout } = await run('tar', ['tzf', tarball]);
    const files = stdout.trim().split('\n');
    expect(files).toContain('package/dist/index.js');
    expect(files).toContain('package/dist/index.d.ts');
    expect(files).toContain('package/bin/herald.js');
    expect(
      files.filter((f) => !/^package\/(dist\/|bin\/|package\.json|README\.md)/.test(f)),
    ).toEqual([]);
    expect(files.filter((f) => /\.test\.|\.map$/.test(f))).toEqual([]);
  });

  it('runs a plain-English example with `npx herald run`', async () => {
    await copyFile(join(repo, 'examples/product-launch.txt'), join(project, 'product-launch.txt'));
    const { stdout } = await run(
      'npx',
      ['herald', 'run', 'product-launch.txt', '--now', '2026-11-25T12:00:00Z', '--id', 'launch'],
      { cwd: project, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stdout).toContain('Summary: Product launch completed');
    expect(stdout).toMatch(/email-email: done — \d+ accepted/);
  }, 120_000);

  it('imports every subpath entry; `herald/nl` and the root load no queue, database or chart library', async () => {
    /** The packages a fresh process resolves while running `code`. */
    const loaded = async (code: string) => {
      const log = join(project, `loaded-${String(Math.random()).slice(2)}.txt`);
      await writeFile(join(project, 'hooks.mjs'), resolveHook);
      await writeFile(
        join(project, 'register.mjs'),
        `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url, { data: ${JSON.stringify(log)} });\n`,
      );
      await run('node', ['--import', './register.mjs', '--input-type=module', '-e', code], {
        cwd: project,
      });
      return new Set((await readFile(log, 'utf8')).trim().split('\n'));
    };
    const heavy = ['bullmq', 'ioredis', 'pg', 'vega', 'vega-lite', 'better-sqlite3'];
    const nl = await loaded(`await import('herald/nl')`);
    expect(heavy.concat('xstate', 'rxjs').filter((name) => nl.has(name))).toEqual([]);
    const root = await loaded(`await import('herald')`);
    expect(heavy.filter((name) => root.has(name) && name !== 'better-sqlite3')).toEqual([]);
    const entries = Object.keys(manifest.exports).map((key) => key.replace(/^\./, 'herald'));
    expect(entries).toEqual(expect.arrayContaining(['herald/nl', 'herald/testing']));
    const importAll = entries
      .map((e) =>
        e.endsWith('.json')
          ? `await import('${e}', { with: { type: 'json' } });`
          : `await import('${e}');`,
      )
      .join('\n');
    expect(await loaded(importAll)).toContain('herald');
  }, 120_000);

  it('type-checks a consumer against the published types, which name every type they use', async () => {
    await copyFile(join(import.meta.dirname, 'consumer/consumer.ts'), join(project, 'consumer.ts'));
    const program = ts.createProgram([join(project, 'consumer.ts')], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2023,
      strict: true,
      noEmit: true,
      types: ['node'],
      // The published declarations are checked (a type they import must resolve); the
      // libraries' own are not, as in most projects.
      skipLibCheck: false,
      skipDefaultLibCheck: true,
    });
    const ours = (file: ts.SourceFile) =>
      file.fileName.includes('/herald/') || file.fileName.endsWith('consumer.ts');
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || ours(d.file))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors).toEqual([]);
    expect(unexportedTypes(program, Object.keys(manifest.exports))).toEqual([]);
  }, 300_000);
});

/** A module hook that appends every bare package name a process resolves to `data` (a file). */
const resolveHook = `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data; appendFileSync(log, ''); }
export async function resolve(specifier, context, next) {
  if (!/^[.\\/]|^node:|^file:|^data:/.test(specifier)) {
    const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
    appendFileSync(log, name + '\\n');
  }
  return next(specifier, context);
}
`;

/**
 * Types declared in the package that its entries' exports use (in a parameter, a result, a
 * property, a base type) but that no entry exports: a caller could not name them.
 */
function unexportedTypes(program: ts.Program, exportKeys: readonly string[]): string[] {
  const checker = program.getTypeChecker();
  const inPackage = (node: ts.Node) =>
    node.getSourceFile().fileName.includes('/node_modules/herald/dist/');
  const resolveAlias = (symbol: ts.Symbol) =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const isPrivate = (node: ts.Node) =>
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
  const exported = new Set<ts.Symbol>();
  for (const key of exportKeys.filter((k) => k !== './package.json')) {
    const entry = `/node_modules/herald/dist/${key === '.' ? 'index' : key.slice(2)}.d.ts`;
    const file = program.getSourceFiles().find((f) => f.fileName.endsWith(entry));
    if (!file) throw new Error(`the consumer does not import ${key}`);
    for (const symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(file)!)) {
      exported.add(resolveAlias(symbol));
    }
  }
  const missing = new Set<string>();
  const visited = new Set<ts.Symbol>();
  const visit = (symbol: ts.Symbol): void => {
    if (visited.has(symbol)) return;
    visited.add(symbol);
    const walk = (node: ts.Node): void => {
      if (isPrivate(node) || ts.isTypeQueryNode(node)) return;
      const name = ts.isTypeReferenceNode(node)
        ? node.typeName
        : ts.isExpressionWithTypeArguments(node)
          ? node.expression
          : undefined;
      const target = name && checker.getSymbolAtLocation(name);
      const used = target && resolveAlias(target);
      if (used?.declarations?.some(inPackage) && !(used.flags & ts.SymbolFlags.TypeParameter)) {
        const file = used.declarations[0]!.getSourceFile().fileName.replace(/.*\/dist\//, '');
        if (!exported.has(used)) missing.add(`${used.getName()} (${file})`);
        visit(used);
      }
      ts.forEachChild(node, walk);
    };
    for (const declaration of symbol.declarations ?? [])
      if (inPackage(declaration)) walk(declaration);
  };
  for (const symbol of exported) visit(symbol);
  return [...missing].sort();
}
