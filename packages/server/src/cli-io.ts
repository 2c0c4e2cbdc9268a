// Where the CLI writes and what environment it reads. A command runs as `dangjian …` in its own process
// (the process's streams and environment), or in-process through `runCli` with streams and an environment
// of its own (the CLI tests: ~40 commands, each a process of its own cost 2–3 s of CPU to load Node, tsx,
// Prisma and PGlite's WASM again). AsyncLocalStorage keeps concurrent in-process runs apart.
import { AsyncLocalStorage } from 'node:async_hooks';

/** What a CLI run writes to (anything with `write`, as process.stdout). */
export interface CliStream {
  write(chunk: string | Uint8Array): unknown;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  env: Record<string, string | undefined>;
}

const current = new AsyncLocalStorage<CliIo>();

/** The streams and environment of the CLI run in progress: the process's own outside `withCliIo`. */
export function cliIo(): CliIo {
  return current.getStore() ?? { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Runs `fn` with its CLI output going to `io`. */
export function withCliIo<T>(io: CliIo, fn: () => Promise<T>): Promise<T> {
  return current.run(io, fn);
}

/** A line to standard output. */
export function say(line: string): void {
  cliIo().stdout.write(`${line}\n`);
}

/** A line to standard error. */
export function complain(line: string): void {
  cliIo().stderr.write(`${line}\n`);
}
