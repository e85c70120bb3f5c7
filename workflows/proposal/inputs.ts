import { z } from 'zod';
import { isValidIsoDate } from '../shared/dates.js';

// Building blocks of the action input schemas in machine.ts. The same schema parses a request
// at the HTTP door and runs again in the Update's validator, so nothing unchecked reaches a
// workflow or the database. Business rules that need the proposal (stage, unit, policy) stay
// in each action's own check.

/** NUL and lone surrogates pass JSON but PostgreSQL (text, jsonb) refuses them. */
function storable(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0) return false;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (code >= 0xdc00 && code <= 0xdfff) return false;
  }
  return true;
}

const UNSTORABLE = '含有无法保存的字符（空字符或不成对的代理字符），请删除后重试';

/** Free text of at most `max` characters; emptiness is the action's own check, with its own words. */
export function text(label: string, max: number) {
  return z
    .string({ error: `请填写${label}` })
    .max(max, `${label}不能超过${max}字`)
    .refine(storable, `${label}${UNSTORABLE}`);
}

export const optionalText = (label: string, max: number) => text(label, max).nullish();

/** An e-mail address a person typed (trimmed); optional. */
export const optionalEmail = (label: string) =>
  text(label, 200)
    .trim()
    .pipe(z.email({ error: `${label}格式不正确，如 leader@example.gov.cn` }))
    .nullish();

/** A real calendar date, YYYY-MM-DD, in a year the calendar and PostgreSQL can both hold. */
export function isoDay(label: string) {
  return z
    .string({ error: `请填写${label}` })
    .refine((d) => isValidIsoDate(d) && d >= '1949-10-01' && d <= '2099-12-31', `${label}必须是 YYYY-MM-DD 格式的有效日期（1949-10-01 至 2099-12-31）`);
}

/** sha-256 of a text the door stored; the client sends the text, never the hash. */
export const textHash = z.string().regex(/^[0-9a-f]{64}$/, '正文引用无效，请重新提交正文');

export const unitId = (label: string) => text(label, 100);

export const HANDLING_MODES = ['sole', 'lead', 'split'] as const;
export const CONSULTATION_WAY_VALUES = ['face_to_face', 'phone', 'letter', 'site_visit', 'forum'] as const;
export const SATISFACTION_VALUES = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export const PUBLICATION_MODES = ['full', 'summary', 'none'] as const;
