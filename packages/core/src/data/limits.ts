import { InputError } from '../errors/errors.ts';

/** How large an imported file may be. */
export interface ImportLimits {
  /** Bytes of one uploaded file (DANGJIAN_IMPORT_MAX_BYTES, default 20 MiB). */
  maxBytes: number;
  /** Data rows of one file, the header row not counted (DANGJIAN_IMPORT_MAX_ROWS, default 100 000). */
  maxRows: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = { maxBytes: 20 * 1024 * 1024, maxRows: 100_000 };

/** A positive whole number from the environment, or the fallback when unset; anything else throws. */
export function positive(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new RangeError(`${name} must be a positive whole number, got "${raw}"`);
  return Number(raw);
}

/** The import limits of an environment; a malformed value fails loudly rather than falling back silently. */
export function importLimitsFrom(env: Record<string, string | undefined>): ImportLimits {
  return {
    maxBytes: positive(env, 'DANGJIAN_IMPORT_MAX_BYTES', DEFAULT_IMPORT_LIMITS.maxBytes),
    maxRows: positive(env, 'DANGJIAN_IMPORT_MAX_ROWS', DEFAULT_IMPORT_LIMITS.maxRows),
  };
}

/** The error for a file over the size limit, in the words the importer reads. */
export function tooLarge(limits: ImportLimits): InputError {
  return new InputError('file', `文件超过大小上限 ${Math.floor(limits.maxBytes / 1024 / 1024) || 1} MB（${limits.maxBytes} 字节）`);
}
