import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { FailureType } from '../workflows/shared/failures.js';

// 并案 into a proposal that can take it: one that exists, in the same session, still open for
// handling. Asked before the step is recorded, so a merge into a missing or closed proposal is
// refused with a message instead of leaving a proposal merged into nothing.

export interface CheckMergeTargetArgs {
  workflowId: string;
  sessionCode: string;
  target: string;
}

const OPEN_FOR_MERGE = ['received', 'filed', 'handling'];

const refuse = (message: string) => ApplicationFailure.create({ type: FailureType.INVALID_INPUT, message, details: [{ field: 'mergedInto' }], nonRetryable: true });

export function makeCheckMergeTarget(db: Kysely<Database>) {
  return async function checkMergeTarget(args: CheckMergeTargetArgs): Promise<{ title: string; proposalNo: string | null }> {
    const target = await db
      .selectFrom('proposals')
      .select(['session_code', 'stage', 'title', 'proposal_no'])
      .where('workflow_id', '=', args.target)
      .executeTakeFirst();
    if (!target) throw refuse(`并入的提案「${args.target}」不存在，请核对`);
    if (target.session_code !== args.sessionCode) throw refuse(`并入的提案属于${target.session_code}，与本提案（${args.sessionCode}）不是同一届次，不能并案`);
    if (!OPEN_FOR_MERGE.includes(target.stage)) throw refuse(`并入的提案《${target.title}》已不在办理中（当前阶段：${target.stage}），不能并案`);
    return { title: target.title, proposalNo: target.proposal_no };
  };
}
