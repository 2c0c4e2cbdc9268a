import { ConflictError, decodeId, InputError, NotFoundError, organizationScope, type Context, type Publish, type Tx } from '@dangjian/core';
import type { Organization, PartyBrand, PartyBrandState } from '@dangjian/db';
import { HOLDING_STATES, STATE_LABELS } from './brand-rules.ts';
import type { StatusEventData } from './brand-transition.ts';
import { idsOnPath } from './scope.ts';

import type { PartyBrandEvent } from './events.ts';

/** An organization in the viewer's subtree, or NOT_FOUND exactly as if it did not exist. */
export async function findOrganizationForWrite(tx: Tx, ctx: Context, globalId: string, field: string): Promise<Organization> {
  const id = decodeId('Organization', globalId, field);
  const org = await tx.organization.findFirst({ where: { id, ...organizationScope(ctx) } });
  if (!org) throw new NotFoundError('Organization', globalId);
  return org;
}

/**
 * A brand of the viewer's subtree with its organization, its row locked for the rest of the
 * transaction so that two reviewers acting at once see each other's decision (the second one then
 * meets the new state), or NOT_FOUND exactly as if it did not exist.
 */
export async function findBrandForWrite(
  tx: Tx,
  ctx: Context,
  globalId: string,
  field: string,
): Promise<{ brand: PartyBrand; org: Organization }> {
  const id = decodeId('Brand', globalId, field);
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "PartyBrand" WHERE id = ${id} FOR UPDATE`;
  const brand = locked.length ? await tx.partyBrand.findUnique({ where: { id } }) : null;
  const org = brand ? await tx.organization.findFirst({ where: { id: brand.organizationId, ...organizationScope(ctx) } }) : null;
  if (!brand || !org) throw new NotFoundError('Brand', globalId);
  return { brand, org };
}

/**
 * 一个支部一个品牌: refuses a second brand of an organization while one is held (not RETURNED or
 * REVOKED). The organization's row is locked first (FOR NO KEY UPDATE: it excludes other brand writers
 * of the same organization, not core's foreign-key checks), so two concurrent drafts or resubmissions
 * cannot both pass the count.
 */
export async function assertNoOtherBrand(tx: Tx, org: Organization, exceptBrandId: string | null, field: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${org.id} FOR NO KEY UPDATE`;
  const held = await tx.partyBrand.findFirst({
    where: { organizationId: org.id, state: { in: [...HOLDING_STATES] }, ...(exceptBrandId ? { NOT: { id: exceptBrandId } } : {}) },
    select: { name: true, state: true },
  });
  if (held) {
    throw new ConflictError(`${org.name} already has the brand「${held.name}」(${held.state}): one branch, one brand`, { field });
  }
}

/**
 * Checks that a plan may take a brand of this organization: it exists and belongs to a committee
 * above it. Nonexistent, invisible and unrelated plans answer alike.
 */
export async function checkPlanFor(tx: Tx, org: Organization, globalId: string, field: string): Promise<string> {
  const planId = decodeId('BrandPlan', globalId, field);
  const plan = await tx.partyBrandPlan.findUnique({ where: { id: planId }, select: { organizationId: true } });
  const above = idsOnPath(org.path).filter((id) => id !== org.id);
  if (!plan || !above.includes(plan.organizationId)) throw new InputError(field, `is not a brand plan of a committee above ${org.name}`);
  return planId;
}

/**
 * Moves a brand to `to`, keeps the step in its history and, for the steps the feed reports, publishes
 * the event — all in the caller's transaction.
 */
export async function moveBrand(
  tx: Tx,
  ctx: Context,
  publish: Publish<PartyBrandEvent>,
  step: { brand: PartyBrand; org: Organization; to: PartyBrandState; comment: string | null; event: PartyBrandEvent | null; label: string },
): Promise<void> {
  const { brand, org, to, comment, event } = step;
  await tx.partyBrand.update({ where: { id: brand.id }, data: { state: to } });
  const transition = await tx.partyBrandTransition.create({
    data: { brandId: brand.id, from: brand.state, to, actorId: ctx.viewer?.userId ?? null, comment },
  });
  if (!event) return;
  const data: StatusEventData = { brandId: brand.id, transitionId: transition.id, from: brand.state, to };
  await publish(event, {
    organization: { id: org.id, path: org.path },
    subjectType: 'Brand',
    subjectId: brand.id,
    summary: `${org.name}的党建品牌「${brand.name}」${step.label}（${STATE_LABELS[brand.state]}→${STATE_LABELS[to]}）${comment ? `：${comment}` : ''}`,
    data: { ...data, name: brand.name, comment },
  });
}
