/**
 * The import benchmark (issue 26 §1, not a timed test): a generated 100k-member 花名册 (.xlsx, bench/.cache)
 * imported into a fresh database seeded with the demo tree, on PostgreSQL and on the embedded database.
 * Two paths: the CLI (`dangjian import members <file> --org <root>`, the file read from disk) and the API
 * (`importMembers` as a GraphQL multipart upload to `dangjian serve`). Each import gets a database of its
 * own (`<BENCH_DATABASE_URL>_import`, bench/.data/pglite-import, recreated each time), so every row is new.
 * Measured: wall time of the import (rows per second) and the peak RSS of the process that imported
 * (the CLI process under /usr/bin/time, less a 10-row run's time; the server's VmHWM, the request's time). Only with `--only import` (not in a full run:
 * it takes minutes and rewrites its own databases). `--import-rows N` for another size.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import pg from 'pg';
import { run, startProcess } from '../lib/proc.ts';
import { bearerHeaders, globalId } from '../setup/auth.ts';
import type { BenchContext } from '../setup/context.ts';
import { ensureDatabase, reachable } from '../setup/database.ts';
import { importRoster } from '../setup/import-roster.ts';
import { bin, dataDir } from '../setup/paths.ts';
import { type Database, oursEnv } from '../setup/servers.ts';

export interface ImportFigure {
  database: Database;
  path: 'cli' | 'api';
  rows: number;
  created: number;
  seconds: number;
  rowsPerSecond: number;
  /** User + system CPU seconds of the importing process: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  rowsPerCpuSecond: number;
  peakRssMb: number;
  /** RSS without the import: the CLI checking a 10-row file, or the server idle before the request. */
  baseRssMb: number;
}

interface Target {
  database: Database;
  env: Record<string, string>;
  query(sql: string): Promise<Record<string, unknown>[]>;
}

/** A fresh database of its own, migrated and seeded with the demo tree by the product's CLI. */
async function freshTarget(ctx: BenchContext, database: Database): Promise<Target> {
  const { options } = ctx;
  let env: Record<string, string>;
  let query: Target['query'];
  if (database === 'postgres') {
    const url = new URL(options.pgUrl);
    url.pathname = `${url.pathname}_import`;
    const admin = new URL(url.href);
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.href });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${url.pathname.slice(1).replaceAll('"', '')}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
    await ensureDatabase(url.href);
    env = oursEnv(options, 'postgres', { DATABASE_URL: url.href });
    query = async (sql) => {
      const c = new pg.Client({ connectionString: url.href });
      await c.connect();
      try {
        return (await c.query(sql)).rows;
      } finally {
        await c.end();
      }
    };
  } else {
    const dir = resolve(dataDir, 'pglite-import');
    await rm(dir, { recursive: true, force: true });
    env = oursEnv(options, 'pglite', { DANGJIAN_DATA_DIR: dir, BENCH_COUNT_PGLITE: '' });
    query = async (sql) => {
      const { PGlite } = await import('@electric-sql/pglite');
      const db = await PGlite.create(dir);
      try {
        return (await db.query(sql)).rows as Record<string, unknown>[];
      } finally {
        await db.close();
      }
    };
  }
  // A 100k-row batch is one transaction; the file limit covers the generated roster (~10 MB).
  env = { ...env, DANGJIAN_IMPORT_MAX_BYTES: String(64 * 1024 * 1024) };
  await run(process.execPath, [bin, 'migrate', 'deploy'], env);
  await run(process.execPath, [bin, 'seed'], env);
  return { database, env, query };
}

async function treeOf(target: Target) {
  const [root] = await target.query(`SELECT id, code FROM "Organization" WHERE "parentId" IS NULL ORDER BY code LIMIT 1`);
  const branches = await target.query(`SELECT code FROM "Organization" WHERE kind = 'BRANCH' AND path LIKE '/${root!.id}/%' ORDER BY code`);
  const [members] = await target.query(`SELECT count(*)::int AS n FROM "Member"`);
  return {
    rootId: String(root!.id),
    rootCode: String(root!.code),
    branches: branches.map((b) => String(b.code)),
    members: Number(members!.n),
  };
}

/** `dangjian import members` under /usr/bin/time: wall time and the process's peak RSS. */
async function timedCli(target: Target, file: string, rootCode: string, mode: string) {
  const out = await run(
    '/usr/bin/time',
    [
      '-f',
      'BENCH_TIME %e %M %U %S',
      process.execPath,
      bin,
      'import',
      'members',
      file,
      '--org',
      rootCode,
      '--mode',
      mode,
      '--user',
      'bench',
    ],
    target.env,
  ).catch((error: Error) => error.message);
  const time = /BENCH_TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(out);
  const created = /新增 (\d+)/.exec(out);
  if (!time || !created) throw new Error(`CLI import failed:\n${out.slice(-2000)}`);
  return {
    seconds: Number(time[1]),
    peakRssMb: Math.round(Number(time[2]) / 1024),
    cpuSeconds: Number(time[3]) + Number(time[4]),
    created: Number(created[1]),
  };
}

/**
 * The CLI import, less what any CLI run costs: a run checking a 10-row file first (start-up — tsx loading
 * the sources —, connecting, spooling) gives the baseline seconds subtracted and the baseline RSS reported.
 */
async function cliImport(target: Target, file: string, tiny: string, rootCode: string) {
  const baseline = await timedCli(target, tiny, rootCode, 'VALIDATE');
  const full = await timedCli(target, file, rootCode, 'VALID_ROWS');
  return {
    ...full,
    seconds: Math.max(0.1, full.seconds - baseline.seconds),
    cpuSeconds: Math.max(0.1, full.cpuSeconds - baseline.cpuSeconds),
    baseline,
  };
}

const IMPORT = `mutation ($file: File!, $under: ID) {
  importMembers(file: $file, under: $under, mode: VALID_ROWS) { rows created rejected committed }
}`;

/** `importMembers` as a multipart upload to a running server: wall time of the request and the server's VmHWM. */
async function apiImport(ctx: BenchContext, target: Target, file: string, rootId: string) {
  const server = await startProcess({ name: `ours-import-${target.database}`, args: [bin, 'serve'], env: target.env, timeoutMs: 120_000 });
  ctx.track(server);
  try {
    const idle = server.peakRssMb();
    const cpuBefore = server.cpuSeconds();
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: IMPORT, variables: { file: null, under: globalId('Organization', rootId) } }));
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', new Blob([readFileSync(file)]), 'roster.xlsx');
    const started = performance.now();
    const res = await fetch(server.url, { method: 'POST', body: form, headers: await bearerHeaders(rootId) });
    const body = (await res.json()) as { data?: { importMembers: { created: number } }; errors?: unknown };
    const seconds = (performance.now() - started) / 1000;
    if (!body.data) throw new Error(`API import failed: ${JSON.stringify(body.errors).slice(0, 500)}`);
    return {
      seconds,
      cpuSeconds: server.cpuSeconds() - cpuBefore,
      peakRssMb: server.peakRssMb(),
      idleRssMb: idle,
      created: body.data.importMembers.created,
    };
  } finally {
    await server.stop();
  }
}

/** Runs the import benchmark on each database and path; answers the figures and logs a table. */
export async function runImportBench(ctx: BenchContext, rows: number): Promise<ImportFigure[]> {
  const pgUrl = new URL(ctx.options.pgUrl);
  const databases: Database[] = (await reachable(pgUrl.hostname, Number(pgUrl.port || 5432))) ? ['postgres', 'pglite'] : ['pglite'];
  const paths = (process.env.BENCH_IMPORT_PATHS ?? 'cli,api').split(',') as ('cli' | 'api')[];
  const figures: ImportFigure[] = [];
  const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  for (const database of databases) {
    for (const path of paths) {
      const target = await freshTarget(ctx, database);
      const tree = await treeOf(target);
      const started = performance.now();
      const file = await importRoster(rows, tree.branches, today);
      ctx.log(`import: roster of ${rows} rows ready (${Math.round(performance.now() - started)} ms): ${file}`);
      ctx.log(`import: ${database} via ${path}, ${tree.members} members before …`);
      const result =
        path === 'cli'
          ? await cliImport(target, file, await importRoster(10, tree.branches, today), tree.rootCode)
          : await apiImport(ctx, target, file, tree.rootId);
      const after = await treeOf(target);
      ctx.check(
        after.members - tree.members === result.created,
        `import ${database}/${path}: ${result.created} created, members grew by as many`,
      );
      ctx.check(result.created >= rows * 0.99, `import ${database}/${path}: at least 99 % of ${rows} rows created (${result.created})`);
      const figure: ImportFigure = {
        database,
        path,
        rows,
        created: result.created,
        seconds: Math.round(result.seconds * 10) / 10,
        rowsPerSecond: Math.round(result.created / result.seconds),
        cpuSeconds: Math.round(result.cpuSeconds * 10) / 10,
        rowsPerCpuSecond: Math.round(result.created / result.cpuSeconds),
        peakRssMb: result.peakRssMb,
        baseRssMb: 'idleRssMb' in result ? result.idleRssMb : result.baseline.peakRssMb,
      };
      figures.push(figure);
      const idle =
        'idleRssMb' in result
          ? ` (server idle ${result.idleRssMb} MB)`
          : ` (a 10-row check: ${result.baseline.seconds} s, ${result.baseline.peakRssMb} MB, subtracted from the time)`;
      ctx.log(
        `import: ${database} via ${path}: ${figure.created} rows in ${figure.seconds} s = ${figure.rowsPerSecond} rows/s (${figure.cpuSeconds} CPU s = ${figure.rowsPerCpuSecond} rows/CPU s), peak RSS ${figure.peakRssMb} MB${idle}`,
      );
    }
  }
  const table = [
    '| database | path | rows created | seconds | rows/s | CPU s | rows/CPU s | peak RSS (MB) | without the import (MB) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...figures.map(
      (f) =>
        `| ${f.database} | ${f.path} | ${f.created} | ${f.seconds} | ${f.rowsPerSecond} | ${f.cpuSeconds} | ${f.rowsPerCpuSecond} | ${f.peakRssMb} | ${f.baseRssMb} |`,
    ),
  ];
  ctx.note(`Import benchmark:\n${table.join('\n')}`);
  for (const line of table) ctx.log(line);
  return figures;
}
