import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './column-types.js';

// The statistics kept ahead of reading (migration 2026-12-02T1400, client/read/statistics/stored-facts.ts).

/** One row of one figure (client/read/statistics/facts.ts), kept per proposal. */
export interface StatisticsFactTable {
  workflow_id: string;
  figure: string;
  session_code: string;
  unit_id: string | null;
  item: string;
  den_fixed: boolean | null;
  den_from: Timestamp | null;
  num: boolean | null;
  received_date: ColumnType<string | null, string | null, string | null>;
  /** Generated: enters its denominator by time alone. */
  pending: ColumnType<boolean, never, never>;
}

/** A proposal whose statistics rows are out of date (written by triggers, emptied by a read). */
export interface StatisticsDirtyTable {
  id: Generated<string>;
  workflow_id: string;
}

export interface StatisticsUnitCountTable {
  session_code: string;
  figure: string;
  unit_id: string;
  rows: number;
  den: number;
  num: number;
}

export interface StatisticsItemCountTable {
  session_code: string;
  figure: string;
  items: number;
  den: number;
  num: number;
}
