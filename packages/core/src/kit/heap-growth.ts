// A batch import reads a file of up to 100k rows in chunks of 500. exceljs's streaming reader allocates
// ~37 KB of short-lived objects for every row it parses, so the rows of a chunk (held until the chunk is
// checked and written) live through several young-generation collections and are promoted: a few KB a row
// of old-generation garbage. V8 lets the old generation grow to up to four times its live size before it
// marks it again (its dynamic growing factor), so a 100k-row import peaked at ~590 MB RSS (CLI) and
// ~665 MB (server) with ~120 MB of the heap live. A small growing factor makes V8 collect that garbage in
// step with the live size. It is the one heap setting V8 reads at every collection (the size limits are
// fixed when the process starts), so it can be set for the length of an import without restarting Node.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How far (%) the old generation may grow past its live size between full collections during a batch. */
export const BATCH_HEAP_GROWING_PERCENT = 25;

let batches = 0;

/**
 * Runs `work` with V8's heap growing factor held at 1 + BATCH_HEAP_GROWING_PERCENT % (`--heap-growing-percent`;
 * V8's own choice is 1.1–4), then gives V8 its dynamic choice back when the last running batch ends. Peak
 * memory stays roughly flat in the rows a batch reads, at the cost of more frequent — small and mostly
 * concurrent — full collections while it runs (for every request of the process, not only the batch's).
 */
export async function withBoundedHeapGrowth<T>(work: () => Promise<T>): Promise<T> {
  if (batches++ === 0) {
    setFlagsFromString(`--heap-growing-percent=${BATCH_HEAP_GROWING_PERCENT}`);
    fullCollection();
  }
  try {
    return await work();
  } finally {
    // 0 is V8's default: the factor is chosen from the collector's and the program's speeds.
    if (--batches === 0) setFlagsFromString('--heap-growing-percent=0');
  }
}

/**
 * One full collection now. V8 applies a growing factor when it sets the next limit, i.e. after a full
 * collection: without one, the first stretch of a batch ran up to the limit set before it began (CLI, 100k
 * rows: a 460 MB peak in the first seconds, ~350 MB after). `gc` exists only in a context created after
 * `--expose-gc` is set; the flag is left as it was for the rest of the process.
 */
function fullCollection(): void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) {
    exposed();
    return;
  }
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  setFlagsFromString('--no-expose-gc');
}
