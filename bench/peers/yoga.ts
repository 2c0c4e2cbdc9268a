/**
 * Peer: a bare graphql-yoga server with hand-written resolvers over pg (no Pothos, no Prisma, no
 * auth, no limits). PEER_RESOLVERS=dataloader (default) batches every level with DataLoader;
 * PEER_RESOLVERS=naive runs one statement per parent row (N+1).
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { createPool, dataLoaders, naiveLoaders, ready, resolvers, typeDefs, type PeerContext } from './common.ts';

const pool = createPool();
const naive = process.env.PEER_RESOLVERS === 'naive';
const yoga = createYoga({
  schema: createSchema({ typeDefs, resolvers: resolvers(pool) as never }),
  context: (): PeerContext => ({ loaders: naive ? naiveLoaders(pool) : dataLoaders(pool) }),
  graphqlEndpoint: '/graphql',
  logging: false,
  landingPage: false,
  graphiql: false,
});
const server = createServer(yoga);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  ready(naive ? 'yoga-naive' : 'yoga', `http://127.0.0.1:${address.port}/graphql`);
});
process.on('SIGTERM', () => process.exit(0));
