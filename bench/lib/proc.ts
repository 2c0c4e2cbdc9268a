/** Starting benchmarked servers as real processes, and reading what the kernel knows about them. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const sqlCounter = resolve(import.meta.dirname, 'sql-counter.ts');

/** A free TCP port on loopback (bound, read, released). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => res(port));
    });
  });
}

export interface Proc {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  /** Peak resident set size so far (VmHWM), MB. */
  peakRssMb(): number;
  /** User + system CPU time used so far, seconds. */
  cpuSeconds(): number;
  /** SQL statements counted since the last reset (sql-counter.ts). */
  statements(reset?: boolean): Promise<number>;
  /** `activity:added` messages published and received through Redis, with when (sql-counter.ts). */
  bus(): Promise<BusLog>;
  stop(): Promise<void>;
}

/** Message text → time on the machine's clock, ms. */
export interface BusLog {
  published: [string, number][];
  received: [string, number][];
}

export interface StartOptions {
  name: string;
  /** The node binary (Node 24 for PostGraphile). */
  node?: string;
  /** Script and its arguments. */
  args: string[];
  env: Record<string, string>;
  timeoutMs?: number;
}

export function procStatus(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command name; 100 ticks/s.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Spawns a server with the SQL counter preloaded and waits for its `ready at <url>` line. */
export async function startProcess(options: StartOptions): Promise<Proc> {
  const statsPort = await freePort();
  const node = options.node ?? process.execPath;
  // tsx first so the counter (TypeScript) loads; the dangjian bin registering tsx again is harmless.
  const preload = ['--import', 'tsx', '--import', sqlCounter];
  // BENCH_OURS_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles our servers (written when they stop).
  if (options.name.startsWith('ours') && process.env.BENCH_OURS_NODE_ARGS) preload.unshift(...process.env.BENCH_OURS_NODE_ARGS.split(' '));
  // BENCH_PEERS_NODE_ARGS: the same for every peer (e.g. to give them a V8 setting ours runs with).
  if (!options.name.startsWith('ours') && process.env.BENCH_PEERS_NODE_ARGS)
    preload.unshift(...process.env.BENCH_PEERS_NODE_ARGS.split(' '));
  const child = spawn(node, [...preload, ...options.args], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env, BENCH_STATS_PORT: String(statsPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`${options.name}: not ready within ${options.timeoutMs ?? 120_000} ms\n${output}`)),
      options.timeoutMs ?? 120_000,
    );
    const onData = (d: Buffer) => {
      output += d;
      const match = /ready at (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        res(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (output = (output + d).slice(-20_000)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`${options.name} exited with ${code} before it was ready:\n${output}`));
    });
  });
  // Keep draining the pipes so a chatty server never blocks on a full buffer.
  child.stdout!.removeAllListeners('data');
  child.stdout!.on('data', () => {});
  const pid = child.pid!;
  return {
    name: options.name,
    url,
    pid,
    child,
    peakRssMb: () => procStatus(pid, 'VmHWM'),
    cpuSeconds: () => cpuSecondsOf(pid),
    async statements(reset = false) {
      const res = await fetch(`http://127.0.0.1:${statsPort}/${reset ? 'reset' : ''}`);
      return ((await res.json()) as { statements: number }).statements;
    },
    async bus() {
      const res = await fetch(`http://127.0.0.1:${statsPort}/bus`);
      return (await res.json()) as BusLog;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      // A profiled server writes its profile on exit: give it time.
      const timer = setTimeout(() => child.kill('SIGKILL'), process.env.BENCH_OURS_NODE_ARGS ? 180_000 : 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion; rejects with its output on a non-zero exit. */
export function run(command: string, args: string[], env: Record<string, string> = {}, cwd = repoRoot): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', rej);
    child.once('exit', (code) =>
      code === 0 ? res(output) : rej(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}
