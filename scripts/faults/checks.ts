import type { Db } from '../../db/connection.js';
import { readCaughtMail } from '../lib/mail-catcher.js';
import { addCount, check, type Counted, type ScenarioReport } from './report.js';

// Counting after a fault, from what outlives it: the event log (one row per applied step), the
// outbox (one row per mail, with its status) against what the SMTP catcher received (by the
// X-Banli-Key header every mail carries), and the numbers taken (proposal numbers per session,
// reply numbers per unit). Duplicated = more than once; lost = expected and not there.

export async function eventCounts(db: Db, expected: Map<string, string[]>): Promise<Counted & { mismatched: string[] }> {
  const ids = [...expected.keys()];
  const rows = ids.length ? await db.selectFrom('events').select(['workflow_id', 'step']).where('workflow_id', 'in', ids).orderBy('id').execute() : [];
  const actual = new Map<string, string[]>();
  for (const r of rows) actual.set(r.workflow_id, [...(actual.get(r.workflow_id) ?? []), r.step]);
  let duplicated = 0;
  let lost = 0;
  let expectedTotal = 0;
  const mismatched: string[] = [];
  for (const [id, want] of expected) {
    expectedTotal += want.length;
    const got = actual.get(id) ?? [];
    const remaining = [...got];
    for (const step of want) {
      const at = remaining.indexOf(step);
      if (at === -1) lost += 1;
      else remaining.splice(at, 1);
    }
    duplicated += remaining.length;
    if (got.join(',') !== want.join(',')) mismatched.push(`${id}: [${got.join(', ')}], expected [${want.join(', ')}]`);
  }
  return {
    label: 'events',
    total: rows.length,
    expected: expectedTotal,
    duplicated,
    lost,
    mismatched,
    ...(mismatched.length ? { note: `${mismatched.length} proposals with other steps or order` } : {}),
  };
}

/**
 * A header as the catcher stored it: nodemailer writes a non-ASCII value (our keys carry the
 * session's Chinese name) as RFC 2047 encoded words, which mailparser leaves encoded for headers
 * it does not know. Adjacent words are joined before decoding (a character may span two).
 */
export function decodeHeader(value: string): string {
  if (!value.includes('=?')) return value;
  const word = /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g;
  const out: string[] = [];
  let bytes: number[] = [];
  let last = 0;
  const flush = () => {
    if (bytes.length) out.push(Buffer.from(bytes).toString('utf8'));
    bytes = [];
  };
  for (let m = word.exec(value); m; m = word.exec(value)) {
    const between = value.slice(last, m.index);
    if (between.trim() !== '') {
      flush();
      out.push(between);
    }
    const text = m[3]!;
    if (m[2]!.toUpperCase() === 'B') bytes.push(...Buffer.from(text, 'base64'));
    else {
      for (let i = 0; i < text.length; i++) {
        const ch = text[i]!;
        if (ch === '_') bytes.push(0x20);
        else if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
          bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
          i += 2;
        } else bytes.push(ch.charCodeAt(0));
      }
    }
    last = m.index + m[0].length;
  }
  flush();
  out.push(value.slice(last));
  return out.join('');
}

/** Caught mails per outbox key, and Message-IDs that more than one key shares. */
export function caughtByKey(mailDir: string): { byKey: Map<string, number>; sharedMessageIds: Map<string, Set<string>> } {
  const byKey = new Map<string, number>();
  const keysOfMessageId = new Map<string, Set<string>>();
  for (const m of readCaughtMail(mailDir)) {
    const raw = m.headers['x-banli-key'];
    if (!raw) continue;
    const key = decodeHeader(raw);
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
    if (m.messageId) keysOfMessageId.set(m.messageId, (keysOfMessageId.get(m.messageId) ?? new Set()).add(key));
  }
  return { byKey, sharedMessageIds: new Map([...keysOfMessageId].filter(([, keys]) => keys.size > 1)) };
}

export interface MailState {
  rows: number;
  pending: number;
  sent: number;
  failed: number;
}

async function outboxRows(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  // A row without recipients is skipped by delivery and never sent: not a mail.
  return db
    .selectFrom('notifications')
    .select(['idempotency_key', 'workflow_id', 'kind', 'status', 'attempts', 'last_error'])
    .where('workflow_id', 'in', ids)
    .where((eb) => eb.fn('cardinality', [eb.ref('to_addrs')]), '>', 0)
    .execute();
}

export async function outboxState(db: Db, ids: string[]): Promise<MailState> {
  const rows = await outboxRows(db, ids);
  return {
    rows: rows.length,
    pending: rows.filter((r) => r.status === 'pending').length,
    sent: rows.filter((r) => r.status === 'sent').length,
    failed: rows.filter((r) => r.status === 'failed').length,
  };
}

/** Waits until no outbox row of these proposals is pending (or the time is up); returns the last state. */
export async function outboxSettled(db: Db, ids: string[], timeoutMs: number, minRows = 0): Promise<MailState & { settled: boolean; waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    const state = await outboxState(db, ids);
    const settled = state.pending === 0 && state.rows >= minRows;
    if (settled || Date.now() - started > timeoutMs) return { ...state, settled, waitedMs: Date.now() - started };
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Mails against the outbox: a row marked sent must have been caught once; a row marked failed
 * must not have been caught (else the office is told a mail failed that people did get); a row
 * still pending is lost; a key caught twice is a duplicate.
 */
export async function mailCounts(
  db: Db,
  mailDir: string,
  ids: string[],
  label = 'mails',
): Promise<Counted & { state: MailState; byKind: Record<string, number>; caughtOfFailed: number; sharedMessageIds: string[][] }> {
  const rows = await outboxRows(db, ids);
  const { byKey: caught, sharedMessageIds } = caughtByKey(mailDir);
  const ours = new Set(rows.map((r) => r.idempotency_key));
  const shared = [...sharedMessageIds.values()].filter((keys) => [...keys].some((k) => ours.has(k)));
  let duplicated = 0;
  let lost = 0;
  let total = 0;
  let caughtOfFailed = 0;
  const byKind: Record<string, number> = {};
  for (const r of rows) {
    const n = caught.get(r.idempotency_key) ?? 0;
    total += n;
    byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
    if (n > 1) duplicated += n - 1;
    if (r.status === 'pending') lost += 1;
    else if (r.status === 'sent' && n === 0) lost += 1;
    else if (r.status === 'failed' && n > 0) caughtOfFailed += 1;
  }
  const state = {
    rows: rows.length,
    pending: rows.filter((r) => r.status === 'pending').length,
    sent: rows.filter((r) => r.status === 'sent').length,
    failed: rows.filter((r) => r.status === 'failed').length,
  };
  return {
    label,
    total,
    expected: state.sent,
    duplicated,
    lost,
    state,
    byKind,
    caughtOfFailed,
    sharedMessageIds: shared.map((keys) => [...keys]),
    note: `outbox rows ${state.rows}: sent ${state.sent}, recorded failed ${state.failed}, pending ${state.pending}${caughtOfFailed ? `; ${caughtOfFailed} marked failed yet delivered` : ''}`,
  };
}

/** Proposal numbers of one session: one per filed proposal, none taken twice, no serial left unused. */
export async function proposalNumberCounts(db: Db, sessionCode: string, ids: string[]): Promise<Counted> {
  const allocations = await db.selectFrom('proposal_number_allocations').select(['serial', 'proposal_no']).where('session_code', '=', sessionCode).execute();
  const proposals = ids.length ? await db.selectFrom('proposals').select(['workflow_id', 'proposal_no']).where('workflow_id', 'in', ids).execute() : [];
  const numbers = proposals.map((p) => p.proposal_no).filter((n): n is string => !!n);
  const duplicatedNumbers = numbers.length - new Set(numbers).size;
  const serials = new Set(allocations.map((a) => a.serial));
  const max = Math.max(0, ...serials);
  // Numbers taken but used by no proposal are holes in the register: lost too.
  const used = new Set(numbers);
  const unused = allocations.filter((a) => !used.has(a.proposal_no)).length;
  const gaps = max - serials.size;
  return {
    label: 'proposal numbers',
    total: numbers.length,
    expected: ids.length,
    duplicated: duplicatedNumbers + (allocations.length - serials.size),
    lost: ids.length - numbers.length + unused + gaps,
    note: `allocated ${allocations.length}, serials 1..${max}`,
  };
}

/** Reply numbers (文号) of these units: one per dispatched reply, unique, serials without holes. */
export async function replyNumberCounts(db: Db, unitIds: string[], ids: string[]): Promise<Counted> {
  const taken = unitIds.length
    ? await db.selectFrom('doc_numbers').select(['unit_id', 'serial', 'doc_no', 'kind']).where('unit_id', 'in', unitIds).where('kind', '=', 'reply').execute()
    : [];
  const proposals = ids.length ? await db.selectFrom('proposals').select(['workflow_id', 'reply_doc_no', 'stage']).where('workflow_id', 'in', ids).execute() : [];
  const numbers = proposals.map((p) => p.reply_doc_no).filter((n): n is string => !!n);
  const used = new Set(numbers);
  let gaps = 0;
  for (const unit of unitIds) {
    const serials = taken.filter((t) => t.unit_id === unit).map((t) => t.serial);
    gaps += Math.max(0, ...serials) - new Set(serials).size;
  }
  return {
    label: 'reply numbers',
    total: numbers.length,
    expected: ids.length,
    duplicated: numbers.length - new Set(numbers).size + (taken.length - new Set(taken.map((t) => t.doc_no)).size),
    lost: ids.length - numbers.length + taken.filter((t) => !used.has(t.doc_no)).length + gaps,
    note: `taken ${taken.length}`,
  };
}

/** Unit tasks: exactly the expected (proposal, unit) pairs, each once. */
export async function unitTaskCounts(db: Db, expected: Map<string, string[]>): Promise<Counted> {
  const ids = [...expected.keys()];
  const rows = ids.length ? await db.selectFrom('unit_tasks').select(['workflow_id', 'unit_id', 'round']).where('workflow_id', 'in', ids).execute() : [];
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(`${r.workflow_id}|${r.unit_id}`, (seen.get(`${r.workflow_id}|${r.unit_id}`) ?? 0) + 1);
  let duplicated = 0;
  let lost = 0;
  let expectedTotal = 0;
  for (const [id, units] of expected) {
    for (const u of units) {
      expectedTotal += 1;
      const n = seen.get(`${id}|${u}`) ?? 0;
      if (n === 0) lost += 1;
      if (n > 1) duplicated += n - 1;
      seen.delete(`${id}|${u}`);
    }
  }
  // Tasks for units nobody assigned count as duplicates of the assignment.
  for (const n of seen.values()) duplicated += n;
  return { label: 'unit tasks', total: rows.length, expected: expectedTotal, duplicated, lost };
}

export async function stagesOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  const rows = ids.length ? await db.selectFrom('proposals').select(['workflow_id', 'stage']).where('workflow_id', 'in', ids).execute() : [];
  return new Map(rows.map((r) => [r.workflow_id, r.stage]));
}

/** Adds the mail count to a report, with what else mail must satisfy there. */
export function recordMails(report: ScenarioReport, mails: Awaited<ReturnType<typeof mailCounts>>, options: { failedAllowed: boolean }): void {
  addCount(report, mails);
  if (!options.failedAllowed) check(report, mails.state.failed === 0, `${mails.state.failed} mails recorded failed while the SMTP server was up`);
  check(report, mails.caughtOfFailed === 0, `${mails.caughtOfFailed} mails recorded failed on their outbox row were delivered all the same`);
  for (const keys of mails.sharedMessageIds)
    report.failures.push(`one Message-ID for ${keys.length} different mails (a relay or client that dedupes by Message-ID drops all but one): ${keys.join(' | ')}`);
}
