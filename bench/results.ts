/** What a run measures: filled in by the scenarios, read by the report. */

/** One round of HTTP load against one contender (bench/lib/load-http.ts prints it). */
export interface HttpRound {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** One contender in one HTTP scenario: medians of the rounds, and what one request costs in SQL. */
export interface HttpSummary {
  contender: string;
  rps: number;
  p50: number;
  p99: number;
  /** SQL statements of one request after warm-up. */
  sql: number;
  /** The same for the scenario's smaller query, when it has one (statements must not depend on rows). */
  sqlSmall: number | null;
  rounds: HttpRound[];
  /** Non-2xx answers and errors over every round. */
  bad: number;
  /** Gave the same answer as our server. */
  correct: boolean;
}

/** One side of a subscription scenario (a contender or a set-up) at one number of subscribers. */
export interface SubSummary {
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

/** Publish on A → message handed to B's handler, per event (sql-counter.ts times both ends). */
export interface RedisHop {
  events: number;
  p50: number;
  p99: number;
  max: number;
}

/** Scenario 8 on one database: the scheme ranking, live and published (one request at a time). */
export interface RankingSummary {
  contender: string;
  /** Cards (covered organizations) and items of the scheme. */
  covered: number;
  items: number;
  /** The first live request after the scheme was created (cold). */
  liveFirstMs: number;
  /** SQL statements of one live ranking request after warm-up. */
  liveSql: number;
  liveP50: number;
  liveP99: number;
  /** publishAssessmentScheme: its time and statements. */
  publishMs: number;
  publishSql: number;
  publishedSql: number;
  publishedP50: number;
  publishedP99: number;
  /** Non-2xx answers and errors over every round. */
  bad: number;
  /** The first page: [code, total, rank] rows. */
  top: unknown[];
  /** The hand-written peer on the same scheme, every item re-implemented (PostgreSQL only); `same`: ranking and sampled cards alike. */
  peer?: { items: number; oursP50: number; peerP50: number; oursSql: number; peerSql?: number; same: boolean } | null;
}

export interface BenchResults {
  /** Scenario key (s1, s2, s2n, s3) → one summary per contender, in the order they ran. */
  http: Map<string, HttpSummary[]>;
  /** Scenario 4, every fan-out size. */
  subs: SubSummary[];
  /** Scenario 5. */
  redis: SubSummary[];
  redisHop: RedisHop | null;
  /** Scenario 8, per database. */
  ranking: RankingSummary[];
  /** The seeded data our server read. */
  data: { organizations: number; members: number } | null;
  /** Contender → peak RSS (MB) at the end of the HTTP scenarios. */
  rss: Map<string, number>;
}

export const emptyResults = (): BenchResults => ({
  http: new Map(),
  subs: [],
  redis: [],
  redisHop: null,
  ranking: [],
  data: null,
  rss: new Map(),
});
