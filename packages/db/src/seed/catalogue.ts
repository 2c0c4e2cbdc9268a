// The demo city's agencies and their party organizations. Every flag below stages one of the problems
// the survey reports name, so the demo always has something for each finding screen to show.

import type { MeetingKind, OrganizationKind, RotationKind } from '../generated/prisma/client.ts';

/** Problems an organization is deliberately given in the demo. */
export interface OrgFlags {
  /** 不按期换届: the current term ended before today. */
  overdue?: boolean;
  /** The secretary post is vacant (the last holder rotated out). */
  noSecretary?: boolean;
  /** 三会一课 not held at the required cadence; members also more often in dues arrears. */
  lagging?: boolean;
  /** The secretary has had no training in the last three years. */
  untrainedSecretary?: boolean;
  /** The previous secretary left after a short tenure through this kind of rotation. */
  rotation?: RotationKind;
}

/** One organization of the catalogue; `code` is a suffix appended to the parent's code. */
export interface OrgSpec {
  kind: OrganizationKind;
  name: string;
  code: string;
  flags?: OrgFlags;
  children?: OrgSpec[];
}

/** One agency: its 机关党委 is named `${agency}机关党委`. */
export interface AgencySpec {
  agency: string;
  code: string;
  flags?: OrgFlags;
  /** The committee's full-time deputy secretary came over from a business post. */
  deputyFromBusiness?: boolean;
  children: OrgSpec[];
}

const branch = (name: string, code: string, flags?: OrgFlags, groups?: string[]): OrgSpec => ({
  kind: 'BRANCH',
  name,
  code,
  ...(flags ? { flags } : {}),
  ...(groups ? { children: groups.map((g, i) => ({ kind: 'GROUP' as const, name: g, code: `G${i + 1}` })) } : {}),
});

/** Name of the root working committee. */
export const ROOT_NAME = '市直机关工委';
/** Code of the root working committee. */
export const ROOT_CODE = 'SZJGGW';

/** Organizations directly under the root besides the agency committees: the committee's own staff. */
export const ROOT_CHILDREN: OrgSpec[] = [branch('市直机关工委机关党支部', 'JG')];

/** The five agencies of the demo with their branches. */
export const AGENCIES: AgencySpec[] = [
  {
    agency: '市民政局',
    code: 'MZJ',
    deputyFromBusiness: true,
    children: [
      branch('办公室党支部', 'BGS'),
      branch('社会救助处党支部', 'SHJZ', { rotation: 'TO_BUSINESS' }),
      branch('养老服务处党支部', 'YLFW', undefined, ['第一党小组', '第二党小组']),
      branch('社会组织管理局党支部', 'SHZZ', { overdue: true }),
    ],
  },
  {
    agency: '市科协',
    code: 'KX',
    flags: { overdue: true },
    children: [
      branch('办公室党支部', 'BGS', { noSecretary: true, rotation: 'TO_BUSINESS' }),
      branch('学会部党支部', 'XHB'),
      branch('科普部党支部', 'KPB', { lagging: true, untrainedSecretary: true }),
    ],
  },
  {
    agency: '市委宣传部',
    code: 'XCB',
    children: [
      branch('办公室党支部', 'BGS'),
      branch('理论处党支部', 'LLC'),
      branch('新闻处党支部', 'XWC'),
      branch('文艺处党支部', 'WYC', { overdue: true, lagging: true, untrainedSecretary: true }),
    ],
  },
  {
    agency: '市人社局',
    code: 'RSJ',
    children: [
      branch('办公室党支部', 'BGS'),
      branch('就业促进处党支部', 'JYCJ'),
      branch('人才开发处党支部', 'RCKF'),
      {
        kind: 'GENERAL_BRANCH',
        name: '市社会保险管理服务中心党总支',
        code: 'SBZX',
        children: [
          branch('养老保险科党支部', 'YLBX'),
          branch('工伤保险科党支部', 'GSBX', { noSecretary: true, rotation: 'TO_BUSINESS' }),
          branch('基金财务科党支部', 'JJCW'),
        ],
      },
    ],
  },
  {
    agency: '市发改委',
    code: 'FGW',
    deputyFromBusiness: true,
    children: [
      branch('办公室党支部', 'BGS'),
      branch('发展规划处党支部', 'FZGH'),
      branch('固定资产投资处党支部', 'GDZC', { rotation: 'INTERNAL' }, ['第一党小组', '第二党小组']),
      branch('价格处党支部', 'JGC', { lagging: true }),
      // Listed last: its secretary is the one who rotated in from 固定资产投资处.
      { kind: 'TEMPORARY_BRANCH', name: '市重大项目攻坚临时党支部', code: 'ZDXM' },
    ],
  },
];

/** Business posts that cadres rotate to or from (交流 with 业务岗位). */
export const BUSINESS_POSTS: readonly string[] = [
  '政策法规处副处长',
  '综合处处长',
  '信息中心主任',
  '督查科科长',
  '财务处副处长',
  '行政审批处副处长',
  '人事处副处长',
];

/** Absence reasons as branches record them. */
export const ABSENCE_REASONS: readonly string[] = ['出差', '病假', '事假', '公务外出', '参加培训', '休假'];

/** Training courses: [course, hours, provider]. */
export const TRAINING_COURSES: ReadonlyArray<readonly [string, string, string]> = [
  ['党支部书记轮训班', '40.0', '市委党校'],
  ['机关党务干部业务能力提升培训', '24.0', '市直机关工委'],
  ['基层党组织建设专题研讨班', '32.0', '市委党校'],
  ['纪检委员履职能力专题培训', '16.0', '市纪委监委'],
  ['发展党员工作规范培训', '8.0', '市直机关工委'],
  ['党费收缴使用管理专题培训', '4.0', '市直机关工委'],
  ['党建与业务融合专题培训班', '24.0', '市委组织部'],
  ['网络党校在线学习', '12.0', '市委组织部'],
];

/** Plausible topics per meeting kind. */
export const MEETING_TOPICS: Record<MeetingKind, readonly string[]> = {
  GENERAL_MEETING: [
    '学习传达上级会议精神',
    '讨论接收预备党员',
    '预备党员转正表决',
    '支部半年工作总结',
    '民主评议党员',
    '讨论支部年度工作计划',
  ],
  COMMITTEE_MEETING: [
    '研究月度党建工作安排',
    '研究发展党员工作',
    '研究党费收缴情况',
    '研究主题党日活动方案',
    '研究党员教育培训计划',
    '研究党建与业务融合措施',
  ],
  GROUP_MEETING: ['学习党章党规', '交流学习体会', '开展谈心谈话', '讨论业务工作中的难点问题'],
  PARTY_LECTURE: [
    '书记讲党课：推动党建与业务深度融合',
    '专题党课：持之以恒加强作风建设',
    '党课：学党史 悟思想',
    '专题党课：坚持以人民为中心',
    '党课：廉洁自律准则解读',
  ],
  THEME_DAY: [
    '重温入党誓词',
    '走进社区开展志愿服务',
    '参观革命传统教育基地',
    '学习身边先进典型',
    '结对帮扶走访困难群众',
    '文明城市创建志愿服务',
  ],
  ORGANIZATIONAL_LIFE_MEETING: ['年度组织生活会暨民主评议党员'],
  DEMOCRATIC_LIFE_MEETING: ['领导班子年度民主生活会'],
};
