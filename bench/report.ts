/**
 * The benchmark's report: measured results in, the markdown section of RESULTS.md out (the console
 * shows the same text). Pure — the machine, the versions and the clock are passed in — so that its
 * format is tested without running a benchmark.
 */
import { fmt, ratio, table } from './lib/stats.ts';
import { trustedVersusText } from './scenarios/s1t.ts';
import type { BenchOptions } from './setup/options.ts';
import type { BenchResults } from './results.ts';

export const START_MARKER = '<!-- peers:start';
export const END_MARKER = '<!-- peers:end -->';

/** What the run was, beside what it measured. */
export interface RunFacts {
  startedAt: number;
  finishedAt: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; arch: string; node: string };
  /** npm package → installed version. */
  versions: Record<string, string>;
}

export type ReportSettings = Pick<BenchOptions, 'warmup' | 'rounds' | 'duration' | 'eventsPerRound' | 'redisSubscribers'>;

export interface ReportInput {
  results: BenchResults;
  notes: readonly string[];
  settings: ReportSettings;
  facts: RunFacts;
}

const labels: Record<string, string> = {
  ours: 'dangjian (PostgreSQL)',
  'ours-pglite': 'dangjian (embedded PGlite)',
  yoga: 'graphql-yoga + DataLoader (hand-written)',
  'yoga-naive': 'graphql-yoga, naive resolvers (N+1)',
  apollo: 'Apollo Server 5',
  mercurius: 'Mercurius + graphql-jit',
  postgraphile: 'PostGraphile 5',
  'ours-trusted': 'dangjian, as a trusted document',
  'ours-trusted-text': 'dangjian, as text (same server)',
};

const titles: Record<string, string> = {
  s1: '1. Small query — `{ organization(id) { name kind } }`, 16 connections',
  s1t: '1t. Small query of scenario 1 as a trusted document (`{ documentId }`) vs as text, one server with the manifest, 16 connections',
  s2: '2. Nested read — `organizations(first: 20, kind: COMMITTEE) → children → members(first: 10) → cadrePosts`, 4 connections',
  s2n: '2b. Nested read, small page — `organizations(first: 2, kind: COMMITTEE) → children → members(first: 10) → cadrePosts`, against naive resolvers (N+1), 4 connections',
  s3: '3. Subtree aggregate under the working committee (10k organizations): subtree member count, members in dues arrears, overdue terms; 4 connections',
  s7: '7. Committee dashboard of the working committee (10k organizations), every query in one request; 1 connection',
  s7m: '7m. Dashboard: members under the committee (`members(filter: { under }) { totalCount }`); 1 connection',
  s7c: '7c. Dashboard: `organization { subtreeMemberCount }`; 1 connection',
  s7s: '7s. Dashboard: `meetingShortfallConnection` for the last quarter (totalCount, countsByKind, first 20); 1 connection',
  s7o: '7o. Dashboard: organizations with an overdue term (`totalCount`); 1 connection',
  s7a: '7a. Dashboard: members in dues arrears (`totalCount`, arrears as computed today); 1 connection',
  s3d: '3d. Committee-wide dues arrears (issue 25): members in arrears under the working committee — count, first page and each one’s amount owed (one-month window); 1 connection',
};

/** The report section, between its markers. */
export function renderReport({ results, notes, settings, facts }: ReportInput): string {
  return [
    `${START_MARKER} (written by \`npm run bench\`; everything above and below is kept) -->`,
    ...header(results, notes, settings, facts),
    ...httpSections(results),
    ...rankingSection(results),
    ...fanOutSection(results, settings),
    ...redisSection(results, settings),
    ...pgliteSection(results),
    END_MARKER,
  ].join('\n');
}

/** RESULTS.md with the report section replaced (or appended when the file has none yet). */
export function spliceReport(current: string | null, section: string): string {
  const text = current ?? '# Benchmark results\n';
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  return start >= 0 && end > start
    ? `${text.slice(0, start)}${section}${text.slice(end + END_MARKER.length)}`
    : `${text.trimEnd()}\n\n${section}\n`;
}

/** The run's last console line. */
export function summaryLine(failures: readonly string[], seconds: number): string {
  return `${failures.length === 0 ? 'all checks passed' : `${failures.length} check(s) failed:\n  ${failures.join('\n  ')}`} (${seconds} s)`;
}

function header(results: BenchResults, notes: readonly string[], settings: ReportSettings, facts: RunFacts): string[] {
  const { machine } = facts;
  const v = (name: string) => facts.versions[name] ?? '?';
  const lines = ['## Peers (`npm run bench`)', ''];
  lines.push(
    `Last full run: ${new Date(facts.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC, ${Math.round((facts.finishedAt - facts.startedAt) / 60000)} min. Machine: ${machine.cpus} × ${machine.cpuModel}, ` +
      `${machine.memoryGiB} GiB, Linux ${machine.arch}, PostgreSQL on the same machine. Node ${machine.node}. ` +
      `Versions: graphql ${v('graphql')}, graphql-yoga ${v('graphql-yoga')}, @apollo/server ${v('@apollo/server')}, ` +
      `mercurius ${v('mercurius')} with graphql-jit ${v('graphql-jit')} on fastify ${v('fastify')}, postgraphile ${v('postgraphile')}, ` +
      `prisma client ${v('@prisma/client')}, pg ${v('pg')}, dataloader ${v('dataloader')}, graphql-ws ${v('graphql-ws')}, autocannon ${v('autocannon')}.`,
  );
  if (results.data)
    lines.push(`Data: \`dangjian seed --scale\` — ${fmt(results.data.organizations)} organizations, ${fmt(results.data.members)} members.`);
  lines.push(
    `Method: every contender is a separate server process, all started before a scenario; autocannon runs in its own process; per contender a ${settings.warmup} s warm-up ` +
      `(discarded), then ${settings.rounds} rounds of ${settings.duration} s alternating the contenders (A B C A B C …); figures are medians of the rounds. Our server runs ` +
      '`dangjian serve` with NODE_ENV=production, every plugin, a bearer JWT on every request and every security limit on (the rate limit raised to 10M/min, one benchmark user). ' +
      "Peers have no authentication. SQL statements are counted inside each server process by `bench/lib/sql-counter.ts` (preloaded; wraps `pg.Client#query`, and PGlite's `query`/`exec`), " +
      'for one request after warm-up; "rows-independent" compares the same query over 20×10 and 2×1 rows (2b: 2×10 and 1×1). Peak RSS is VmHWM of the server process at the end of scenarios 1–3.',
  );
  for (const n of notes) lines.push(`- ${n}`);
  lines.push('');
  return lines;
}

function httpSections(results: BenchResults): string[] {
  const lines: string[] = [];
  for (const [key, rows] of results.http) {
    const ours = rows.find((r) => r.contender === 'ours');
    // Scenarios with a smaller query of the same shape show whether statements depend on the rows.
    const rowsIndependent = key === 's2' || key === 's2n';
    lines.push(`### ${titles[key]}`);
    lines.push('');
    const peers = rows.filter((r) => r.contender !== 'ours' && r.contender !== 'ours-pglite');
    lines.push(
      table(
        [
          'contender',
          'req/s',
          'p50 ms',
          'p99 ms',
          'SQL / request',
          ...(rowsIndependent ? ['rows-independent'] : []),
          'peak RSS MB',
          'ours ÷ it (throughput)',
          'same answer',
        ],
        rows.map((r) => [
          labels[r.contender] ?? r.contender,
          fmt(r.rps),
          fmt(r.p50),
          fmt(r.p99),
          fmt(r.sql),
          ...(rowsIndependent
            ? [r.sqlSmall === r.sql ? `yes (${r.sqlSmall})` : `no (${r.sqlSmall} for ${key === 's2' ? '2×1' : '1×1'})`]
            : []),
          fmt(results.rss.get(r.contender) ?? Number.NaN),
          r.contender === 'ours' ? '—' : ratio(ours?.rps ?? Number.NaN, r.rps),
          r.correct ? 'yes' : '**no**',
        ]),
      ),
    );
    if (ours && peers.length) {
      const fastest = peers.reduce((a, b) => (a.rps > b.rps ? a : b));
      lines.push('');
      lines.push(
        `Ours vs the fastest peer (${labels[fastest.contender]}): ${ratio(ours.rps, fastest.rps)} throughput. Rounds (req/s): ${rows.map((r) => `${r.contender} ${r.rounds.map((x) => fmt(x.rps)).join(' / ')}`).join('; ')}.`,
      );
    }
    const trusted = trustedVersusText(rows);
    if (trusted) lines.push('', `${trusted[0]!.toUpperCase()}${trusted.slice(1)}.`);
    lines.push('');
  }
  return lines;
}

function rankingSection(results: BenchResults): string[] {
  if (!results.ranking.length) return [];
  const r0 = results.ranking[0]!;
  return [
    `### 8. Scheme ranking of the working committee (issue 23 §4) — ${r0.items} indicator items, ${fmt(r0.covered)} cards; \`scorecards(orderBy: TOTAL, first: 20)\`, 1 connection`,
    '',
    'Live: every covered organization computed from current data on each request (target: ≥ 1.0× a hand-written SQL peer). Published: the frozen cards after `publishAssessmentScheme` (target: p99 ≤ 50 ms).',
    '',
    table(
      [
        'database',
        'live p50 ms',
        'live p99 ms',
        'live first (cold) ms',
        'live SQL / request',
        'publish ms (SQL)',
        'published p50 ms',
        'published p99 ms',
        'published SQL / request',
      ],
      results.ranking.map((r) => [
        labels[r.contender] ?? r.contender,
        fmt(r.liveP50),
        fmt(r.liveP99),
        fmt(r.liveFirstMs),
        fmt(r.liveSql),
        `${fmt(r.publishMs)} (${fmt(r.publishSql)})`,
        fmt(r.publishedP50),
        fmt(r.publishedP99),
        fmt(r.publishedSql),
      ]),
    ),
    '',
    ...results.ranking
      .filter((r) => r.peer)
      .map(
        (r) =>
          `Peer (one hand-written SQL query per indicator, ranking in TypeScript) on the same scheme, all ${r.peer!.items} items, ` +
          `${labels[r.contender] ?? r.contender}: ours p50 ${fmt(r.peer!.oursP50)} ms (${fmt(r.peer!.oursSql)} SQL), peer p50 ${fmt(r.peer!.peerP50)} ms${r.peer!.peerSql ? ` (${fmt(r.peer!.peerSql)} SQL)` : ''} — ` +
          `peer ÷ ours ${(r.peer!.peerP50 / r.peer!.oursP50).toFixed(2)}× (≥ 1.0: ours at least as fast); same ranking and sampled cards: ${r.peer!.same ? 'yes' : 'NO'}.`,
      ),
    '',
  ];
}

function fanOutSection(results: BenchResults, settings: ReportSettings): string[] {
  if (!results.subs.length) return [];
  return [
    '### 4. Subscription fan-out — `activityAdded` on one process; a mutation → the event to every subscriber',
    '',
    `${settings.eventsPerRound} events per round (each waits until every subscriber has the previous one), ${settings.rounds} rounds alternating the contenders, after a warm-up event. ` +
      'Latency: from sending the mutation to the event arriving at each client (one client process holds every socket and sends the mutation). CPU: server process user+system seconds per event; client CPU: the same for the client process, which shares the two cores.',
    '',
    table(
      [
        'subscribers',
        'contender',
        'p50 ms',
        'p99 ms (median of rounds)',
        'worst round p99 ms',
        'CPU s / event',
        'client CPU s / event',
        'peak RSS MB',
        'delivered',
        'connect all (ms)',
      ],
      results.subs.map((r) => [
        fmt(r.subscribers),
        r.label,
        fmt(r.p50, 1),
        fmt(r.p99, 1),
        fmt(r.worstP99, 1),
        r.cpuPerEvent.toFixed(2),
        r.clientCpuPerEvent.toFixed(2),
        fmt(r.peakRss),
        `${r.delivered}/${r.expected}`,
        fmt(r.connectMs),
      ]),
    ),
    '',
  ];
}

function redisSection(results: BenchResults, settings: ReportSettings): string[] {
  if (!results.redis.length) return [];
  const lines: string[] = [];
  const mem = results.redis.find((r) => r.key === 'in-memory');
  const red = results.redis.find((r) => r.key === 'redis-2');
  lines.push(`### 5. Redis pub/sub — ${settings.redisSubscribers} subscribers`);
  lines.push('');
  lines.push(
    table(
      ['set-up', 'p50 ms', 'p99 ms', 'worst round p99 ms', 'CPU s / event (all processes)', 'delivered'],
      results.redis.map((r) => [
        r.label,
        fmt(r.p50, 1),
        fmt(r.p99, 1),
        fmt(r.worstP99, 1),
        r.cpuPerEvent.toFixed(2),
        `${r.delivered}/${r.expected}`,
      ]),
    ),
  );
  if (mem && red) {
    lines.push(
      '',
      `Two processes over Redis against one in memory: ${fmt(red.p99 - mem.p99, 1)} ms at p99 and ${fmt(red.p50 - mem.p50, 1)} ms at p50 (this also counts three busy processes sharing the cores instead of two).`,
    );
    const [onA, onB] = red.perServer;
    if (onA && onB) {
      lines.push(
        '',
        `Within the two-process run (same events, same load), subscribers on B — who hear the event through Redis — against those on A, where the mutation ran, who hear it in process: ` +
          `p50 ${fmt(onB.p50, 1)} vs ${fmt(onA.p50, 1)} ms, p99 ${fmt(onB.p99, 1)} vs ${fmt(onA.p99, 1)} ms: ${fmt(onB.p99 - onA.p99, 1)} ms at p99 (${fmt(onB.p50 - onA.p50, 1)} ms at p50). ` +
          `This also counts the one client process reading A's messages before B's, which arrive later.`,
      );
    }
  }
  const hop = results.redisHop;
  if (hop) {
    lines.push(
      '',
      `The Redis hop itself, timed inside the servers (A publishing an event → B's handler receiving it, ${hop.events} events, the same clock): ` +
        `p50 ${fmt(hop.p50, 2)} ms, p99 ${fmt(hop.p99, 2)} ms, max ${fmt(hop.max, 2)} ms. **Redis adds ${fmt(hop.p99, 2)} ms at p99** before B's fan-out starts.`,
    );
  }
  lines.push('');
  return lines;
}

function pgliteSection(results: BenchResults): string[] {
  const pairs = [...results.http.entries()].map(
    ([k, rows]) => [k, rows.find((r) => r.contender === 'ours'), rows.find((r) => r.contender === 'ours-pglite')] as const,
  );
  if (!pairs.some(([, , p]) => p)) return [];
  return [
    '### 6. Embedded PGlite vs PostgreSQL (our server, scenarios 1–3)',
    '',
    table(
      ['scenario', 'PostgreSQL req/s', 'PGlite req/s', 'PGlite ÷ PostgreSQL', 'PostgreSQL p99 ms', 'PGlite p99 ms'],
      pairs
        .filter(([, , p]) => p)
        .map(([k, o, p]) => [
          k,
          fmt(o?.rps ?? Number.NaN),
          fmt(p!.rps),
          ratio(p!.rps, o?.rps ?? Number.NaN),
          fmt(o?.p99 ?? Number.NaN),
          fmt(p!.p99),
        ]),
    ),
    '',
  ];
}
