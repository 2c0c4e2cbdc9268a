import { expect } from 'vitest';
import { orgId, type GqlResult, type TestServer } from '@dangjian/testing';

export const BRAND_FIELDS = 'id name state business organization { code } plan { name }';

/** Thin GraphQL helpers for the brand operations, shared by the plugin's whole-application tests. */
export function brandClient(server: TestServer) {
  const gql = server.gql.bind(server);
  return {
    async createPlan(token: string, input: Record<string, unknown>): Promise<GqlResult> {
      return gql(
        'mutation ($input: CreateBrandPlanInput!) { createBrandPlan(input: $input) { id name startYear endYear goals { year applied approved model } } }',
        { input },
        token,
      );
    },
    async create(token: string, code: string, input: Record<string, unknown> = {}): Promise<GqlResult> {
      const organizationId = await orgId(server.db, code);
      return gql(
        `mutation ($input: CreateBrandInput!) { createBrand(input: $input) { ${BRAND_FIELDS} } }`,
        { input: { organizationId, name: `${code}品牌`, business: '党建+业务', ...input } },
        token,
      );
    },
    update(token: string, id: string, input: Record<string, unknown>): Promise<GqlResult> {
      return gql(
        `mutation ($id: ID!, $input: UpdateBrandInput!) { updateBrand(id: $id, input: $input) { ${BRAND_FIELDS} slogan } }`,
        { id, input },
        token,
      );
    },
    /** Runs one state step (`submitBrand`, `approveBrand` …) with an optional comment. */
    step(token: string, mutation: string, id: string, comment?: string): Promise<GqlResult> {
      const required = mutation === 'returnBrand' || mutation === 'revokeBrand';
      return gql(
        `mutation ($id: ID!, $comment: String${required ? '!' : ''}) { ${mutation}(id: $id, comment: $comment) { id state } }`,
        { id, comment: comment ?? (required ? '理由' : null) },
        token,
      );
    },
    evaluate(token: string, brandId: string, input: Record<string, unknown>): Promise<GqlResult> {
      return gql(
        'mutation ($b: ID!, $input: EvaluateBrandInput!) { evaluateBrand(brandId: $b, input: $input) { year overall comments } }',
        { b: brandId, input },
        token,
      );
    },
  };
}

/** The created brand's id, failing the test with the errors when the mutation failed. */
export function idOf(result: GqlResult, field: string): string {
  expect(result.errors).toBeUndefined();
  return result.data[field].id as string;
}

/** The error code (and, for state errors, the state) of a failed result. */
export function errorOf(result: GqlResult): { code?: string; state?: unknown; field?: unknown } {
  expect(result.errors?.length, JSON.stringify(result.data)).toBeGreaterThan(0);
  const ext = result.errors![0]!.extensions ?? {};
  return { code: ext.code, ...(ext.state ? { state: ext.state } : {}), ...(ext.field ? { field: ext.field } : {}) };
}

/** Every state step mutation, to try the illegal ones from a given state. */
export const STEPS = ['submitBrand', 'approveBrand', 'returnBrand', 'cultivateBrand', 'nameModelBrand', 'revokeBrand'] as const;
