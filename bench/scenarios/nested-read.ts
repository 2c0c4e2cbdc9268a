/** The nested read of scenarios 2 and 2b, in our schema's shape and PostGraphile's, and one shape to compare answers in. */
import type { Json } from './http-load.ts';

/** organizations(first: orgs, COMMITTEE) → children → members(first: members) → cadrePosts. */
export const nested = (orgs: number, members: number): string =>
  `{ organizations(first: ${orgs}, filter: { kind: [COMMITTEE] }) { edges { node { name children { name members(first: ${members}) { edges { node { name cadrePosts { post } } } } } } } } }`;

/** The same read in PostGraphile's generated schema, ordered as ours orders. */
export const nestedPostGraphile = (orgs: number, members: number): string =>
  `{ allOrganizations(first: ${orgs}, condition: { kind: COMMITTEE }, orderBy: [DEPTH_ASC, CODE_ASC]) { nodes { name organizationsByParentId(orderBy: CODE_ASC) { nodes { name membersByOrganizationId(first: ${members}, orderBy: [NAME_ASC, PRIMARY_KEY_ASC]) { nodes { name cadresByMemberId(orderBy: [END_DATE_DESC, START_DATE_DESC]) { nodes { post } } } } } } } } }`;

export interface NestedOrg {
  name: string;
  children: { name: string; members: { name: string; posts: string[] }[] }[];
}

export function normalizeNested(json: Json): NestedOrg[] {
  if (json?.data?.allOrganizations) {
    return json.data.allOrganizations.nodes.map((o: Json) => ({
      name: o.name,
      children: o.organizationsByParentId.nodes.map((c: Json) => ({
        name: c.name,
        members: c.membersByOrganizationId.nodes.map((m: Json) => ({
          name: m.name,
          posts: m.cadresByMemberId.nodes.map((p: Json) => p.post),
        })),
      })),
    }));
  }
  return json.data.organizations.edges.map((e: Json) => ({
    name: e.node.name,
    children: e.node.children.map((c: Json) => ({
      name: c.name,
      members: c.members.edges.map((m: Json) => ({ name: m.node.name, posts: m.node.cadrePosts.map((p: Json) => p.post) })),
    })),
  }));
}
