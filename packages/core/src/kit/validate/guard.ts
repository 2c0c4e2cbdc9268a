import {
  defaultFieldResolver,
  getNullableType,
  isInputObjectType,
  isListType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { checkDateRange, type DATE_RANGE } from './dates.ts';
import { checkTextPolicy, DEFAULT_TEXT_MAX, TEXT_KINDS, type TextKind } from './text.ts';

/**
 * Declares an argument's or input field's kind of text, for the schema guard's length cap and line rule:
 * `t.string({ extensions: textKind('name') })`. Without one, the guard caps at {@link DEFAULT_TEXT_MAX}
 * and lets line feeds and tabs pass.
 */
export function textKind(kind: TextKind): { textKind: TextKind } {
  return { textKind: kind };
}

/** Checks one argument value, throwing an `InputError` naming `path`. */
export type Check = (value: unknown, path: string) => void;

/** The policy of one string-carrying argument or input field, from its declared kind or the default. */
function policyOf(extensions: Readonly<Record<string, unknown>> | null | undefined): { max: number; multiline: boolean } {
  const kind = extensions?.textKind as TextKind | undefined;
  return kind && kind in TEXT_KINDS ? TEXT_KINDS[kind] : { max: DEFAULT_TEXT_MAX, multiline: true };
}

/**
 * A function that checks every string inside a value of `type` (through lists and input objects), or
 * null when the type holds no string at all. Input types may refer to themselves: `seen` breaks the cycle.
 */
function checkerOf(
  type: GraphQLInputType,
  extensions: Readonly<Record<string, unknown>> | null | undefined,
  seen: Map<string, Check | null>,
): Check | null {
  const inner = getNullableType(type);
  if (isListType(inner)) {
    const element = checkerOf(inner.ofType, extensions, seen);
    if (!element) return null;
    return (value, path) => {
      if (Array.isArray(value)) value.forEach((v, i) => element(v, `${path}[${i}]`));
      else element(value, path); // a single value coerced into a list
    };
  }
  if (isInputObjectType(inner)) {
    if (seen.has(inner.name)) return (value, path) => seen.get(inner.name)?.(value, path);
    seen.set(inner.name, null);
    const fields = (Object.values(inner.getFields()) as GraphQLInputField[])
      .map((f) => ({ name: f.name, check: checkerOf(f.type, f.extensions, seen) }))
      .filter((f): f is { name: string; check: Check } => f.check !== null);
    const check: Check | null =
      fields.length === 0
        ? null
        : (value, path) => {
            if (value === null || typeof value !== 'object') return;
            for (const f of fields) f.check((value as Record<string, unknown>)[f.name], `${path}.${f.name}`);
          };
    seen.set(inner.name, check);
    return check;
  }
  if (isScalarType(inner) && (inner.name === 'String' || inner.name === 'ID')) {
    const policy = policyOf(extensions);
    return (value, path) => {
      if (typeof value === 'string') checkTextPolicy(value, path, policy);
    };
  }
  if (isScalarType(inner) && (inner.name === 'Date' || inner.name === 'DateTime')) {
    return (value, path) => {
      if (value instanceof Date) checkDateRange(value, path);
    };
  }
  return null;
}

/** Checks every string and date argument of a field, naming the argument path as the client wrote it. */
export function argumentsChecker(
  args: readonly GraphQLArgument[],
  seen: Map<string, Check | null>,
  prefix = '',
): ((args: Record<string, unknown>) => void) | null {
  const checks = args
    .map((a) => ({ name: a.name, check: checkerOf(a.type, a.extensions, seen) }))
    .filter((a): a is { name: string; check: Check } => a.check !== null);
  if (checks.length === 0) return null;
  return (values) => {
    for (const a of checks) a.check(values[a.name], `${prefix}${a.name}`);
  };
}

/**
 * The schema guard: before the resolver of any root field (query, mutation, subscription) runs, every
 * string in its arguments — nested input objects and lists included — is held to the text policy:
 * no control characters other than line feed and tab, no lone UTF-16 surrogates, at most the declared
 * kind's length ({@link textKind}) or {@link DEFAULT_TEXT_MAX}; and every `Date` and `DateTime` must lie
 * in {@link DATE_RANGE}. A refusal is `BAD_USER_INPUT` naming the argument path as the client wrote it
 * (`input.attendance[2].memberId`), which a scalar's own parser cannot do: that is why the date range
 * is checked here rather than in the scalars. Resolvers still trim and check emptiness and their own
 * kinds; this holds the policy where one forgot. Changes the schema's root fields in place.
 */
export function guardTextArguments(schema: GraphQLSchema): GraphQLSchema {
  const seen = new Map<string, Check | null>();
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields()) as GraphQLField<unknown, unknown>[]) {
      const check = argumentsChecker(field.args, seen);
      if (!check) continue;
      const guard = (resolve: GraphQLFieldResolver<unknown, unknown> | undefined): GraphQLFieldResolver<unknown, unknown> | undefined =>
        resolve &&
        ((source, args, ctx, info) => {
          check(args);
          return resolve(source, args, ctx, info);
        });
      if (field.subscribe) field.subscribe = guard(field.subscribe);
      else field.resolve = guard(field.resolve ?? defaultFieldResolver);
    }
  }
  return schema;
}
