import { buildSchema, graphql, type GraphQLError, type GraphQLScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { guardTextArguments } from './guard.ts';
import {
  checkAfter,
  checkDateRange,
  checkNationalId,
  checkNotBefore,
  checkNotFuture,
  checkPeriod,
  checkPhone,
  optionalText,
  patchText,
  requiredText,
  TEXT_KINDS,
} from './index.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

/** The `extensions` of the error `fn` throws, or undefined when it throws none. */
function refusal(fn: () => unknown): { code?: unknown; field?: unknown } | undefined {
  try {
    fn();
  } catch (error) {
    // As a record: checked in one program with the server, whose packages declare fields on GraphQLErrorExtensions.
    return (error as GraphQLError).extensions as Record<string, unknown>;
  }
  return undefined;
}

describe('text policy', () => {
  it('trims whitespace and zero-width characters before the emptiness check', () => {
    expect(requiredText(' \u200b 党支部\u3000\ufeff', 'input.name', 'name')).toBe('党支部');
    for (const blank of ['', '   ', '\u200b', '\u200c\u200d\u2060\ufeff', '\t\n']) {
      expect(refusal(() => requiredText(blank, 'input.name', 'name'))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.name' });
      expect(optionalText(blank, 'input.note', 'short')).toBeNull();
    }
  });

  it('refuses NUL and other control characters, allowing line feed and tab only in multi-line kinds', () => {
    expect(refusal(() => requiredText('a\u0000b', 'input.name', 'name'))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect(refusal(() => requiredText('a\u0000b', 'input.note', 'long'))?.field).toBe('input.note');
    expect(refusal(() => requiredText('a\u001bb', 'input.note', 'short'))?.field).toBe('input.note');
    expect(refusal(() => requiredText('a\u0085b', 'input.note', 'short'))?.field).toBe('input.note');
    expect(refusal(() => requiredText('a\nb', 'input.name', 'name'))?.field).toBe('input.name');
    expect(refusal(() => requiredText('a\tb', 'input.code', 'code'))?.field).toBe('input.code');
    expect(requiredText('第一条\n\t第二条', 'input.note', 'short')).toBe('第一条\n\t第二条');
  });

  it('refuses lone UTF-16 surrogates and keeps pairs', () => {
    expect(refusal(() => requiredText('a\ud800b', 'comment', 'short'))?.field).toBe('comment');
    expect(refusal(() => requiredText('a\udc00', 'comment', 'short'))?.field).toBe('comment');
    expect(requiredText('党建\ud83d\udea9', 'comment', 'short')).toBe('党建\ud83d\udea9');
  });

  it('caps each kind, and a field may be tighter but never looser', () => {
    for (const [kind, { max }] of Object.entries(TEXT_KINDS) as [keyof typeof TEXT_KINDS, { max: number }][]) {
      expect(requiredText('x'.repeat(max), 'f', kind)).toHaveLength(max);
      expect(refusal(() => requiredText('x'.repeat(max + 1), 'f', kind))?.field).toBe('f');
    }
    expect(refusal(() => requiredText('x'.repeat(51), 'input.name', 'name', 50))?.field).toBe('input.name');
    expect(refusal(() => requiredText('x'.repeat(201), 'input.name', 'name', 500))?.field).toBe('input.name');
  });

  it('passes absent values through as each kind of argument needs', () => {
    expect(requiredText(null, 'f', 'name')).toBeNull();
    expect(requiredText(undefined, 'f', 'name')).toBeUndefined();
    expect(optionalText(undefined, 'f', 'name')).toBeNull();
    expect(patchText(undefined, 'f', 'name')).toBeUndefined();
    expect(patchText(null, 'f', 'name')).toBeNull();
    expect(patchText(' \u200b', 'f', 'name')).toBeNull();
    expect(patchText(' x ', 'f', 'name')).toBe('x');
  });
});

describe('national ID and phone', () => {
  it('normalizes valid ones and names the field of invalid ones', () => {
    expect(checkNationalId(' 11010519491231002x ', 'input.nationalId')).toBe('11010519491231002X');
    expect(refusal(() => checkNationalId('110105194912310021', 'input.nationalId'))?.field).toBe('input.nationalId');
    expect(refusal(() => checkNationalId('11010519491231002\u0000', 'input.nationalId'))?.field).toBe('input.nationalId');
    expect(checkPhone(' 13812345678 ', 'input.phone')).toBe('13812345678');
    expect(checkPhone(null, 'input.phone')).toBeNull();
    expect(refusal(() => checkPhone('010-12345678', 'input.phone'))?.field).toBe('input.phone');
  });
});

describe('dates', () => {
  it('refuses future dates only', () => {
    expect(refusal(() => checkNotFuture(d('2024-05-02'), 'input.date', d('2024-05-01')))?.field).toBe('input.date');
    expect(refusal(() => checkNotFuture(d('2024-05-01'), 'input.date', d('2024-05-01')))).toBeUndefined();
    expect(refusal(() => checkNotFuture(null, 'input.date'))).toBeUndefined();
  });

  it('checks the order of two dates when both are given', () => {
    expect(refusal(() => checkNotBefore(d('2024-01-01'), d('2024-01-02'), 'filter.to', 'filter.from'))?.field).toBe('filter.to');
    expect(refusal(() => checkNotBefore(d('2024-01-02'), d('2024-01-02'), 'filter.to', 'filter.from'))).toBeUndefined();
    expect(refusal(() => checkNotBefore(undefined, d('2024-01-02'), 'filter.to', 'filter.from'))).toBeUndefined();
    expect(refusal(() => checkAfter(d('2024-01-02'), d('2024-01-02'), 'termEnd', 'termStart'))?.field).toBe('termEnd');
    expect(refusal(() => checkAfter(d('2024-01-03'), d('2024-01-02'), 'termEnd', 'termStart'))).toBeUndefined();
  });

  it('accepts 1900-01-01 … 2100-12-31 and refuses the rest, naming the field', () => {
    expect(refusal(() => checkDateRange(d('1900-01-01'), 'input.date'))).toBeUndefined();
    expect(refusal(() => checkDateRange(new Date('2100-12-31T23:59:59.999Z'), 'input.date'))).toBeUndefined();
    for (const out of ['1899-12-31', '1000-01-01', '2101-01-01', '9999-12-31']) {
      expect(refusal(() => checkDateRange(d(out), 'input.date'))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.date' });
    }
  });
});

describe('schema guard', () => {
  const sdl = buildSchema(`
    scalar Date
    input Item { text: String, items: [Item!], on: Date }
    type Query { ok: Boolean }
    type Mutation { save(id: ID, name: String, input: Item, list: [String!]): String }
  `);
  (sdl.getType('Date') as GraphQLScalarType).parseValue = (value) => new Date(String(value));
  const schema = guardTextArguments(sdl);
  const run = (variables: Record<string, unknown>) =>
    graphql({
      schema,
      source: 'mutation($id: ID, $name: String, $input: Item, $list: [String!]) { save(id: $id, name: $name, input: $input, list: $list) }',
      variableValues: variables,
      rootValue: { save: () => 'saved' },
    });

  it('names the argument path of a NUL, a lone surrogate, an over-long string or an implausible date, nested or listed', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'a\u0000' }, 'name'],
      [{ id: '\ud800' }, 'id'],
      [{ list: ['ok', 'x'.repeat(10_001)] }, 'list[1]'],
      [{ input: { items: [{ text: 'ok' }, { items: [{ text: 'a\u0007' }] }] } }, 'input.items[1].items[0].text'],
      [{ input: { items: [{ on: '1000-01-01' }] } }, 'input.items[0].on'],
    ];
    for (const [variables, field] of cases) {
      const result = await run(variables);
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('lets clean text (line feeds and tabs included) through to the resolver', async () => {
    expect((await run({ name: '第一条\n\t第二条', input: { text: 'x'.repeat(10_000) } })).data).toEqual({ save: 'saved' });
  });
});

describe('checkPeriod', () => {
  it('accepts a plausible period and names the argument at fault otherwise', () => {
    expect(refusal(() => checkPeriod(d('2025-01-01'), d('2025-12-31'), 10))).toBeUndefined();
    expect(refusal(() => checkPeriod(d('2025-01-01'), d('2025-01-01'), 10))).toBeUndefined();
    expect(refusal(() => checkPeriod(d('2025-02-01'), d('2025-01-31'), 10))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(refusal(() => checkPeriod(d('1800-01-01'), d('2025-01-31'), 10))).toMatchObject({ field: 'from' });
    expect(refusal(() => checkPeriod(d('2015-01-01'), d('2025-01-01'), 10))).toMatchObject({ field: 'to' });
    expect(refusal(() => checkPeriod(d('2015-01-02'), d('2025-01-01'), 10))).toBeUndefined();
    expect(refusal(() => checkPeriod(d('2025-02-01'), d('2025-01-31'), 10, { from: 'input.from', to: 'input.to' }))).toMatchObject({
      field: 'input.to',
    });
  });
});
