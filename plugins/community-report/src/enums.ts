import type { Builder } from '@dangjian/core';
import {
  CommunityDemandClaimStatus,
  CommunityDemandKind,
  CommunityDemandStatus,
  CommunityRegistrationStatus,
  CommunityServiceKind,
  CommunityServiceStatus,
  VolunteerTeamLevel,
} from '@dangjian/db';

/** Chinese names of service kinds, for activity summaries. */
export const SERVICE_KIND_LABELS = {
  CONVENIENCE: '便民服务',
  TRAFFIC_CIVILITY: '文明交通劝导',
  CIVILIZED_CITY: '创城',
  ENVIRONMENT: '环境整治',
  POLICY_PROMOTION: '政策宣讲',
  CARE_VISIT: '走访慰问',
  OTHER: '其他服务',
} as const;

/** Chinese names of demand kinds, for activity summaries. */
export const DEMAND_KIND_LABELS = { MICRO_WISH: '微心愿', HELP_POST: '帮扶岗位', SERVICE_PROJECT: '服务项目' } as const;

/** The GraphQL enums of 社区报到, defined once and shared by the type files. */
export function defineEnums(builder: Builder) {
  return {
    RegistrationStatus: builder.enumType(CommunityRegistrationStatus, {
      name: 'CommunityRegistrationStatus',
      description: '报到状态 — status of a registration with a community',
      values: {
        REGISTERED: { description: '已报到 — active' },
        WITHDRAWN: { description: '已撤销 — withdrawn' },
      },
    }),
    RegistrationKind: builder.enumType('CommunityRegistrationKind', {
      description: '报到类别 — who registered',
      values: {
        ORGANIZATION: { description: '单位报到 — an organization registered' },
        MEMBER: { description: '个人报到 — a member registered (usually where they live)' },
      },
    }),
    DemandKind: builder.enumType(CommunityDemandKind, {
      name: 'CommunityDemandKind',
      description: '需求类别 — kind of demand on a community’s demand list',
      values: {
        MICRO_WISH: { description: '微心愿 — a small wish of a resident' },
        HELP_POST: { description: '帮扶岗位 — a help post to staff' },
        SERVICE_PROJECT: { description: '服务项目 — a service project' },
      },
    }),
    DemandStatus: builder.enumType(CommunityDemandStatus, {
      name: 'CommunityDemandStatus',
      description: '需求状态 — whether a demand takes claims',
      values: {
        OPEN: { description: '开放认领 — open for claims' },
        CLOSED: { description: '已关闭 — closed by the community' },
      },
    }),
    ClaimStatus: builder.enumType(CommunityDemandClaimStatus, {
      name: 'CommunityDemandClaimStatus',
      description: '认领状态 — claimed → completed (with a report) → confirmed by the community',
      values: {
        CLAIMED: { description: '已认领 — claimed, not yet done' },
        COMPLETED: { description: '已完成 — done and reported, awaiting the community' },
        CONFIRMED: { description: '已确认 — completion confirmed by the community' },
      },
    }),
    TeamLevel: builder.enumType(VolunteerTeamLevel, {
      name: 'VolunteerTeamLevel',
      description: '志愿服务队层级 — level of a volunteer team',
      values: {
        CORPS: { description: '总队 — corps (top level, no parent)' },
        DETACHMENT: { description: '支队 — detachment, under a corps' },
        SQUAD: { description: '分队 — squad, under a detachment' },
      },
    }),
    ServiceKind: builder.enumType(CommunityServiceKind, {
      name: 'CommunityServiceKind',
      description: '服务类别 — kind of community service',
      values: {
        CONVENIENCE: { description: '便民服务 — convenience services for residents' },
        TRAFFIC_CIVILITY: { description: '文明交通劝导 — traffic civility guidance' },
        CIVILIZED_CITY: { description: '创城 — civilized-city campaign work' },
        ENVIRONMENT: { description: '环境整治 — environmental clean-up' },
        POLICY_PROMOTION: { description: '政策宣讲 — explaining policies to residents' },
        CARE_VISIT: { description: '走访慰问 — visiting residents in need' },
        OTHER: { description: '其他 — other service' },
      },
    }),
    ServiceStatus: builder.enumType(CommunityServiceStatus, {
      name: 'CommunityServiceStatus',
      description: '服务记录状态 — submitted → verified or rejected by the community',
      values: {
        SUBMITTED: { description: '待核实 — submitted, awaiting the community' },
        VERIFIED: { description: '已核实 — verified: the hours count' },
        REJECTED: { description: '已驳回 — rejected by the community: the hours do not count' },
      },
    }),
  };
}

/** The enums as the type files receive them. */
export type Enums = ReturnType<typeof defineEnums>;
