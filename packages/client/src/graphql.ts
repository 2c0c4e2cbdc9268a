import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.d.ts';

/**
 * Custom scalars of the dangjian schema, as they travel in JSON. `Decimal` is a string on purpose (money
 * is never a float); `JSON` is whatever an activity's details hold.
 */
export interface Scalars {
  ID: string;
  Date: string;
  DateTime: string;
  Decimal: string;
  JSON: unknown;
}

/**
 * Writes a typed document against the published SDL (`schema/schema.graphql`): the result and variables
 * types are inferred from the text by gql.tada, from `graphql-env.d.ts` (generated from the SDL; no global
 * `gql.tada` declaration, so an application using gql.tada for another API is not affected).
 *
 * @example
 * const Names = graphql(`query Names { organizations(first: 5) { edges { node { name } } } }`);
 */
export const graphql = initGraphQLTada<{ introspection: introspection; scalars: Scalars }>();

export type { FragmentOf, ResultOf, TadaDocumentNode, VariablesOf } from 'gql.tada';
export { readFragment } from 'gql.tada';
