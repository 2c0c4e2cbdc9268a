import type { Database } from '@dangjian/db';

/** A running analyze check; `stop` waits for a check under way. */
export interface AutoAnalyze {
  stop(): Promise<void>;
}

/**
 * On the embedded database, every `intervalMs`: analyze the tables changed enough since their last ANALYZE
 * (`Database.analyzeChanged`), as autovacuum does on a PostgreSQL server — which needs nothing from us, and
 * gets nothing. One check at a time (a slow one is not overtaken); the timer never keeps the process alive.
 * A failed check is logged and the next one tries again.
 */
export function startAutoAnalyze(db: Database, intervalMs: number, log: (message: string) => void): AutoAnalyze {
  const analyze = db.analyzeChanged?.bind(db);
  if (!analyze || intervalMs <= 0) return { stop: async () => {} };
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = analyze()
      .then(() => {})
      .catch((error: unknown) => log(`analyzing changed tables failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
