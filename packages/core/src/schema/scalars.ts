import { GraphQLError, Kind } from 'graphql';
import type { Builder } from '../builder.ts';
import { isoDate } from '../kit/dates.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` into a UTC midnight Date, rejecting impossible days such as 2023-02-30. */
export function parseDate(value: unknown): Date {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match) throw new GraphQLError(`Date must be a string YYYY-MM-DD, got ${JSON.stringify(value)}`);
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (isoDate(date) !== value) throw new GraphQLError(`Date ${value} does not exist`);
  return date;
}

/** Registers the custom scalars: DateTime, Date, Decimal, JSON. */
export function registerScalars(builder: Builder): void {
  builder.scalarType('DateTime', {
    description: '时间 — an instant, ISO 8601 with time zone (e.g. 2024-05-01T08:00:00.000Z)',
    serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
    parseValue: (value) => {
      const date = typeof value === 'string' ? new Date(value) : null;
      if (!date || Number.isNaN(date.getTime()))
        throw new GraphQLError(`DateTime must be an ISO 8601 string, got ${JSON.stringify(value)}`);
      return date;
    },
  });
  builder.scalarType('Date', {
    description: '日期 — a calendar date, YYYY-MM-DD',
    serialize: (value) => isoDate(value instanceof Date ? value : new Date(value as string)),
    parseValue: parseDate,
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be a string YYYY-MM-DD');
      return parseDate(ast.value);
    },
  });
  builder.scalarType('Decimal', {
    description: '金额/小数 — an exact decimal number as a string (e.g. "25.00"), never a float',
    serialize: (value) => value.toString(),
    parseValue: (value) => {
      const text = typeof value === 'number' ? String(value) : value;
      if (typeof text !== 'string' || !/^-?\d+(\.\d+)?$/.test(text))
        throw new GraphQLError(`Decimal must look like "12.50", got ${JSON.stringify(value)}`);
      return text;
    },
  });
  builder.scalarType('JSON', {
    description: 'Free-form JSON data attached to an activity',
    serialize: (value) => value,
    parseValue: (value) => value,
  });
}
