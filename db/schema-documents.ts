import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { CreatedAt, Timestamp } from './column-types.js';

// The tables of letters as documents (styles, numbers, renditions) and of their publication, kept
// apart from db/schema.ts for its size; schema.ts re-exports them and lists them in Database.

export interface LetterStyleTable {
  key: string; // 'deployment' | 'unit:<unit id>'
  unit_id: string | null;
  body: JSONColumnType<Record<string, unknown>>; // a LetterStylePatch (activities/documents/letter-style.ts)
  updated_by: number | null;
  updated_at: Timestamp;
}

export interface LetterOverrideTable {
  workflow_id: string;
  body: JSONColumnType<Record<string, unknown>>; // a LetterOverride
  updated_by: number | null;
  updated_at: Timestamp;
}

export interface DocumentRenditionTable {
  document_id: number;
  format: 'docx' | 'html' | 'model';
  mime: string;
  sha256: string;
  size: number;
  content: Buffer;
  created_at: CreatedAt;
}

export interface PublicationTable {
  workflow_id: string;
  mode: 'full' | 'summary' | 'none';
  reason: string | null;
  status: 'proposed' | 'approved';
  proposed_by: number | null;
  approved_by: number | null;
  index_no: string | null;
  updated_at: Timestamp;
  unit_id: string | null;
  letter_document_id: number | null;
  public_document_id: number | null;
  doc_no: string | null; // 文件编号
  organ: string | null; // 发布机构
  classification: string | null; // 组配分类
  generated_on: ColumnType<string | null, string | null | undefined, string | null>; // 生成日期 (the letter's date)
  due_date: ColumnType<string | null, string | null | undefined, string | null>; // the publication window's last day
  published_at: Timestamp | null; // 发布日期
}

/**
 * One published letter: a split proposal's decision publishes each unit's letter under its own
 * 索引号; the columns of the same name in publications keep the first, for the office's views.
 */
export interface PublicationEntryTable {
  workflow_id: string;
  unit_id: string;
  index_no: string;
  letter_document_id: number;
  public_document_id: number;
  doc_no: string | null; // 文件编号
  organ: string; // 发布机构
  classification: string; // 组配分类
  generated_on: ColumnType<string | null, string | null | undefined, string | null>; // 生成日期
  published_at: Timestamp; // 发布日期
}

export interface PublicationProfileTable {
  unit_id: string;
  org_code: string; // 002482031: the 索引号's first part
  organ: string; // 发布机构: 省发展改革委
  classification: Generated<string>; // 组配分类: 政协委员提案
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PublicationSequenceTable {
  org_code: string;
  year: number;
  last_serial: number;
}

export interface UnitDocSequenceTable {
  unit_id: string;
  year: number;
  kind: 'reply' | 'opinion';
  last_serial: number;
}

export interface DocNumberTable {
  // Which step took which number: a retried dispatch finds its number here instead of taking a new one.
  idempotency_key: string;
  unit_id: string;
  year: number;
  kind: 'reply' | 'opinion';
  serial: number;
  doc_no: string;
  created_at: CreatedAt;
}
