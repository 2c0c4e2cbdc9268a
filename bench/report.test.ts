import { describe, expect, it } from 'vitest';
import { END_MARKER, renderReport, spliceReport, summaryLine, type ReportInput } from './report.ts';
import { emptyResults, type HttpSummary, type SubSummary } from './results.ts';

const settings = { warmup: 3, rounds: 3, duration: 8, eventsPerRound: 5, redisSubscribers: 1000 };
const facts = {
  startedAt: Date.UTC(2026, 11, 4, 0, 25),
  finishedAt: Date.UTC(2026, 11, 4, 0, 45),
  machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 8, arch: 'x64', node: '20.20.2' },
  versions: { graphql: '16.11.0', autocannon: '9.0.0' },
};

const http = (contender: string, rps: number, extra: Partial<HttpSummary> = {}): HttpSummary => ({
  contender,
  rps,
  p50: 2,
  p99: 9,
  sql: 1,
  sqlSmall: null,
  rounds: [{ requests: rps * 8, rps, p50: 2, p99: 9, non2xx: 0, errors: 0 }],
  bad: 0,
  correct: true,
  ...extra,
});

const sub = (key: string, label: string, extra: Partial<SubSummary> = {}): SubSummary => ({
  key,
  label,
  subscribers: 1000,
  p50: 20,
  p99: 40,
  worstP99: 45,
  cpuPerEvent: 0.05,
  clientCpuPerEvent: 0.04,
  peakRss: 300,
  delivered: 15000,
  expected: 15000,
  wrong: 0,
  connectMs: 1200,
  perServer: [{ p50: 20, p99: 40 }],
  ...extra,
});

function input(): ReportInput {
  const results = emptyResults();
  results.data = { organizations: 10000, members: 300000 };
  results.http.set('s1', [http('ours', 2000), http('yoga', 4000), http('ours-pglite', 500)]);
  results.http.set('s2', [http('ours', 100, { sql: 5, sqlSmall: 5 }), http('postgraphile', 200, { sql: 1, sqlSmall: 1, correct: false })]);
  results.rss.set('ours', 250);
  results.subs.push(sub('ours', 'dangjian (graphql-ws, in-process pub/sub)'));
  results.redis.push(
    sub('in-memory', 'one process, in-process pub/sub'),
    sub('redis-2', 'two processes', {
      p50: 25,
      p99: 50,
      perServer: [
        { p50: 20, p99: 40 },
        { p50: 30, p99: 60 },
      ],
    }),
  );
  results.redisHop = { events: 15, p50: 0.5, p99: 1.25, max: 2 };
  return { results, notes: ['PostGraphile ran on Node 24.21.0.'], settings, facts };
}

describe('renderReport', () => {
  it('writes the whole section in the format RESULTS.md keeps', () => {
    expect(renderReport(input())).toMatchSnapshot();
  });

  it('is framed by the markers that RESULTS.md is spliced at', () => {
    const lines = renderReport(input()).split('\n');
    expect(lines[0]).toBe('<!-- peers:start (written by `npm run bench`; everything above and below is kept) -->');
    expect(lines.at(-1)).toBe(END_MARKER);
  });

  it('states the run, the machine, the data, the method and the notes', () => {
    const text = renderReport(input());
    expect(text).toContain('Last full run: 2026-12-04 00:25 UTC, 20 min. Machine: 2 × Test CPU, 8 GiB, Linux x64');
    expect(text).toContain('graphql 16.11.0, graphql-yoga ?,');
    expect(text).toContain('Data: `dangjian seed --scale` — 10,000 organizations, 300,000 members.');
    expect(text).toContain('per contender a 3 s warm-up (discarded), then 3 rounds of 8 s');
    expect(text).toContain('\n- PostGraphile ran on Node 24.21.0.\n');
  });

  it('compares ours with each peer and the fastest one, and flags a wrong answer', () => {
    const text = renderReport(input());
    expect(text).toContain('| graphql-yoga + DataLoader (hand-written) | 4,000 | 2 | 9 | 1 | — | 0.50× | yes |');
    expect(text).toContain('Ours vs the fastest peer (graphql-yoga + DataLoader (hand-written)): 0.50× throughput.');
    expect(text).toContain('| dangjian (PostgreSQL) | 100 | 2 | 9 | 5 | yes (5) | 250 | — | yes |');
    expect(text).toContain('| PostGraphile 5 | 200 | 2 | 9 | 1 | yes (1) | — | 0.50× | **no** |');
  });

  it('reports the Redis hop and the difference between the servers', () => {
    const text = renderReport(input());
    expect(text).toContain('### 5. Redis pub/sub — 1000 subscribers');
    expect(text).toContain('p50 30.0 vs 20.0 ms, p99 60.0 vs 40.0 ms: 20.0 ms at p99 (10.0 ms at p50)');
    expect(text).toContain('**Redis adds 1.25 ms at p99**');
  });

  it('puts PGlite beside PostgreSQL for every scenario it ran in', () => {
    expect(renderReport(input())).toContain('| s1 | 2,000 | 500 | 0.25× | 9 | 9 |');
  });

  it('puts the trusted document beside the same query as text (scenario 1t) with their ratio', () => {
    const results = emptyResults();
    results.http.set('s1t', [http('ours-trusted-text', 2000, { p50: 4 }), http('ours-trusted', 2500, { p50: 3 })]);
    const text = renderReport({ ...input(), results });
    expect(text).toContain('### 1t. Small query of scenario 1 as a trusted document');
    expect(text).toContain('| dangjian, as a trusted document | 2,500 | 3 | 9 | 1 | — | — | yes |');
    expect(text).toContain('Trusted document ÷ text: 1.25× throughput (2,500 vs 2,000 req/s), p50 3 vs 4 ms.');
  });

  it('leaves out the sections of scenarios that did not run', () => {
    const text = renderReport({ ...input(), results: emptyResults() });
    expect(text).not.toContain('###');
    expect(text).not.toContain('Data:');
  });
});

describe('spliceReport', () => {
  const section = `<!-- peers:start new -->\nnew\n${END_MARKER}`;

  it('replaces the section and keeps everything above and below it', () => {
    const current = `# Benchmark results\n\nabove\n\n<!-- peers:start old -->\nold\n${END_MARKER}\n\nbelow\n`;
    expect(spliceReport(current, section)).toBe(`# Benchmark results\n\nabove\n\n${section}\n\nbelow\n`);
  });

  it('appends the section to a file without one, or to a new file', () => {
    expect(spliceReport('# Benchmark results\n\nnotes\n\n', section)).toBe(`# Benchmark results\n\nnotes\n\n${section}\n`);
    expect(spliceReport(null, section)).toBe(`# Benchmark results\n\n${section}\n`);
  });
});

describe('summaryLine', () => {
  it('says all passed, or lists the failures', () => {
    expect(summaryLine([], 42)).toBe('all checks passed (42 s)');
    expect(summaryLine(['a', 'b'], 7)).toBe('2 check(s) failed:\n  a\n  b (7 s)');
  });
});
