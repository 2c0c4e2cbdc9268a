import { DuesCategory, DuesMethod } from '@dangjian/db';
import type { Builder } from '../builder.ts';

/** The GraphQL enums of dues (党费), shared by the files that define its types and inputs. */
export function defineDuesEnums(builder: Builder) {
  const Category = builder.enumType(DuesCategory, {
    name: 'DuesCategory',
    description: '党费计缴类别 — how a member’s monthly standard is computed',
    values: {
      EMPLOYED: {
        description: '在职 — employed: 0.5 % up to 3,000 元, 1 % to 5,000, 1.5 % to 10,000, 2 % above (brackets include their upper bound)',
      },
      RETIRED: { description: '离退休 — retired: 0.5 % up to 5,000 元, 1 % above' },
      ANNUAL_SALARY: {
        description:
          '年薪制 — annual salary: the month’s actual pay is the base, at the employed rates (record a base for each month it changes)',
      },
      FARMER: { description: '农民 — farmer: a fixed 0.20–1.00 元 a month' },
      STUDENT: { description: '学生 — student: 0.20 元 a month' },
      UNEMPLOYED: { description: '下岗失业 — unemployed: 0.20 元 a month' },
      SUBSISTENCE: { description: '享受低保 — on minimum subsistence (低保): 0.20 元 a month' },
    },
  });
  const Method = builder.enumType(DuesMethod, {
    name: 'DuesMethod',
    description: '缴纳方式 — how dues were paid',
    values: {
      CASH: { description: '现金 — cash' },
      TRANSFER: { description: '转账 — bank transfer' },
      ONLINE: { description: '线上 — online payment' },
      UNKNOWN: { description: '未记录 — not recorded (payments from before methods were kept)' },
    },
  });
  const MonthStatus = builder.enumType('DuesMonthStatus', {
    description: '月度缴纳状态 — what a month’s comparison with its standard says',
    values: {
      PAID: { description: '已缴 — paid in full (a month without a standard: any payment)' },
      UNDERPAID: { description: '少缴 — due, paid less than the standard: in arrears with the amount owed' },
      UNPAID: { description: '未缴 — due and nothing paid: in arrears' },
      EXEMPT: { description: '免交 — exempt by an approved reduction' },
      NOT_DUE: { description: '未到期 — not yet due and not yet paid in full' },
    } as const,
  });
  return { Category, Method, MonthStatus };
}

export type DuesEnums = ReturnType<typeof defineDuesEnums>;
