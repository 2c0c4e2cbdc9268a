/**
 * Scenario 1t: the small query of scenario 1 sent as a trusted document (`{ documentId }`, parsed once at
 * start) against the same query sent as text, to one server (the manifest configured, ad-hoc documents
 * still allowed), rounds alternating; prints the throughput ratio.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fmt, ratio } from '../lib/stats.ts';
import type { HttpSummary } from '../results.ts';
import { globalId } from '../setup/auth.ts';
import type { BenchContext } from '../setup/context.ts';
import { cacheDir } from '../setup/paths.ts';
import type { HttpScenario } from './http-scenario.ts';
import { S1 } from './s1.ts';

const S1_ID = createHash('sha256').update(S1).digest('hex');

/** Writes the manifest (GraphQL Code Generator's format) the trusted contender is started with; returns its path. */
export function writeS1Manifest(): string {
  const path = resolve(cacheDir, 'trusted-documents.json');
  writeFileSync(path, JSON.stringify({ [S1_ID]: S1 }));
  return path;
}

/** Trusted document ÷ text, throughput and p50, in one line. */
export function trustedVersusText(rows: readonly HttpSummary[]): string | null {
  const trusted = rows.find((r) => r.contender === 'ours-trusted');
  const text = rows.find((r) => r.contender === 'ours-trusted-text');
  if (!trusted || !text) return null;
  return `trusted document ÷ text: ${ratio(trusted.rps, text.rps)} throughput (${fmt(trusted.rps)} vs ${fmt(text.rps)} req/s), p50 ${fmt(trusted.p50)} vs ${fmt(text.p50)} ms`;
}

export const s1t: HttpScenario = {
  key: 's1t',
  title: 'small query of scenario 1 as a trusted document ({ documentId }) vs as text, one server',
  // Two keys, one process (setup/contenders.ts): only the request differs.
  contenders: ['ours-trusted-text', 'ours-trusted'],
  connections: 16,
  body: (key, f) => {
    const variables = { id: globalId('Organization', f.committeeId) };
    return JSON.stringify(key === 'ours-trusted' ? { documentId: S1_ID, variables } : { query: S1, variables });
  },
  normalize: (json) => json.data,
  report(ctx: BenchContext, rows) {
    const line = trustedVersusText(rows);
    if (line) ctx.log(`s1t: ${line}`);
  },
};
