import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { appendAudit, auditEntry, textProblem, type AuditEntry, type Context } from '@dangjian/core';
import type { LogFn } from '../observability/logger.ts';
import { operationRootFields, type RootField } from '../operation-root-fields.ts';

/** What the trail records for an ID argument that is not text a database column can hold (a NUL, a lone surrogate …). */
const MALFORMED_ID = '(malformed ID)';

/** `Type:id` for a Relay global ID, the value itself otherwise; never text the trail could not store. */
function readableId(value: string): string {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  // A Relay global ID is base64 of `Type:id`; anything else (a raw id) is kept as given.
  const id = /^[A-Z][A-Za-z]*:[^\s]+$/.test(decoded) && Buffer.from(decoded).toString('base64') === value ? decoded : value;
  // A hostile ID must not keep its request out of the trail (PostgreSQL refuses NUL in text).
  return textProblem(id, { max: 200, multiline: false }) ? MALFORMED_ID : id;
}

function idIn(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  if (typeof record.id === 'string') return record.id;
  for (const inner of Object.values(record))
    if (inner && typeof inner === 'object' && typeof (inner as { id?: unknown }).id === 'string') return (inner as { id: string }).id;
  return null;
}

/**
 * What a mutation acted on: its `id` argument, else the ID of what it returned (a created object), else the
 * first `…Id` argument. Only IDs are taken from the arguments: inputs carry personal data, which the
 * audit trail must not copy.
 */
export function targetOf(field: RootField, data: unknown): string | null {
  const input = field.args.input && typeof field.args.input === 'object' ? (field.args.input as Record<string, unknown>) : {};
  const explicit = field.args.id ?? input.id;
  if (typeof explicit === 'string') return readableId(explicit);
  const returned = idIn(data);
  if (returned) return readableId(returned);
  for (const source of [field.args, input]) {
    for (const [name, value] of Object.entries(source)) if (name.endsWith('Id') && typeof value === 'string') return readableId(value);
  }
  return null;
}

function resultOf(errors: readonly GraphQLError[] | undefined, key: string): string {
  const own = errors?.find((e) => e.path?.[0] === key) ?? errors?.find((e) => !e.path);
  if (!own) return 'OK';
  const code = own.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/**
 * 安全审计: every executed mutation appends one audit record per root field — who, for which organization,
 * which operation, on what, with which result, from which address — after it ran, so failures (rolled back)
 * are recorded too. The response waits for the record. If the audit cannot be written the change has
 * already committed; the failure is logged as an error for the operators (the chain itself stays intact).
 */
export function useAuditTrail(errorLog: LogFn): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      // The operation graphql-js executes (none when several are sent without a name), inline fragments at
      // the root at any depth, named fragment spreads included.
      const root = operationRootFields(args.document, args.operationName, { variables: args.variableValues, only: 'mutation' });
      if (!root) return;
      const { fields } = root;
      const ctx = args.contextValue as unknown as Context;
      setExecuteFn(async (execArgs) => {
        const result = (await executeFn(execArgs)) as ExecutionResult;
        const data = (result.data ?? {}) as Record<string, unknown>;
        const entries: AuditEntry[] = fields.map((field) =>
          auditEntry(ctx, {
            operation: field.name,
            target: targetOf(field, data[field.responseKey]),
            result: resultOf(result.errors, field.responseKey),
          }),
        );
        try {
          await appendAudit(ctx.db, entries);
        } catch (error) {
          errorLog(
            `audit: could not record ${fields.map((f) => f.name).join(', ')} of request ${ctx.requestInfo.id}: ${(error as Error).message}`,
            { requestId: ctx.requestInfo.id },
          );
        }
        return result;
      });
    },
  };
}
