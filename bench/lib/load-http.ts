/**
 * The HTTP load generator, run as its own process so that it never shares an event loop with the
 * benchmark's bookkeeping: `node --import tsx bench/lib/load-http.ts '<json options>'` prints one JSON line.
 */
import { type HttpRoundOptions, httpRound } from './http-round.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as HttpRoundOptions;
process.stdout.write(`${JSON.stringify(await httpRound(options))}\n`);
