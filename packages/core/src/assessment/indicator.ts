import type { OrganizationKind, PrismaClient } from '@dangjian/db';

/**
 * 考核指标 — the indicator contract. Core and every plugin contribute indicators (definePlugin's
 * `indicators`); assessment schemes (考核方案) score their items from them. An indicator is plain data plus
 * two functions, like a plugin: `value` for many organizations at once, `evidence` for one.
 */

/** What an indicator's value measures in; the API shows it beside every value. */
export type IndicatorUnit =
  /** 百分比 — a share, 0–100 */
  | 'PERCENT'
  /** 次数/个数 — a count */
  | 'COUNT'
  /** 小时/学时 — hours */
  | 'HOURS'
  /** 分 — a score (e.g. an evaluation's points) */
  | 'SCORE'
  /** 是否 — 1 (yes) or 0 (no) */
  | 'YES_NO';

/** Which way is better, for rules and for a UI's colouring. */
export type IndicatorDirection = 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER';

/** A period of whole UTC days, both ends included (a scheme's year: 1 January to 31 December). */
export interface IndicatorPeriod {
  readonly from: Date;
  readonly to: Date;
}

/** An organization an indicator is computed for. */
export interface IndicatorOrganization {
  readonly id: string;
  /** Materialized path (`/rootId/…/id`): a subtree is `path LIKE '<path>%'`. */
  readonly path: string;
  readonly kind: OrganizationKind;
}

/**
 * A cache shared by the indicators of one computation (one ranking, one publication): what several
 * indicators read alike — the branches the five 三会一课 cadences are owed by — is read once. Keys name the
 * owner (`core.meetings.…`) and everything the value depends on.
 */
export interface IndicatorMemo {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/** A fresh memo: each key loaded once (concurrent callers share the one promise). */
export function indicatorMemo(): IndicatorMemo {
  const cache = new Map<string, Promise<unknown>>();
  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      let hit = cache.get(key) as Promise<T> | undefined;
      if (!hit) {
        hit = load();
        cache.set(key, hit);
      }
      return hit;
    },
  };
}

/** What `value` and `evidence` receive. They only read. */
export interface IndicatorInput {
  /** The request's database handle (or a transaction's, when a scheme is published). */
  readonly db: PrismaClient;
  /** The organizations to compute for — all at once: one batched computation, never a query per organization. */
  readonly organizations: readonly IndicatorOrganization[];
  readonly period: IndicatorPeriod;
  /** The day the computation counts as "today" (deadlines not yet due are not yet missed). */
  readonly today: Date;
  /** Shared with the other indicators of the same computation; absent when an indicator is computed alone. */
  readonly memo?: IndicatorMemo;
}

/**
 * An indicator's value per organization id. `null` means not applicable to that organization (e.g. a share
 * of members' dues where the organization has no members): a scheme scores such an item as not applicable,
 * never as zero. An organization missing from the map counts as `null`.
 */
export type IndicatorValues = ReadonlyMap<string, number | null>;

/** One row behind a value, as a node a UI can open with `node(id:)`. */
export interface IndicatorEvidence {
  /** The GraphQL type of the row (`Meeting`, `Rectification` …); its global id is built from this and `id`. */
  readonly type: string;
  /** The row's database id. */
  readonly id: string;
  /** What the row is, in a line (`支部党员大会 2026-03-12`). */
  readonly label: string;
  /** The row's date, where it has one. */
  readonly date: Date | null;
  /** False for a row shown because it falls short (an overdue rectification in an on-time share). */
  readonly counts: boolean;
}

/** An indicator, as core or a plugin declares it. */
export interface IndicatorDefinition {
  /** Stable id `<owner>.<area>.<name>` (`core.meetings.branchGeneral`, `discipline.rectifications.onTime`). */
  readonly id: string;
  /** Chinese name (`支部党员大会按期召开率`). */
  readonly name: string;
  /** Chinese, then English: what is counted and against which rule. */
  readonly description: string;
  readonly unit: IndicatorUnit;
  readonly direction: IndicatorDirection;
  /** The organization kinds it applies to; for others the value is not applicable. */
  readonly appliesTo: readonly OrganizationKind[];
  /** The value for every organization given, over the period, in a bounded number of statements. */
  value(input: IndicatorInput): Promise<IndicatorValues>;
  /** The rows behind the value of one organization over the period. */
  evidence(
    input: Omit<IndicatorInput, 'organizations'> & { readonly organization: IndicatorOrganization },
  ): Promise<readonly IndicatorEvidence[]>;
}

/** An indicator together with who contributed it: `core`, or a plugin id. */
export interface OwnedIndicator extends IndicatorDefinition {
  readonly owner: string;
}

export const INDICATOR_ID = /^[a-z][a-z0-9-]*(\.[a-z][A-Za-z0-9]*)+$/;

/** An indicator is malformed; the message names it and what is wrong. */
export class IndicatorDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndicatorDefinitionError';
  }
}

/**
 * Checks a list of indicators of one owner and returns them frozen with their owner: ids are
 * `<owner>.<…>` and unique, names and descriptions present, and at least one organization kind.
 */
export function ownIndicators(owner: string, indicators: readonly IndicatorDefinition[]): readonly OwnedIndicator[] {
  const seen = new Set<string>();
  return Object.freeze(
    indicators.map((indicator) => {
      const { id } = indicator;
      if (!INDICATOR_ID.test(id) || !id.startsWith(`${owner}.`)) {
        throw new IndicatorDefinitionError(`${owner}: indicator id "${id}" must be "${owner}.<area>.<name>"`);
      }
      if (seen.has(id)) throw new IndicatorDefinitionError(`${owner}: indicator "${id}" is declared twice`);
      seen.add(id);
      if (!indicator.name.trim() || !indicator.description.trim()) {
        throw new IndicatorDefinitionError(`${owner}: indicator "${id}" needs a name and a description`);
      }
      if (indicator.appliesTo.length === 0)
        throw new IndicatorDefinitionError(`${owner}: indicator "${id}" applies to no organization kind`);
      return Object.freeze({ ...indicator, appliesTo: Object.freeze([...indicator.appliesTo]), owner });
    }),
  );
}
