import type PrismaTypes from '@dangjian/db/pothos-types';
import type { PrismaObjectRef } from '@pothos/plugin-prisma';
import { getRefFromModel } from '@pothos/plugin-prisma';
import type { Builder } from '../builder.ts';

type Types = Builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/**
 * The builder's object ref for a Prisma model, typed with that model — so that a field in one file can
 * return a type defined in another without importing it (registration order does not matter).
 */
export function modelRef<Name extends keyof PrismaTypes>(
  builder: Builder,
  name: Name,
): PrismaObjectRef<Types, PrismaTypes[Name], PrismaTypes[Name]['Shape']> {
  return getRefFromModel(name, builder) as unknown as PrismaObjectRef<Types, PrismaTypes[Name], PrismaTypes[Name]['Shape']>;
}
