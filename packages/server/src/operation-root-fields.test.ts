import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationRootFieldNames, operationRootFields } from './operation-root-fields.ts';

const fieldsOf = (source: string, operationName?: string | null, options?: Parameters<typeof operationRootFields>[2]) =>
  operationRootFields(parse(source), operationName, options)?.fields ?? null;

describe('operationRootFields', () => {
  it('gives each alias its own field, keyed by the alias, and leaves introspection fields out', () => {
    expect(fieldsOf('{ a: plugins { id } b: plugins { id } organizations { totalCount } __typename t: __typename }')).toEqual([
      { responseKey: 'a', name: 'plugins', args: {} },
      { responseKey: 'b', name: 'plugins', args: {} },
      { responseKey: 'organizations', name: 'organizations', args: {} },
    ]);
  });

  it('resolves arguments, variables included: literals, lists, objects, and an unset variable as undefined', () => {
    const source = `mutation ($input: RegisterMemberInput!, $key: String, $unset: ID) {
      registerMember(input: $input, idempotencyKey: $key, extra: { a: [1, 2.5, $key], e: ACTIVE, n: null }, missing: $unset) { id }
    }`;
    const variables = { input: { name: '甲', organizationId: 'T3JnOjE=' }, key: 'k-1' };
    expect(fieldsOf(source, undefined, { variables })).toEqual([
      {
        responseKey: 'registerMember',
        name: 'registerMember',
        args: { input: variables.input, idempotencyKey: 'k-1', extra: { a: [1, 2.5, 'k-1'], e: 'ACTIVE', n: null }, missing: undefined },
      },
    ]);
    // Without variables every variable reads as undefined; literals still resolve.
    expect(fieldsOf('query ($id: ID!) { member(id: $id) { id } organization(id: "x") { id } }')?.map((f) => f.args)).toEqual([
      { id: undefined },
      { id: 'x' },
    ]);
  });

  it('takes fields of inline fragments at the root, nested at any depth by default, in document order', () => {
    const source = 'mutation { first: a ... on Mutation { b ... { c __typename } } ... @include(if: true) { d } last: e }';
    expect(fieldsOf(source)?.map((f) => f.responseKey)).toEqual(['first', 'b', 'c', 'd', 'last']);
  });

  it('follows named fragment spreads (nested, each once), and does not evaluate @skip/@include', () => {
    const source =
      'mutation { a ...More b @skip(if: true) ...More } fragment More on Mutation { c ... on Mutation { ...Inner } } fragment Inner on Mutation { d }';
    expect(fieldsOf(source)?.map((f) => f.name)).toEqual(['a', 'c', 'd', 'b']);
  });

  it('picks the named operation; an unknown name has none', () => {
    const source = 'query One { a } mutation Two { b } query Three { c }';
    for (const pick of ['executed', 'first'] as const) {
      expect(operationRootFields(parse(source), 'Two', { pick })?.operation.operation).toBe('mutation');
      expect(fieldsOf(source, 'Three', { pick })?.map((f) => f.name)).toEqual(['c']);
      expect(fieldsOf(source, 'Four', { pick })).toBeNull();
    }
  });

  it('without a name: the only operation; with several, none as executed, the first with pick: first', () => {
    expect(fieldsOf('query One { a }')?.map((f) => f.name)).toEqual(['a']);
    expect(fieldsOf('query One { a }', null, { pick: 'first' })?.map((f) => f.name)).toEqual(['a']);
    const several = 'query One { a } mutation Two { b }';
    expect(fieldsOf(several)).toBeNull();
    expect(fieldsOf(several, undefined, { pick: 'first' })?.map((f) => f.name)).toEqual(['a']);
    // An empty name: a name no operation has as executed, no name at all with pick: first.
    expect(fieldsOf(several, '')).toBeNull();
    expect(fieldsOf(several, '', { pick: 'first' })?.map((f) => f.name)).toEqual(['a']);
    // Fragment definitions are not operations.
    expect(fieldsOf('fragment F on Query { x } query One { a }')?.map((f) => f.name)).toEqual(['a']);
  });

  it('answers null for an operation of another type than `only` asks for', () => {
    expect(fieldsOf('query { a }', null, { only: 'mutation' })).toBeNull();
    expect(fieldsOf('mutation { a }', null, { only: 'mutation' })?.map((f) => f.name)).toEqual(['a']);
    // `only` applies to the picked operation, it does not pick another one.
    expect(fieldsOf('query One { a } mutation Two { b }', null, { only: 'mutation', pick: 'first' })).toBeNull();
  });

  it("asked again of the same parsed document: same fields, arguments read against each call's variables", () => {
    const document = parse('query One($id: ID) { member(id: $id) { id } } mutation Two { b } query Three { c }');
    const ask = (operationName: string | null | undefined, variables?: Record<string, unknown>, pick?: 'first') =>
      operationRootFields(document, operationName, { variables, pick })?.fields ?? null;
    expect(ask('One', { id: 'a' })).toEqual([{ responseKey: 'member', name: 'member', args: { id: 'a' } }]);
    expect(ask('One', { id: 'b' })).toEqual([{ responseKey: 'member', name: 'member', args: { id: 'b' } }]);
    expect(ask('One')).toEqual([{ responseKey: 'member', name: 'member', args: { id: undefined } }]);
    // The answer for one call's name and pick is not the answer for another's.
    expect(ask('Three')?.map((f) => f.name)).toEqual(['c']);
    expect(ask(null)).toBeNull();
    expect(ask('', undefined, 'first')?.map((f) => f.name)).toEqual(['member']);
    expect(ask('')).toBeNull();
    expect(ask('Four')).toBeNull();
    expect(ask('Two', undefined, 'first')?.map((f) => f.name)).toEqual(['b']);
    // With one operation, no name picks it and an empty name picks nothing, in either order.
    const single = parse('query One { a }');
    expect(operationRootFields(single, null)?.fields.map((f) => f.name)).toEqual(['a']);
    expect(operationRootFields(single, '')).toBeNull();
    expect(operationRootFields(single, undefined)?.fields.map((f) => f.name)).toEqual(['a']);
    // The names alone are the fields' names, for the same name, pick and `only`.
    expect(operationRootFieldNames(document, 'Two', { pick: 'first' })).toEqual(['b']);
    expect(operationRootFieldNames(document, 'One')).toEqual(['member']);
    expect(operationRootFieldNames(document, 'One', { only: 'mutation' })).toBeNull();
    expect(operationRootFieldNames(document, 'Four')).toBeNull();
    // A caller changing the answer it got does not change the next one.
    ask('One', { id: 'a' })![0]!.args.id = 'changed';
    expect(ask('One', { id: 'a' })?.[0]?.args).toEqual({ id: 'a' });
  });
});
