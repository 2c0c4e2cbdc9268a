export { type ColumnSpec, type ImportProblem, matchHeaders, RowReader, toDate } from './columns.ts';
export {
  REPORTED_PROBLEMS,
  runImport,
  type ChunkOutcome,
  type ExistingPolicy,
  type ImportKind,
  type ImportMode,
  type ImportOptions,
  type ImportOutcome,
  type ImportScope,
} from './engine.ts';
export { DEFAULT_IMPORT_LIMITS, importLimitsFrom, type ImportLimits } from './limits.ts';
export { MEMBER_COLUMNS } from './member-columns.ts';
export { memberImport } from './member-import.ts';
export { ORGANIZATION_COLUMNS, organizationImport } from './organization-import.ts';
export { openTable, type Cell, type Table, type TableRow } from './rows.ts';
export { spoolTable, type SpooledTable } from './spool.ts';
export { buildTemplate, writeWorkbook } from './workbook.ts';
export { IMPORT_KINDS, importKindOf, templateOf } from './kinds.ts';
export { DUES_BASE_COLUMNS, duesBaseImport } from './dues-base-import.ts';
export { DUES_PAYMENT_COLUMNS, duesPaymentImport } from './dues-payment-import.ts';
export { MEETING_COLUMNS, meetingImport, parsePeople } from './meeting-import.ts';
export { MEMBER_EXPORT_HEADERS, meetingExport, memberExport, type ExportPages } from './export.ts';
export { DUES_ARREARS_HEADERS, DUES_LEDGER_HEADERS, duesArrearsExport, duesLedgerExport } from './dues-export.ts';
export { DEVELOPMENT_EXPORT_HEADERS, developmentExport } from './development-export.ts';
export { scorecardExport } from './scorecard-export.ts';
export {
  attachFile,
  attachmentLimitsFrom,
  deleteAttachment,
  findAttachmentOwner,
  findVisibleAttachment,
  readAttachment,
  type AttachmentLimits,
} from './attachments.ts';
export {
  assembleAttachmentOwners,
  type AttachmentOwner,
  type AttachmentOwnerDefinition,
  type AttachmentOwners,
  type OwnerFinder,
  type RegisteredAttachmentOwner,
} from './attachment-owner.ts';
export { CORE_ATTACHMENT_OWNERS, loadedAttachmentOwners } from './core-attachment-owners.ts';
export { CHUNK_BYTES, databaseStore, type AttachmentStore } from './attachment-store.ts';
export { ACCEPTED_TYPES, detectType } from './attachment-types.ts';
