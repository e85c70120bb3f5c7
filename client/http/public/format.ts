import { publicEntryPath } from '../../../activities/publication/entry-path.js';

// Dates as the disclosure sites print them: Beijing time, digits and hyphens (seed 000:
// 发布日期:2024-11-01 18:59, 生成日期:2024-10-25).

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** 2024-11-01 18:59 from an instant. */
export function beijingMinute(iso: string): string {
  const at = new Date(Date.parse(iso) + BEIJING_OFFSET_MS).toISOString();
  return `${at.slice(0, 10)} ${at.slice(11, 16)}`;
}

/** 2024-11-01 from an instant. */
export function beijingDay(iso: string): string {
  return new Date(Date.parse(iso) + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The address of an entry; the publishing step mails the same address. */
export const entryPath = publicEntryPath;
