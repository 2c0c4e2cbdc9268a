// An uploaded table is first written to a temporary file: its size is capped while it streams in, its
// checksum and kind are known before parsing starts, and the rows are then read from disk one at a time.

import { createHash } from 'node:crypto';
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { InputError } from '../errors/errors.ts';
import { type ImportLimits, tooLarge } from './limits.ts';

/** What a spooled file holds. */
export type TableFormat = 'xlsx' | 'csv';

export interface SpooledTable {
  path: string;
  format: TableFormat;
  /** The text encoding of a CSV file (Excel in China saves CSV as GB18030 by default). */
  encoding: 'utf-8' | 'gb18030';
  bytes: number;
  sha256: string;
  /** Removes the temporary file. */
  dispose(): Promise<void>;
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
// Zip entry names are stored uncompressed in the local headers, so a macro part is visible in the bytes.
const MACRO_PART = Buffer.from('vbaProject.bin');

/** Writes `input` to a temporary file, refusing it past `limits.maxBytes`, and decides what it is by content. */
export async function spoolTable(input: Readable | AsyncIterable<Uint8Array>, limits: ImportLimits): Promise<SpooledTable> {
  const dir = await mkdtemp(join(tmpdir(), 'dangjian-import-'));
  const path = join(dir, 'upload');
  const dispose = () => rm(dir, { recursive: true, force: true });
  // A file handle, not a write stream: a stream opens its file later, on its own, so a refusal that removes
  // the folder first (too large, a broken upload) left its open to fail as an uncaught ENOENT.
  let out: FileHandle | undefined;
  try {
    const hash = createHash('sha256');
    out = await open(path, 'w');
    let bytes = 0;
    let macro = false;
    let tail = Buffer.alloc(0);
    for await (const chunk of input) {
      const buf = Buffer.from(chunk);
      bytes += buf.length;
      if (bytes > limits.maxBytes) throw tooLarge(limits);
      hash.update(buf);
      const window = Buffer.concat([tail, buf]);
      if (window.includes(MACRO_PART)) macro = true;
      tail = window.subarray(Math.max(0, window.length - MACRO_PART.length));
      // write() may take less than asked for; go on until the chunk is all on disk.
      for (let at = 0; at < buf.length; ) at += (await out.write(buf, at)).bytesWritten;
    }
    await out.close();
    out = undefined;
    if (bytes === 0) throw new InputError('file', '文件为空');
    const head = Buffer.alloc(4096);
    const handle = await open(path, 'r');
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    await handle.close();
    const start = head.subarray(0, bytesRead);
    const sha256 = hash.digest('hex');
    if (start.subarray(0, 4).equals(ZIP)) {
      if (macro) throw new InputError('file', '不接受含宏的文件（.xlsm），请另存为 .xlsx 后再导入');
      return { path, format: 'xlsx', encoding: 'utf-8', bytes, sha256, dispose };
    }
    if (start.subarray(0, 4).equals(OLE)) throw new InputError('file', '不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入');
    if (start.includes(0)) throw new InputError('file', '文件不是 .xlsx 或 CSV 表格');
    return { path, format: 'csv', encoding: isUtf8Start(start, bytesRead === head.length) ? 'utf-8' : 'gb18030', bytes, sha256, dispose };
  } catch (error) {
    await out?.close().catch(() => undefined);
    await dispose();
    throw error;
  }
}

/** True when the first bytes decode as UTF-8 (a multi-byte character cut off at the end of a full buffer is allowed). */
function isUtf8Start(start: Buffer, truncated: boolean): boolean {
  const probe = truncated ? start.subarray(0, start.length - 4) : start;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(probe, { stream: truncated });
    return true;
  } catch {
    return false;
  }
}
