/**
 * The HTTP load generator, run as its own process so that it never shares an event loop with a
 * server: `node --import tsx bench/lib/load-http.ts '<json options>'` prints one JSON line.
 */
import autocannon from 'autocannon';

interface Options {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  durationSec: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
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
process.stdout.write(
  `${JSON.stringify({
    requests: completed,
    rps: completed / (result.duration || options.durationSec),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  })}\n`,
);
