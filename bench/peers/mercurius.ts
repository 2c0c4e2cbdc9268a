/**
 * Peer: Fastify + Mercurius with graphql-jit (`jit: 1`: compile each query on its first use) and the
 * same hand-written DataLoader resolvers.
 */
import Fastify from 'fastify';
import mercurius from 'mercurius';
import { createPool, dataLoaders, ready, resolvers, typeDefs, type PeerContext } from './common.ts';

const pool = createPool();
const app = Fastify({ logger: false });
await app.register(mercurius, {
  schema: typeDefs,
  resolvers: resolvers(pool) as never,
  jit: 1,
  path: '/graphql',
  context: (): PeerContext => ({ loaders: dataLoaders(pool) }),
});
const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
ready('mercurius', `${address}/graphql`);
process.on('SIGTERM', () => process.exit(0));
