import type { Database } from '@dangjian/db';
import { createApp } from '../app.ts';
import type { Config } from '../config.ts';

/**
 * Serves until SIGTERM/SIGINT, then shuts down gracefully and exits 0. A database opened by the
 * caller (`start` migrates it first) is reused — PGlite takes seconds to open — and closed at the end.
 */
export async function serve(config: Config, startedAt = performance.now(), db?: Database): Promise<void> {
  const app = await createApp(config, { db });
  const url = await app.listen();
  const ms = Math.round(performance.now() - startedAt);
  console.log(`dangjian: ready at ${url} (database: ${app.db.kind}, ${app.db.location}) in ${ms} ms`);
  if (!config.production) console.log(`dangjian: GraphiQL at ${url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`dangjian: ${signal} received, shutting down`);
    app
      .close()
      .then(() => db?.close())
      .then(
      () => {
        console.log('dangjian: stopped');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('dangjian: shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
