import { z } from 'zod';
import { putText } from '../../../db/repositories/blobs.js';
import { assignmentRow, BATCH_CONCURRENCY, registrationInput, registrationUpdateId } from '../../batch-rows.js';
import { mapBounded } from '../../bounded.js';
import { findVisibleProposal, NOT_VISIBLE_MESSAGE } from '../../read/visibility.js';
import { actorOf } from '../auth.js';
import type { AppDeps } from '../env.js';
import { problemFromError } from '../errors.js';
import { doorIssues, problemBody, statusOf, type ProblemBody } from '../problem.js';
import type { Routes } from '../route.js';
import { registrationSchema } from '../schemas.js';

// Session-wide batches (a plenary session brings hundreds of proposals at once): every row is
// validated and sent to its own workflow, a few at a time, and answered with its own result.

export const MAX_BATCH = 2000;

type RowResult = { index: number; status: number; workflowId?: string; stage?: string } & Partial<ProblemBody>;

function rowProblem(index: number, body: ProblemBody, workflowId?: string): RowResult {
  return { index, status: statusOf(body.error), ...(workflowId ? { workflowId } : {}), ...body };
}

function invalidRow(index: number, error: z.ZodError): RowResult {
  const issues = doorIssues(error);
  const first = issues[0]!;
  return rowProblem(index, problemBody('INVALID_INPUT', first.field ? `${first.field}：${first.message}` : first.message, first.field, { issues }));
}

const items = (what: string) => z.array(z.unknown(), { message: '请提供 items 数组' }).min(1, '请提供 items 数组').max(MAX_BATCH, `一次最多${what}${MAX_BATCH}件`);

const registrationBatch = z.strictObject({ items: items('登记') });
const assignmentBatch = z.strictObject({
  items: items('交办'),
  batchId: z
    .string()
    .regex(/^[\w-]{4,80}$/, 'batchId 应为4至80个字母、数字、_ 或 -')
    .optional(),
});

export function batchRoutes(r: Routes, deps: AppDeps): void {
  const { db, proposals } = deps;

  r.mount(
    {
      method: 'post',
      roles: ['office', 'committee'],
      path: '/api/proposals/batch',
      summary: '批量登记（逐行返回结果）',
      tag: '批量',
      body: registrationBatch,
      problems: [403],
    },
    async (c, { body }) => {
      const user = c.get('user');
      const sessions = new Set((await db.selectFrom('sessions').select('code').execute()).map((s) => s.code));
      const results = await mapBounded(body.items, BATCH_CONCURRENCY, async (raw, index): Promise<RowResult> => {
        const parsed = registrationSchema.safeParse(raw);
        if (!parsed.success) return invalidRow(index, parsed.error);
        const row = parsed.data;
        if (!sessions.has(row.sessionCode)) return rowProblem(index, problemBody('INVALID_INPUT', `届次「${row.sessionCode}」不存在`, 'sessionCode'));
        try {
          const view = await proposals.register(registrationInput(user, row, await putText(db, row.body)), registrationUpdateId(row));
          return { index, status: 201, workflowId: view.workflowId, stage: view.stage };
        } catch (err) {
          return rowProblem(index, problemFromError(err).body);
        }
      });
      return c.json({ results, created: results.filter((x) => x.status === 201).length, failed: results.filter((x) => x.status !== 201).length });
    },
  );

  /** 交办会: assigns many proposals in one action; each is still validated by its own workflow. */
  r.mount(
    {
      method: 'post',
      roles: ['office'],
      path: '/api/assignments/batch',
      summary: '交办会：批量交办（逐行返回结果）',
      tag: '批量',
      body: assignmentBatch,
      problems: [403],
    },
    async (c, { body }) => {
      const user = c.get('user');
      const actor = actorOf(user);
      const results = await mapBounded(body.items, BATCH_CONCURRENCY, async (raw, index): Promise<RowResult> => {
        const parsed = assignmentRow.safeParse(raw);
        if (!parsed.success) return invalidRow(index, parsed.error);
        const { workflowId, ...input } = parsed.data;
        if (!(await findVisibleProposal(db, actor, workflowId))) return rowProblem(index, problemBody('NOT_FOUND', NOT_VISIBLE_MESSAGE), workflowId);
        try {
          const view = await proposals.act(workflowId, 'assign', actor, input, body.batchId ? `assign:${body.batchId}:${index}` : undefined);
          return { index, status: 200, workflowId, stage: view.stage };
        } catch (err) {
          return rowProblem(index, problemFromError(err).body, workflowId);
        }
      });
      return c.json({ results, assigned: results.filter((x) => x.status === 200).length, failed: results.filter((x) => x.status !== 200).length });
    },
  );
}
