import type { ImportKind } from './engine.ts';
import { memberImport } from './member-import.ts';
import { organizationImport } from './organization-import.ts';
import { duesBaseImport } from './dues-base-import.ts';
import { duesPaymentImport } from './dues-payment-import.ts';
import { meetingImport } from './meeting-import.ts';
import { buildTemplate } from './workbook.ts';

/** The kinds a table can be imported as, by the name the CLI and the template URLs use. */
export const IMPORT_KINDS: Readonly<Record<string, { kind: ImportKind<string>; sheet: string }>> = {
  members: { kind: memberImport as ImportKind<string>, sheet: '花名册' },
  organizations: { kind: organizationImport as ImportKind<string>, sheet: '党组织' },
  'dues-bases': { kind: duesBaseImport as ImportKind<string>, sheet: '党费基数' },
  'dues-payments': { kind: duesPaymentImport as ImportKind<string>, sheet: '党费缴纳' },
  meetings: { kind: meetingImport as ImportKind<string>, sheet: '组织生活' },
};

/** The import kind named `name`, or null. */
export function importKindOf(name: string): ImportKind<string> | null {
  return IMPORT_KINDS[name]?.kind ?? null;
}

/** The template (.xlsx) of an import kind, or null for an unknown name. */
export async function templateOf(name: string): Promise<Buffer | null> {
  const entry = IMPORT_KINDS[name];
  return entry ? buildTemplate(entry.sheet, entry.kind.columns, entry.kind.instructions) : null;
}
