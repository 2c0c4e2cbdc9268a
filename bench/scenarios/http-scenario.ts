/** One HTTP scenario: the same question to every contender, answers compared, then rounds of load. */
import type { Proc } from '../lib/proc.ts';
import { fmt, median } from '../lib/stats.ts';
import type { HttpSummary } from '../results.ts';
import type { Contender } from '../setup/contenders.ts';
import type { BenchContext } from '../setup/context.ts';
import type { Fixture } from '../setup/database.ts';
import { loadRound, post, quiet, type Json } from './http-load.ts';

export interface HttpScenario {
  key: string;
  /** A key that selects this scenario with others in `--only` (s7 selects every dashboard part). */
  group?: string;
  title: string;
  /** Contender keys, in the order they run; those this machine cannot run are left out. */
  contenders: string[];
  connections: number;
  body(contender: string, fx: Fixture): string;
  /** The answer in a shape every contender's can be compared in. */
  normalize(json: Json): unknown;
  /** The same query over more and fewer rows: SQL statements must not change. */
  smallBody?(contender: string): string;
  /** Prints what the scenario compares once it is measured (s1t: its ratio). */
  report?(ctx: BenchContext, rows: readonly HttpSummary[]): void;
}

/** A contender's started server. */
export interface RunningContender {
  contender: Contender;
  proc: Proc;
}

/** Checks every running contender's answer against ours, counts its SQL, then measures the rounds. */
export async function measureHttpScenario(
  ctx: BenchContext,
  s: HttpScenario,
  running: Map<string, RunningContender>,
  fixtures: Map<string, Fixture>,
): Promise<HttpSummary[]> {
  const { options } = ctx;
  const present = s.contenders.filter((k) => running.has(k));
  ctx.log(`scenario ${s.key}: ${s.title} — ${present.join(', ')}`);
  // The embedded database has ids of its own; peers read PostgreSQL, as ours does.
  const fixtureOf = (key: string) => fixtures.get(key) ?? fixtures.get('ours')!;
  const answers = new Map<string, unknown>();
  const summaries = new Map<string, HttpSummary>();
  for (const key of present) {
    const { contender, proc } = running.get(key)!;
    const body = s.body(key, fixtureOf(key));
    const json = await post(proc.url, body, contender.headers);
    let answer: unknown;
    try {
      if (json.errors) throw new Error(JSON.stringify(json.errors).slice(0, 300));
      answer = s.normalize(json);
    } catch (error) {
      answer = { error: (error as Error).message ?? String(error), json: JSON.stringify(json).slice(0, 300) };
    }
    answers.set(key, answer);
    // Warm-up (discarded): JIT, plan caches, connection pools.
    if (options.warmup > 0) await loadRound(proc.url, body, contender.headers, s.connections, options.warmup, options.smoke);
    else for (let i = 0; i < 3; i++) await post(proc.url, body, contender.headers);
    await quiet(proc);
    await post(proc.url, body, contender.headers);
    const sql = await proc.statements(true);
    let sqlSmall: number | null = null;
    if (s.smallBody) {
      await quiet(proc);
      await post(proc.url, s.smallBody(key), contender.headers);
      sqlSmall = await proc.statements(true);
    }
    summaries.set(key, { contender: key, rps: 0, p50: 0, p99: 0, sql, sqlSmall, rounds: [], bad: 0, correct: true });
  }
  const reference = JSON.stringify(answers.get('ours') ?? answers.get(present[0]!));
  for (const key of present) {
    const same = JSON.stringify(answers.get(key)) === reference;
    summaries.get(key)!.correct = same;
    ctx.check(
      same && !(answers.get(key) as { error?: string })?.error,
      `${s.key}: ${key} returns the same answer as ours${same ? '' : ` — got ${JSON.stringify(answers.get(key)).slice(0, 300)}`}`,
    );
  }
  // Rounds alternate the contenders: A B C A B C …
  for (let round = 1; round <= options.rounds; round++) {
    for (const key of present) {
      const { contender, proc } = running.get(key)!;
      const r = await loadRound(proc.url, s.body(key, fixtureOf(key)), contender.headers, s.connections, options.duration, options.smoke);
      summaries.get(key)!.rounds.push(r);
      ctx.log(
        `  ${s.key} round ${round} ${key}: ${fmt(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ''}`,
      );
    }
  }
  for (const summary of summaries.values()) {
    summary.rps = median(summary.rounds.map((r) => r.rps));
    summary.p50 = median(summary.rounds.map((r) => r.p50));
    summary.p99 = median(summary.rounds.map((r) => r.p99));
    summary.bad = summary.rounds.reduce((n, r) => n + r.non2xx + r.errors, 0);
    ctx.check(summary.bad === 0 || options.smoke === false, `${s.key}: ${summary.contender} answered every request with 2xx`);
  }
  return [...summaries.values()];
}
