import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { bindIdempotency, checkTextPolicy, ConflictError, InputError, type Context, type IdempotencyClaim } from '@dangjian/core';
import { operationRootFields, type RootField } from '../operation-root-fields.ts';

const ARG = 'idempotencyKey';

/** JSON with sorted object keys, so the same input always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

interface Keyed {
  /** The field's name: the operation a key is bound to. */
  operation: string;
  responseKey: string;
  key: string;
  inputHash: string;
}

/**
 * The one root field of a mutation that carries an idempotency key, with its key and input hash. The hash is
 * keyed (the input may hold a national ID, which a plain SHA-256 would let anyone with the table guess).
 */
function keyedField(fields: readonly RootField[], digest: (text: string) => string): Keyed | 'several' | null {
  const keyed: Keyed[] = [];
  for (const field of fields) {
    const key = field.args[ARG];
    if (typeof key !== 'string') continue; // null or absent: no key
    const input: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(field.args)) if (name !== ARG) input[name] = value;
    const inputHash = digest(`${field.name}\n${canonical(input)}`);
    keyed.push({ operation: field.name, responseKey: field.responseKey, key, inputHash });
  }
  if (keyed.length > 1) return 'several';
  return keyed[0] ?? null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Idempotency keys for create mutations: a mutation whose root field carries `idempotencyKey`
 * - answers a key this user already used for the same field and input with the stored response
 *   (no second row), waiting briefly when the first request is still running;
 * - refuses a key used with a different field or input (`BAD_USER_INPUT`, field `idempotencyKey`);
 * - otherwise runs; core's `transact` reserves the key in the mutation's own transaction, and the
 *   field's result is stored here once it succeeded.
 * @param waitMs how long a duplicate waits for the first request's response. @default 10000
 */
export function useIdempotencyKeys(options: { waitMs?: number } = {}): Plugin<Record<string, unknown>> {
  const waitMs = options.waitMs ?? 10_000;
  return {
    onExecute({ args, setResultAndStopExecution }) {
      // As it always has: the first operation when no name is given, fields directly under the mutation only
      // (not in inline fragments).
      const root = operationRootFields(args.document, args.operationName, {
        variables: args.variableValues,
        only: 'mutation',
        pick: 'first',
      });
      if (!root) return;
      const ctx = args.contextValue as unknown as Context;
      const keyed = keyedField(root.fields, (text) => ctx.vault.keyedDigest('idempotency', text));
      if (!keyed) return;
      if (keyed === 'several') {
        setResultAndStopExecution({ errors: [new InputError(ARG, 'only one field of a mutation may carry an idempotency key')] });
        return;
      }
      const userId = ctx.viewer?.userId;
      if (!userId) return; // the field's own authorization answers
      if (keyed.key.length === 0 || keyed.key.length > 200) {
        setResultAndStopExecution({ errors: [new InputError(ARG, 'must be 1 to 200 characters')] });
        return;
      }
      // The key is looked up and stored as text before any resolver (and the schema's text guard) runs.
      try {
        checkTextPolicy(keyed.key, ARG, { max: 200, multiline: false });
      } catch (error) {
        setResultAndStopExecution({ errors: [error as InputError] });
        return;
      }
      const claim: IdempotencyClaim = { userId, key: keyed.key, operation: keyed.operation, inputHash: keyed.inputHash, reserved: false };

      /** The stored answer for this key, waiting for a running first request; null when there is none. */
      const stored = async (wait: boolean): Promise<ExecutionResult | null> => {
        const deadline = Date.now() + (wait ? waitMs : 0);
        while (true) {
          const row = await ctx.db.idempotencyKey.findUnique({ where: { userId_key: { userId, key: keyed.key } } });
          if (!row || row.expiresAt.getTime() < Date.now()) return null;
          if (row.operation !== claim.operation || row.inputHash !== claim.inputHash) {
            return {
              errors: [new InputError(ARG, `was already used for a different request (${row.operation} with other input); use a new key`)],
            };
          }
          // Stored encrypted: a response may hold personal data read in clear (e.g. `nationalId(clear: true)`).
          if (typeof row.response === 'string')
            return { data: { [keyed.responseKey]: JSON.parse(ctx.vault.decrypt(row.response, 'IdempotencyKey.response')) } };
          if (Date.now() >= deadline)
            return {
              errors: [new ConflictError('a request with this idempotency key is still being processed; retry later', { field: ARG })],
            };
          await sleep(100);
        }
      };

      return (async () => {
        const earlier = await stored(true);
        if (earlier) {
          setResultAndStopExecution(earlier);
          return;
        }
        bindIdempotency(ctx, claim);
        return {
          async onExecuteDone({ result, setResult }: { result: unknown; setResult: (r: ExecutionResult) => void }) {
            if (Symbol.asyncIterator in (result as object)) return;
            const done = result as ExecutionResult;
            if (claim.reserved && !done.errors?.length && done.data && keyed.responseKey in done.data) {
              await ctx.db.idempotencyKey.update({
                where: { userId_key: { userId, key: keyed.key } },
                data: { response: ctx.vault.encrypt(JSON.stringify(done.data[keyed.responseKey] ?? null), 'IdempotencyKey.response') },
              });
              return;
            }
            // A concurrent request with the same key won the reservation: answer with its response.
            const lost = done.errors?.some((e) => e.extensions?.code === 'CONFLICT' && e.extensions?.field === ARG);
            if (lost) {
              const answer = await stored(true);
              if (answer) setResult(answer);
            }
          },
        };
      })() as never;
    },
  };
}
