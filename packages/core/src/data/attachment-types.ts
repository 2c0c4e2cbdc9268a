// Attachment types are decided by content, never by the name or the client's Content-Type: a file
// claiming to be a PDF that starts like HTML is refused.

/** The accepted types, by what their first bytes are. */
export const ACCEPTED_TYPES = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ole: 'application/x-ole-storage',
} as const;

const starts = (head: Uint8Array, bytes: readonly number[]) => bytes.every((b, i) => head[i] === b);

/**
 * The content type of a file from its first bytes (and, for Office's zip container, the part names it
 * holds): PDF, JPEG, PNG, Word/Excel/PowerPoint (.docx/.xlsx/.pptx, and the old OLE .doc/.xls/.ppt). Null
 * for anything else, a macro-enabled Office file included.
 */
export function detectType(head: Uint8Array): string | null {
  if (starts(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return ACCEPTED_TYPES.pdf; // %PDF-
  if (starts(head, [0xff, 0xd8, 0xff])) return ACCEPTED_TYPES.jpeg;
  if (starts(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return ACCEPTED_TYPES.png;
  if (starts(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return ACCEPTED_TYPES.ole;
  if (starts(head, [0x50, 0x4b, 0x03, 0x04])) {
    const text = Buffer.from(head).toString('latin1');
    if (text.includes('vbaProject.bin')) return null;
    if (!text.includes('[Content_Types].xml') && !/(word|xl|ppt)\//.test(text)) return null;
    if (text.includes('word/')) return ACCEPTED_TYPES.docx;
    if (text.includes('xl/')) return ACCEPTED_TYPES.xlsx;
    if (text.includes('ppt/')) return ACCEPTED_TYPES.pptx;
    return null;
  }
  return null;
}
