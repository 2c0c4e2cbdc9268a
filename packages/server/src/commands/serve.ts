import type { Database } from '@dangjian/db';
import { createApp } from '../app.ts';
import type { Config } from '../config.ts';
import { createLogger } from '../observability/logger.ts';

/**
 * Serves until SIGTERM/SIGINT, then shuts down gracefully and exits 0. A database opened by the
 * caller (`start` migrates it first) is reused — PGlite takes seconds to open — and closed at the end.
 */
export async function serve(config: Config, startedAt = performance.now(), db?: Database): Promise<void> {
  const logger = createLogger(config.logFormat);
  const app = await createApp(config, { db, log: logger.info, errorLog: logger.error });
  const url = await app.listen();
  const ms = Math.round(performance.now() - startedAt);
  logger.info(`dangjian: ready at ${url} (database: ${app.db.kind}, ${app.db.location}) in ${ms} ms`);
  if (!config.production) logger.info(`dangjian: GraphiQL at ${url}`);
  const metricsUrl = app.metricsUrl();
  if (metricsUrl) logger.info(`dangjian: metrics at ${metricsUrl}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`dangjian: ${signal} received, shutting down`);
    app
      .close()
      .then(() => db?.close())
      .then(
        () => {
          logger.info('dangjian: stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error(`dangjian: shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
