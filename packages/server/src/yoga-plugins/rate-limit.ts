import { GraphQLError, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '@dangjian/core';
import { operationRootFieldNames } from '../operation-root-fields.ts';

export interface RateLimits {
  /** Root fields (aliases counted one each) a user may run per minute, all operations together. */
  perUserPerMinute: number;
  /** Root fields per minute for one user and one field (e.g. `organizations`). */
  perFieldPerMinute: number;
}

/** The root fields an operation runs, each alias counted: `{ a: x b: x }` is two runs of `x`. */
export function rootFieldRuns(document: DocumentNode, operationName?: string | null): string[] {
  // The first operation when no name is given; fragments on the root count by their own fields, one level
  // deep, which is what clients use in practice.
  return operationRootFieldNames(document, operationName, { pick: 'first' }) ?? [];
}

/**
 * Fixed one-minute windows per user (or client address when anonymous), in this process's memory: with
 * several processes each enforces its own share. Over budget → RATE_LIMITED with the seconds to wait.
 */
export function useRateLimit(limits: RateLimits, now: () => number = Date.now): Plugin {
  const windows = new Map<string, { start: number; count: number }>();
  const take = (key: string, amount: number, budget: number): number | null => {
    const t = now();
    let w = windows.get(key);
    if (!w || t - w.start >= 60_000) {
      w = { start: t, count: 0 };
      windows.set(key, w);
    }
    if (w.count + amount > budget) return Math.ceil((w.start + 60_000 - t) / 1000);
    w.count += amount;
    return null;
  };
  // Old windows go, so the map does not grow with every user ever seen.
  const sweep = setInterval(() => {
    const t = now();
    for (const [key, w] of windows) if (t - w.start >= 60_000) windows.delete(key);
  }, 60_000);
  sweep.unref();

  const check = (document: DocumentNode, operationName: string | null | undefined, ctx: Context & { request?: Request }) => {
    const runs = rootFieldRuns(document, operationName);
    if (runs.length === 0) return;
    const who = ctx.viewer?.userId ?? `ip:${ctx.request?.headers.get('x-forwarded-for') ?? 'anonymous'}`;
    const counts = new Map<string, number>();
    for (const field of runs) counts.set(field, (counts.get(field) ?? 0) + 1);
    const limited = (retryAfter: number, scope: string) =>
      new GraphQLError(`rate limit exceeded (${scope}); retry in ${retryAfter} s`, {
        extensions: { code: 'RATE_LIMITED', retryAfter, scope },
      });
    for (const [field, n] of counts) {
      const wait = take(`${who}:${field}`, n, limits.perFieldPerMinute);
      if (wait !== null) throw limited(wait, field);
    }
    const wait = take(who, runs.length, limits.perUserPerMinute);
    if (wait !== null) throw limited(wait, 'all operations');
  };

  return {
    onExecute({ args }) {
      check(args.document, args.operationName, args.contextValue as unknown as Context);
    },
    onSubscribe({ args }) {
      check(args.document, args.operationName, args.contextValue as unknown as Context);
    },
  };
}
