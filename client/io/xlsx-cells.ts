import type { CellValue } from 'exceljs';
import { inflateRawSync } from 'node:zlib';
import { formatIsoDate } from '../../workflows/shared/dates.js';

// Reading cells the way an office fills them in: text typed, pasted (rich text), linked (an
// e-mail address Excel turned into a hyperlink) or computed (a formula's result); dates as real
// Excel dates, as serial numbers in a column that lost its format, or as text in the usual
// Chinese forms. And a guard on the file itself before exceljs unpacks it.

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Excel's own limit on the text in one cell. */
export const EXCEL_CELL_MAX = 32_767;

/** A cell as trimmed text; '' when empty. */
export function cellText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return isoDayOf(value);
  if ('richText' in value)
    return value.richText
      .map((run) => run.text)
      .join('')
      .trim();
  if ('hyperlink' in value) {
    const shown = value.text as unknown;
    // A link's shown text may itself be rich text.
    return typeof shown === 'string' ? shown.trim() : cellText(shown as CellValue);
  }
  if ('error' in value) return String(value.error);
  if ('result' in value) return cellText(value.result);
  return '';
}

function isoDayOf(date: Date): string {
  // exceljs gives a date cell as the UTC instant of its wall-clock date: read it back in UTC.
  return formatIsoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** Day 0 of Excel's 1900 date system as Excel counts it (with its 1900-02-29), valid from serial 61. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * A date cell as YYYY-MM-DD when it can be read as one; otherwise the text as it stands, so the
 * registration schema refuses it with its own words. '' when empty.
 */
export function cellDay(value: CellValue | undefined): string {
  if (value instanceof Date) return isoDayOf(value);
  if (value !== null && typeof value === 'object' && 'result' in value && value.result instanceof Date) return isoDayOf(value.result);
  if (typeof value === 'number') {
    // A serial number: the column lost its date format (or the cell was pasted as a value).
    if (value >= 61 && value < 2_958_466) return isoDayOf(new Date(EXCEL_EPOCH_MS + Math.floor(value) * 86_400_000));
    return String(value);
  }
  const text = cellText(value);
  const m = /^(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return text;
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
}

/** Splits a list typed in one cell: 张三、李四 (also ，, ；; and line breaks); empty places are kept. */
export function splitList(text: string): string[] {
  if (!text.trim()) return [];
  return text.split(/[、，,；;\n]/).map((s) => s.trim());
}

export interface ArchiveLimits {
  /** The unpacked size of every part together. */
  maxUnpackedBytes: number;
  maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxUnpackedBytes: 256 * 1024 * 1024, maxEntries: 5_000 };

/**
 * Why these bytes cannot be an .xlsx worth opening, or null. An .xlsx is a ZIP archive: the
 * parts are inflated here against a budget first, because exceljs inflates every part in memory
 * and a small hostile file can unpack to gigabytes whatever sizes it declares.
 */
export function archiveProblem(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): string | null {
  const notXlsx = '文件不是有效的 .xlsx 工作簿（请在 Excel 或 WPS 中“另存为 .xlsx”后再上传）';
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50) return notXlsx;
  // The end-of-central-directory record sits in the last 22 bytes plus at most a 64 KB comment.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return notXlsx;
  const entries = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || at === 0xffffffff) return '文件过大（ZIP64 格式），请拆分后分批导入';
  if (entries > limits.maxEntries) return `文件包含的部件过多（${entries}个），不像是一个提案工作簿`;
  let budget = limits.maxUnpackedBytes;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) return notXlsx;
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const local = buf.readUInt32LE(at + 42);
    const next = at + 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) return notXlsx;
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (start + compressed > buf.length) return notXlsx;
    const data = buf.subarray(start, start + compressed);
    let size: number;
    if (method === 0) size = data.length;
    else if (method === 8) {
      try {
        size = inflateRawSync(data, { maxOutputLength: budget + 1 }).length;
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return tooBig(limits);
        return notXlsx;
      }
    } else return notXlsx;
    budget -= size;
    if (budget < 0) return tooBig(limits);
    at = next;
  }
  return null;
}

function tooBig(limits: ArchiveLimits): string {
  return `工作簿解压后超过 ${Math.round(limits.maxUnpackedBytes / 1024 / 1024)} MB，请拆分后分批导入`;
}
