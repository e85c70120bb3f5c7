import type { Kysely } from 'kysely';
import { enqueueNotification } from '../db/repositories/notifications.js';
import type { Database } from '../db/schema.js';
import { chineseDate, shanghaiDate } from '../workflows/shared/dates.js';

const OPEN = ['drafting', 'signoff', 'approved', 'due', 'adjustment_requested'];
const HORIZON_DAYS = 7;

export interface DigestResult {
  date: string;
  queued: string[];
}

/**
 * 每日汇总: for everyone who chose it, one mail listing their unit's (or, for the office and
 * committee, everyone's) overdue items and those due within a week. Keyed by person and day,
 * so running the digest twice on one day sends nothing twice.
 */
export function makeQueueDailyDigests(db: Kysely<Database>) {
  return async function queueDailyDigests(args: { now: string }): Promise<DigestResult> {
    const date = shanghaiDate(args.now);
    const now = new Date(args.now);
    const horizon = new Date(now.getTime() + HORIZON_DAYS * 86_400_000);
    const people = await db
      .selectFrom('users')
      .select(['id', 'role', 'unit_id', 'email', 'display_name'])
      .where('daily_digest', '=', true)
      .where('disabled', '=', false)
      .where('email', 'is not', null)
      .where('role', 'in', ['liaison', 'leader', 'principal', 'office', 'committee'])
      .execute();
    const queued: string[] = [];
    for (const person of people) {
      let query = db
        .selectFrom('unit_tasks as t')
        .innerJoin('proposals as p', (j) => j.onRef('p.workflow_id', '=', 't.workflow_id').onRef('p.rehandling_round', '=', 't.round'))
        .select(['t.workflow_id', 't.unit_id', 't.due_at', 't.extension_count', 'p.title', 'p.proposal_no', 'p.key_proposal'])
        .where('p.stage', '=', 'handling')
        .where('t.status', 'in', OPEN)
        .where('t.due_at', '<', horizon);
      if (person.unit_id) query = query.where('t.unit_id', '=', person.unit_id);
      const rows = await query.orderBy('t.due_at').limit(200).execute();
      if (rows.length === 0) continue;
      const overdue = rows.filter((r) => r.due_at! < now);
      const soon = rows.filter((r) => r.due_at! >= now);
      const line = (r: (typeof rows)[number]) =>
        `・${r.key_proposal ? '【重点】' : ''}${r.proposal_no ?? ''}《${r.title}》（${r.unit_id}）截止${chineseDate(shanghaiDate(r.due_at!.toISOString()))}${r.extension_count > 0 ? '（已延期）' : ''}`;
      const text = [
        `${person.display_name}：`,
        `截至${chineseDate(date)}，你关注的提案办理事项如下。`,
        overdue.length ? `\n已逾期（${overdue.length}件）：\n${overdue.map(line).join('\n')}` : '',
        soon.length ? `\n${HORIZON_DAYS}日内到期（${soon.length}件）：\n${soon.map(line).join('\n')}` : '',
      ]
        .filter(Boolean)
        .join('\n');
      const key = `digest:${date}:${person.id}`;
      await enqueueNotification(db, {
        idempotencyKey: key,
        workflowId: null,
        kind: 'daily_digest',
        to: [person.email!],
        cc: [],
        subject: `【每日汇总】${chineseDate(date)} 逾期${overdue.length}件、临期${soon.length}件`,
        bodyText: text,
      });
      queued.push(key);
    }
    return { date, queued };
  };
}
