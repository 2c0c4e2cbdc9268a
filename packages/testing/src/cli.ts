import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@dangjian/db';
import { testDatabaseOptions } from '@dangjian/db/testing';

/** The `dangjian` executable of the server package. */
export const BIN = join(repoRoot, 'packages/server/bin/dangjian.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment for a CLI process on the suite's database: a temp PGlite folder, or a fresh PostgreSQL schema. */
export function cliDatabaseEnv(): Record<string, string> {
  const options = testDatabaseOptions();
  if (options.kind === 'postgres') return { DATABASE_URL: options.url };
  return { DANGJIAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'dangjian-cli-')) };
}

/** A clean environment: only what the CLI needs, so the developer's own variables cannot leak in. */
export function baseEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'test', ...extra };
  return env;
}

/**
 * Runs `dangjian …` to completion in this process, as the executable would (its argument parsing, commands,
 * exit codes, stdout and stderr), with `env` as its whole environment: a process per command cost 2–3 s of
 * CPU (Node, tsx, Prisma and PGlite's WASM loaded again) and the CLI tests run ~40. Servers (`serve`,
 * `start`) and the executable itself are tested as processes: `startCli`, `spawnCli`.
 */
export async function runCli(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CliResult> {
  const { runCli: run } = await import('@dangjian/server/cli');
  let stdout = '';
  let stderr = '';
  const text = (chunk: string | Uint8Array) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`dangjian ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`)),
      timeoutMs,
    );
  });
  try {
    const code = await Promise.race([
      run(args, {
        env,
        stdout: { write: (chunk) => (stdout += text(chunk)) },
        stderr: { write: (chunk) => (stderr += text(chunk)) },
      }),
      timeout,
    ]);
    if (code < 0) throw new Error(`dangjian ${args.join(' ')} started a server: use startCli`);
    return { code, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `dangjian …` as its own process, to completion. */
export function spawnCli(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dangjian ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Starts `dangjian <command>` and resolves once it prints its ready line. */
export function startCli(args: string[], env: Record<string, string>, timeoutMs = 120_000) {
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: repoRoot });
  let output = '';
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const ready = new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (d: Buffer) => {
      output += d;
      const match = /ready at (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (output += d));
    child.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`exited before ready:\n${output}`));
    });
  });
  return { child, ready, exited, output: () => output };
}
