import { cliIo } from '../cli-io.ts';
import { createReadStream, existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
// The import engine and a system context without the GraphQL schema (half of core's load time).
import {
  importKindOf,
  importLimitsFrom,
  IMPORT_KINDS,
  runImport,
  type ImportMode,
  type ExistingPolicy,
  type ImportOutcome,
} from '@dangjian/core/data';
import { systemContext } from '@dangjian/core/system-context';
import { openDatabase } from '@dangjian/db';
import type { Config } from '../config.ts';
import { openVault } from '../personal-data.ts';

export interface ImportCommandOptions {
  kind?: string;
  file?: string;
  org?: string;
  mode?: string;
  existing?: string;
  user?: string;
  report?: string;
}

const MODES: readonly ImportMode[] = ['VALIDATE', 'ALL_OR_NOTHING', 'VALID_ROWS'];
const POLICIES: readonly ExistingPolicy[] = ['SKIP', 'UPDATE'];
const SHOWN_PROBLEMS = 50;

/**
 * `dangjian import <kind> <file> --org <code> [--mode M] [--existing P] [--user ID] [--report out.xlsx]`:
 * imports a table as an administrator of the organization. Exit 0 when every row passed, 3 when the valid
 * rows were written and some rejected (VALID_ROWS), 1 when nothing was written because of rejected rows
 * (or a refused file), 2 for a usage error.
 */
export async function importCommand(
  config: Config,
  options: ImportCommandOptions,
  out = cliIo().stdout,
  err = cliIo().stderr,
): Promise<number> {
  const usage = `usage: dangjian import <${Object.keys(IMPORT_KINDS).join('|')}> <file> --org <code> [--mode ${MODES.join('|')}] [--existing ${POLICIES.join('|')}] [--user ID] [--report out.xlsx]`;
  const kind = options.kind ? importKindOf(options.kind) : null;
  if (!kind || !options.file || !options.org) {
    err.write(`${usage}\n`);
    return 2;
  }
  const mode = (options.mode ?? 'ALL_OR_NOTHING').toUpperCase() as ImportMode;
  const existing = (options.existing ?? 'SKIP').toUpperCase() as ExistingPolicy;
  if (!MODES.includes(mode) || !POLICIES.includes(existing)) {
    err.write(`${usage}\n`);
    return 2;
  }
  if (!existsSync(options.file) || !statSync(options.file).isFile()) {
    err.write(`error: no file "${options.file}"\n`);
    return 1;
  }
  const db = await openDatabase(config.database);
  try {
    const org = await db.client.organization.findFirst({ where: { OR: [{ code: options.org }, { id: options.org }] } });
    if (!org) {
      err.write(`error: no organization with code or id "${options.org}"\n`);
      return 1;
    }
    // The operator acts as an administrator of the organization: the same subtree rules as the API.
    const user = options.user ?? `cli:${cliIo().env.USER ?? 'operator'}`;
    const ctx = {
      ...systemContext(db.client),
      viewer: { userId: user, organizationId: org.id, organizationPath: org.path, roles: ['ADMIN'] as const, communityId: null },
      vault: openVault(config),
    };
    // cli-progress draws only on a TTY (every call it makes is guarded by isTTY): any stream with `write` will do.
    const bar = new SingleBar(
      {
        format: `导入 ${options.kind} | {value} 行 | {duration_formatted}`,
        stream: err as NodeJS.WritableStream,
        noTTYOutput: false,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    bar.start(0, 0);
    let outcome: ImportOutcome;
    try {
      outcome = await runImport(ctx, kind, createReadStream(options.file), {
        mode,
        existing,
        fileName: basename(options.file),
        scope: org,
        limits: importLimitsFrom(cliIo().env),
        onProgress: (rows) => bar.update(rows),
      });
    } finally {
      bar.stop();
    }
    const lines = [
      `${outcome.committed ? '已导入' : mode === 'VALIDATE' ? '已校验（未写入）' : '未写入'} ${basename(options.file)}: ` +
        `读取 ${outcome.rows} 行，新增 ${outcome.created}，更新 ${outcome.updated}，跳过 ${outcome.skipped}，拒绝 ${outcome.rejected}`,
      `batch ${outcome.batchId}`,
      ...outcome.problems.slice(0, SHOWN_PROBLEMS).map((p) => `  第 ${p.row} 行${p.column ? ` ${p.column}` : ''}：${p.message}`),
    ];
    if (outcome.problemCount > SHOWN_PROBLEMS) lines.push(`  …… 共 ${outcome.problemCount} 处错误`);
    if (outcome.hasErrorReport) {
      const batch = await db.client.importBatch.findUniqueOrThrow({ where: { id: outcome.batchId }, select: { errorReport: true } });
      const target = options.report ?? join(dirname(options.file), `${basename(options.file).replace(/\.(xlsx|csv)$/i, '')}-错误报告.xlsx`);
      writeFileSync(target, batch.errorReport!);
      lines.push(`错误报告: ${target}`);
    }
    out.write(`${lines.join('\n')}\n`);
    return outcome.rejected === 0 && outcome.problemCount === 0 ? 0 : outcome.committed ? 3 : 1;
  } finally {
    await db.close();
  }
}

/** `dangjian template <kind> [out.xlsx]`: writes an import template (to stdout when no file is named). */
export async function templateCommand(
  kind: string | undefined,
  file: string | undefined,
  out = cliIo().stdout,
  err = cliIo().stderr,
): Promise<number> {
  const { templateOf } = await import('@dangjian/core');
  const body = kind ? await templateOf(kind) : null;
  if (!body) {
    err.write(`usage: dangjian template <${Object.keys(IMPORT_KINDS).join('|')}> [out.xlsx]\n`);
    return 2;
  }
  if (file) writeFileSync(file, body);
  else out.write(body);
  return 0;
}
