/**
 * Peer: Apollo Server 5 with the same hand-written DataLoader resolvers. Over HTTP it runs the way the
 * Apollo docs start it (`startStandaloneServer`); with PEER_SUBSCRIPTIONS=1 it is the documented
 * subscription set-up instead: one node:http server for HTTP (through `executeHTTPGraphQLRequest`,
 * which is all an integration does) and graphql-ws's `useServer` on the same port and path.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { createSchema } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createPool, createPubSub, dataLoaders, ready, resolvers, typeDefs, type ActivityEvent, type PeerContext } from './common.ts';

const pool = createPool();
const port = Number(process.env.PORT ?? 0);
const context = async (): Promise<PeerContext> => ({ loaders: dataLoaders(pool) });

if (process.env.PEER_SUBSCRIPTIONS) {
  const pubsub = createPubSub<ActivityEvent>();
  const schema = createSchema<PeerContext>({ typeDefs, resolvers: resolvers(pool, pubsub) as never });
  const httpServer = createServer();
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const cleanup = useServer({ schema, context }, wsServer);
  const apollo = new ApolloServer<PeerContext>({
    schema,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: async () => void (await cleanup.dispose()) }) },
    ],
  });
  await apollo.start();
  httpServer.on('request', async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(key, value);
    const text = Buffer.concat(chunks).toString('utf8');
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: req.method ?? 'POST',
        headers,
        search: new URL(req.url ?? '/', 'http://x').search,
        body: text ? JSON.parse(text) : undefined,
      },
      context,
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') res.end(response.body.string);
    else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
  });
  httpServer.listen(port, '127.0.0.1', () => {
    const address = httpServer.address() as { port: number };
    ready('apollo-ws', `http://127.0.0.1:${address.port}/graphql`);
  });
} else {
  const apollo = new ApolloServer<PeerContext>({ typeDefs, resolvers: resolvers(pool) as never });
  const { url } = await startStandaloneServer(apollo, { listen: { port, host: '127.0.0.1' }, context });
  ready('apollo', new URL('/graphql', url).href);
}
process.on('SIGTERM', () => process.exit(0));
