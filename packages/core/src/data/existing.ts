import type { ChunkOutcome, ImportOptions } from './engine.ts';

/**
 * Sorts a chunk's checked rows by whether their record is already stored, and returns the new ones (to
 * create). Stored ones (whatever `storedId` answers that names them: an id, or more) are skipped, or under
 * UPDATE updated through `update` when writing; both are counted in `outcome`, so a validation run says what
 * an import would do.
 */
export async function splitByExisting<R, S = string>(
  rows: readonly R[],
  storedId: (row: R) => S | undefined,
  options: ImportOptions,
  write: boolean,
  outcome: ChunkOutcome,
  update: (row: R, stored: S) => Promise<void>,
): Promise<R[]> {
  const creates: R[] = [];
  for (const row of rows) {
    const id = storedId(row);
    if (id === undefined) creates.push(row);
    else if (options.existing === 'SKIP') outcome.skipped++;
    else {
      if (write) await update(row, id);
      outcome.updated++;
    }
  }
  return creates;
}
