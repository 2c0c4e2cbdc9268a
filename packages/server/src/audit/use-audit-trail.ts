import {
  getOperationAST,
  Kind,
  valueFromASTUntyped,
  type ExecutionResult,
  type FieldNode,
  type GraphQLError,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { appendAudit, auditEntry, type AuditEntry, type Context } from '@dangjian/core';

interface RootField {
  /** Response key: the alias, or the field name. */
  key: string;
  name: string;
  args: Record<string, unknown>;
}

function rootFields(operation: OperationDefinitionNode, variables: Record<string, unknown>): RootField[] {
  const fields: RootField[] = [];
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) fields.push(fieldOf(selection, variables));
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
    }
  };
  visit(operation.selectionSet);
  return fields.filter((f) => !f.name.startsWith('__'));
}

function fieldOf(node: FieldNode, variables: Record<string, unknown>): RootField {
  const args: Record<string, unknown> = {};
  for (const arg of node.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value, variables);
  return { key: node.alias?.value ?? node.name.value, name: node.name.value, args };
}

/** `Type:id` for a Relay global ID, the value itself otherwise. */
function readableId(value: string): string {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  // A Relay global ID is base64 of `Type:id`; anything else (a raw id) is kept as given.
  return /^[A-Z][A-Za-z]*:[^\s]+$/.test(decoded) && Buffer.from(decoded).toString('base64') === value ? decoded : value;
}

function idIn(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  if (typeof record.id === 'string') return record.id;
  for (const inner of Object.values(record)) if (inner && typeof inner === 'object' && typeof (inner as { id?: unknown }).id === 'string') return (inner as { id: string }).id;
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
export function useAuditTrail(errorLog: (message: string) => void): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const ctx = args.contextValue as unknown as Context;
      const fields = rootFields(operation, (args.variableValues ?? {}) as Record<string, unknown>);
      setExecuteFn(async (execArgs) => {
        const result = (await executeFn(execArgs)) as ExecutionResult;
        const data = (result.data ?? {}) as Record<string, unknown>;
        const entries: AuditEntry[] = fields.map((field) =>
          auditEntry(ctx, { operation: field.name, target: targetOf(field, data[field.key]), result: resultOf(result.errors, field.key) }),
        );
        try {
          await appendAudit(ctx.db, entries);
        } catch (error) {
          errorLog(`audit: could not record ${fields.map((f) => f.name).join(', ')} of request ${ctx.requestInfo.id}: ${(error as Error).message}`);
        }
        return result;
      });
    },
  };
}
