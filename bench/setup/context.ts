/** The state of one run, handed to every step instead of living in module globals. */
import type { Proc } from '../lib/proc.ts';
import type { BenchOptions } from './options.ts';

export interface BenchContext {
  options: BenchOptions;
  /** A progress line on the console. */
  log(message: string): void;
  /** Logs a passed check, or records and logs a failed one (the run then exits non-zero). */
  check(ok: boolean, what: string): void;
  /** Records a failure that is not a check (a skipped scenario, an aborted run) and logs it. */
  fail(message: string): void;
  /** A line for the report's method paragraph. */
  note(message: string): void;
  /** A note that is also logged, for something the person running the benchmark should see now. */
  warn(message: string): void;
  readonly failures: readonly string[];
  readonly notes: readonly string[];
  /** Keeps a started server so that it is stopped however the run ends. */
  track(...procs: Proc[]): void;
  stopAll(): Promise<void>;
}

/** A context printing through `print` (the console unless a test passes its own). */
export function createContext(options: BenchOptions, print: (line: string) => void = console.log): BenchContext {
  const failures: string[] = [];
  const notes: string[] = [];
  const procs: Proc[] = [];
  const log = (message: string) => print(`[bench] ${message}`);
  return {
    options,
    log,
    check(ok, what) {
      if (ok) log(`check ok: ${what}`);
      else {
        failures.push(what);
        log(`CHECK FAILED: ${what}`);
      }
    },
    fail(message) {
      failures.push(message);
      log(message);
    },
    note: (message) => void notes.push(message),
    warn(message) {
      notes.push(message);
      log(message);
    },
    failures,
    notes,
    track: (...started) => void procs.push(...started),
    async stopAll() {
      await Promise.allSettled(procs.map((p) => p.stop()));
    },
  };
}
