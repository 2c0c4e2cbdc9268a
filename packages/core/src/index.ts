export { createBuilder, MAX_PAGE_SIZE, type Builder, type BuilderTypes } from './builder.ts';
export { buildSchema } from './build-schema.ts';
export type { Context, RequestInfo } from './context.ts';
export { AGENCY_ROLES, ROLES, hasRole, inSubtree, type Role, type Viewer } from './auth/viewer.ts';
export { organizationScope, ownedByScope, requireViewer, scopePath } from './auth/subtree.ts';
export * from './errors/errors.ts';
export type { ActivityEvent, NotificationEvent, PubSub, PubSubTopics } from './activity/pubsub.ts';
export { transact, type ActivityInput, type RecordActivity, type Tx } from './activity/record.ts';
export { bindIdempotency, IDEMPOTENCY_KEY_ARG, IDEMPOTENCY_TTL_MS, idempotencyOf, type IdempotencyClaim } from './activity/idempotency.ts';
export { activityStream, uuidv7Floor, uuidv7Time } from './activity/stream.ts';
export { coreSchemaModules, type SchemaModule } from './schema/modules.ts';
export { decodeId } from './schema/global-id.ts';
export { parseDate } from './schema/scalars.ts';
export {
  definePlugin,
  PluginDefinitionError,
  type AnyPlugin,
  type CoreEvent,
  type DangjianPlugins,
  type EventName,
  type EventRoles,
  type PluginDefinition,
  type PluginEvent,
  type PluginId,
} from './plugin/define.ts';
export { orderPlugins, dependentsOf, PluginRegistryError } from './plugin/order.ts';
export { createSchemaSet, type SchemaSet } from './plugin/schema-set.ts';
export { createPluginApi, type PluginApi, type PluginDeps, type Publish } from './plugin/api.ts';
export { CORE_EVENT_ROLES, mayViewKind, noPlugins, pluginOfKind, rootOf, type PluginAccess, type PluginInfo } from './plugin/access.ts';
export { requestLoader } from './loaders.ts';
export { modelRef } from './schema/refs.ts';
export { viewerPermissionsRefOf, viewerRefOf, type ViewerPermissionsShape } from './schema/viewer.ts';
export { CORE_VERSION } from './version.ts';
export {
  type DevelopmentRecordQuery,
  loadDevelopmentRecord,
  loadMember,
  loadOrganization,
  organizationIdsUnder,
  type MemberQuery,
  type OrganizationQuery,
} from './plugin/helpers.ts';
export { addMonths, genderFromNationalId, isMainlandMobile, maskMiddle, maskNationalId, maskPhone } from './schema/member-rules.ts';
export { isTermOverdue, mayNest } from './schema/organization-rules.ts';
export { findMemberInScope, MEMBERSHIP_KINDS } from './schema/member-access.ts';
export { findOrganizationInScope } from './schema/organization-mutations.ts';
// 发展党员 — the procedure's writes, for plugins that develop people on it (dual-cultivation).
export {
  type DevelopmentStepInput,
  recordDevelopmentStepIn,
  startDevelopmentIn,
  type StartDevelopmentInput,
} from './schema/development-mutations.ts';
export { nationalIdLookup, openNationalId, sealNationalId } from './privacy/national-id.ts';
export { GENESIS_HASH, auditHash, type AuditRecordFields } from './audit/chain.ts';
export { appendAudit, appendAuditIn, type AuditEntry } from './audit/append.ts';
export { auditEntry, auditProtectedRead, type ProtectedRead } from './audit/record.ts';
export { auditClearReads, type ClearReadAudit, type ClearReadSubject } from './audit/clear-reads.ts';
export { verifyAuditChain, type ChainReport } from './audit/verify.ts';
export { systemContext } from './system-context.ts';
export * from './kit/validate/index.ts';
// The plugin kit: shared mechanics for core and every plugin (README, "Writing a plugin").
export { isoDate, utcToday } from './kit/dates.ts';
export { isUniqueViolation, uniqueOrConflict } from './kit/unique.ts';
export { refreshStatistics, refreshStatisticsAfter } from './kit/statistics.ts';
export { resolveUnder } from './kit/under.ts';
export { attachmentsField, type AttachmentsFieldOptions } from './kit/attachments.ts';
export { activityDetails, activitySubscription, type ActivityDetails, type ActivitySubscriptionOptions } from './kit/subscription.ts';
export { requiresFrom, type PluginPackage } from './kit/plugin-package.ts';
export {
  IndicatorDefinitionError,
  ownIndicators,
  type IndicatorDefinition,
  type IndicatorDirection,
  type IndicatorEvidence,
  type IndicatorInput,
  type IndicatorOrganization,
  type IndicatorPeriod,
  type IndicatorUnit,
  type IndicatorValues,
  type OwnedIndicator,
} from './assessment/indicator.ts';
export { loadedIndicators, offeredIndicator, offeredIndicators } from './assessment/registry.ts';
export { applicableIds, measuredUntil, oneDecimal, percent, valuesOf, yearsOf } from './assessment/indicator-values.ts';
export { indicatorsOf } from './plugin/define.ts';
// Reminders: the rule contract (plugins contribute rules through `definePlugin({ reminders })`), core's rules, the run.
export {
  checkReminderRules,
  daysBetween,
  dedupKey,
  type AnyReminderRule,
  type Reminder,
  type ReminderAddress,
  type ReminderRule,
  type ReminderScope,
} from './reminders/rule.ts';
export { CORE_REMINDER_RULES, reminderRulesOf } from './reminders/registry.ts';
export { runReminders, type RuleResult, type RunRemindersOptions, type RunSummary } from './reminders/engine.ts';
export { thresholdsOf } from './reminders/settings.ts';
export type { ReminderMode, ReminderService } from './reminders/service.ts';
// 数据导入 — table import mechanics (the CLI and the server's data routes use them).
export * from './data/index.ts';
export { errorReportPath } from './schema/data-import.ts';
export { attachmentPath } from './schema/attachment.ts';
