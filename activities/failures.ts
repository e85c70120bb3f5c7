import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../workflows/shared/failures.js';

// Which errors no retry can cure. PostgreSQL refuses bad data with SQLSTATE class 22 (data
// exception: an impossible date, a NUL byte, a value out of range) or 23 (integrity: a missing
// unit or blob, a duplicate key). Retrying such a step only keeps a person waiting and holds the
// proposal's lock; it must fail at once, typed, so the Update is refused with a message and the
// proposal stays usable. Everything else (a connection refused, a timeout) is transient and
// retries under the activity's bounded policy.

interface PgError {
  code?: unknown;
  constraint?: unknown;
  column?: unknown;
  detail?: unknown;
}

function sqlState(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const code = (err as PgError).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

const MESSAGES: Record<string, string> = {
  '22007': '日期或时间无效，请检查填写的日期',
  '22008': '日期超出可接受的范围，请检查填写的日期',
  '22P05': '文字中含有无法保存的字符，请删除后重试',
  '22021': '文字中含有无法保存的字符，请删除后重试',
  '22001': '填写的内容太长',
  '22003': '数值超出范围',
  '23503': '引用的对象不存在（单位、正文或提案），请刷新后重试',
  '23505': '与已有记录重复',
};

/** The error as a non-retryable DATA_REJECTED failure when PostgreSQL refused the data; else null. */
export function dataRejection(err: unknown): ApplicationFailure | null {
  if (err instanceof ApplicationFailure) return null;
  const state = sqlState(err);
  if (!state || !(state.startsWith('22') || state.startsWith('23'))) return null;
  const pg = err as PgError;
  const where = typeof pg.constraint === 'string' ? ` (${pg.constraint})` : typeof pg.column === 'string' ? ` (${pg.column})` : '';
  return ApplicationFailure.create({
    type: FailureType.DATA_REJECTED,
    message: `${MESSAGES[state] ?? '数据不符合要求，未能保存'}${where}`,
    details: [{ sqlState: state }],
    nonRetryable: true,
    cause: err instanceof Error ? err : undefined,
  });
}
