import type { Builder } from '../builder.ts';

/** 党务干部 (Cadre): a member's post in an organization. */
export function registerCadre(builder: Builder): void {
  const Post = builder.enumType('CadrePost', {
    description: '党务职务 — party-affairs post',
    values: {
      SECRETARY: { description: '书记' },
      DEPUTY_SECRETARY: { description: '副书记' },
      FULL_TIME_DEPUTY_SECRETARY: { description: '专职副书记' },
      ORGANIZATION_MEMBER: { description: '组织委员' },
      PROPAGANDA_MEMBER: { description: '宣传委员' },
      DISCIPLINE_MEMBER: { description: '纪检委员' },
      COMMITTEE_MEMBER: { description: '委员' },
    },
  });

  builder.prismaNode('Cadre', {
    description: '党务干部 — a member holding a party-affairs post in an organization',
    id: { field: 'id' },
    fields: (t) => ({
      post: t.expose('post', { type: Post, description: '职务 — post' }),
      fullTime: t.exposeBoolean('fullTime', { description: '专职 — true for full-time (专职), false for part-time (兼职)' }),
      startDate: t.expose('startDate', { type: 'Date', description: '任职日期 — appointed on' }),
      endDate: t.expose('endDate', { type: 'Date', nullable: true, description: '离任日期 — left the post on (null while serving)' }),
      member: t.relation('member', { description: '党员 — who holds the post' }),
      organization: t.relation('organization', { description: '党组织 — where the post is' }),
    }),
  });
}
