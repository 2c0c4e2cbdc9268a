/** One round of HTTP load from autocannon: requests, throughput and latency of a single contender. */
import autocannon from 'autocannon';
import type { HttpRound } from '../results.ts';

export interface HttpRoundOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  durationSec: number;
}

export async function httpRound(options: HttpRoundOptions): Promise<HttpRound> {
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body,
    connections: options.connections,
    duration: options.durationSec,
    pipelining: 1,
  });
  const completed = result.requests.total;
  return {
    requests: completed,
    rps: completed / (result.duration || options.durationSec),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
