/** Sending HTTP requests to a contender: one at a time (answers, SQL counts) or as autocannon load. */
import { httpRound } from '../lib/http-round.ts';
import { run, type Proc } from '../lib/proc.ts';
import type { HttpRound } from '../results.ts';
import type { Headers } from '../setup/auth.ts';
import { loadHttpScript } from '../setup/paths.ts';

// Untyped on purpose: GraphQL answers of every contender, read by each scenario's normalize.
export type Json = any;

/** One GraphQL request; an answer that is not JSON comes back as its status and text, to be shown in a failed check. */
export async function post(url: string, body: string, headers: Headers): Promise<Json> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { status: res.status, text: text.slice(0, 500) };
  }
}

/**
 * A round of load from autocannon in its own process, so that its measurements never share an event loop
 * with the benchmark's own work. A smoke round (`inProcess`) checks answers, not speed: it runs here, as
 * each of ~35 rounds spawning Node with tsx cost a second of CPU inside `npm test`.
 */
export async function loadRound(
  url: string,
  body: string,
  headers: Headers,
  connections: number,
  durationSec: number,
  inProcess = false,
): Promise<HttpRound> {
  if (inProcess) return httpRound({ url, body, headers, connections, durationSec });
  const out = await run(process.execPath, [
    '--import',
    'tsx',
    loadHttpScript,
    JSON.stringify({ url, body, headers, connections, durationSec }),
  ]);
  return JSON.parse(out.trim().split('\n').pop()!) as HttpRound;
}

/**
 * Waits until a process sends no SQL for a while, then resets its counter: requests the load generator
 * abandoned at the end of a round are still being served, and their statements (and background ones,
 * such as a periodic cache refresh) must not be counted against the one request measured next.
 */
export async function quiet(proc: Proc): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await proc.statements(true);
    await new Promise((r) => setTimeout(r, 250));
    if ((await proc.statements(false)) === 0) break;
  }
  await proc.statements(true);
}
