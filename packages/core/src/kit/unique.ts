/**
 * True when a Prisma error is a unique-constraint violation (P2002): a concurrent duplicate got in
 * first. Checked by code rather than `instanceof`, so it holds whichever copy of the client threw it.
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/**
 * Runs a create and turns a unique-constraint race into the error the pre-check gives: two writes of
 * the same key at once, and the one that lost hears why rather than `Unexpected error.`.
 */
export async function uniqueOrConflict<T>(work: () => Promise<T>, conflict: () => Error): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
}
