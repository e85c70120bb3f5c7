import type { Hono } from 'hono';
import { shanghaiDate } from '../../workflows/shared/dates.js';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { putText } from '../../db/repositories/blobs.js';
import type { Database, UserRow } from '../../db/schema.js';
import { mapBounded } from '../bounded.js';
import type { ProposalClient } from '../temporal.js';
import { actorOf } from './auth.js';
import { problemFromError } from './errors.js';
import { registrationSchema, zodProblem } from './schemas.js';

// Session-wide batches (a plenary session brings hundreds of proposals at once): every row is
// validated and sent to its own workflow, a few at a time, and answered with its own result.

const BATCH_CONCURRENCY = 8;
const MAX_BATCH = 2000;

interface RowResult {
  index: number;
  status: number;
  workflowId?: string;
  stage?: string;
  error?: string;
  message?: string;
  field?: string;
}

const assignmentRow = z.object({
  workflowId: z.string().min(1, '请指明提案'),
  mode: z.enum(['sole', 'lead', 'split'], { message: '办理方式必须是 sole、lead 或 split' }),
  units: z.array(z.string().min(1)).min(1, '请至少指定一个承办单位'),
});

export function registerBatchRoutes(app: Hono<{ Variables: { user: UserRow } }>, db: Kysely<Database>, proposals: ProposalClient): void {
  app.post('/api/proposals/batch', async (c) => {
    const user = c.get('user');
    if (user.role !== 'office' && user.role !== 'committee') return c.json({ error: 'FORBIDDEN_ROLE', message: '只有交办单位或提案委员会可以登记提案' }, 403);
    const body = (await c.req.json().catch(() => null)) as { items?: unknown[] } | null;
    if (!body || !Array.isArray(body.items) || body.items.length === 0) return c.json({ error: 'INVALID_INPUT', message: '请提供 items 数组', field: 'items' }, 422);
    if (body.items.length > MAX_BATCH) return c.json({ error: 'INVALID_INPUT', message: `一次最多登记${MAX_BATCH}件`, field: 'items' }, 422);
    const sessions = new Set((await db.selectFrom('sessions').select('code').execute()).map((s) => s.code));
    const results = await mapBounded(body.items, BATCH_CONCURRENCY, async (raw, index): Promise<RowResult> => {
      const parsed = registrationSchema.safeParse(raw);
      if (!parsed.success) return { index, status: 422, ...zodProblem(parsed.error) };
      const input = parsed.data;
      if (!sessions.has(input.sessionCode)) return { index, status: 422, error: 'INVALID_INPUT', message: `届次「${input.sessionCode}」不存在`, field: 'sessionCode' };
      try {
        const view = await proposals.register(
          {
            actor: actorOf(user),
            sessionCode: input.sessionCode,
            receiptNo: input.receiptNo,
            title: input.title,
            bodyHash: await putText(db, input.body),
            topic: input.topic ?? null,
            proposerKind: input.proposerKind,
            proposers: input.proposers,
            receivedDate: input.receivedDate ?? shanghaiDate(new Date().toISOString()),
          },
          `register:${input.sessionCode}:${input.receiptNo}`,
        );
        return { index, status: 201, workflowId: view.workflowId, stage: view.stage };
      } catch (err) {
        const problem = problemFromError(err);
        return { index, status: problem.status, ...problem.body };
      }
    });
    return c.json({ results, created: results.filter((r) => r.status === 201).length, failed: results.filter((r) => r.status !== 201).length });
  });

  /** 交办会: assigns many proposals in one action; each is still validated by its own workflow. */
  app.post('/api/assignments/batch', async (c) => {
    const user = c.get('user');
    if (user.role !== 'office') return c.json({ error: 'FORBIDDEN_ROLE', message: '只有交办单位可以交办' }, 403);
    const body = (await c.req.json().catch(() => null)) as { items?: unknown[]; batchId?: string } | null;
    if (!body || !Array.isArray(body.items) || body.items.length === 0) return c.json({ error: 'INVALID_INPUT', message: '请提供 items 数组', field: 'items' }, 422);
    if (body.items.length > MAX_BATCH) return c.json({ error: 'INVALID_INPUT', message: `一次最多交办${MAX_BATCH}件`, field: 'items' }, 422);
    const batchId = typeof body.batchId === 'string' && /^[\w-]{4,80}$/.test(body.batchId) ? body.batchId : null;
    const results = await mapBounded(body.items, BATCH_CONCURRENCY, async (raw, index): Promise<RowResult> => {
      const parsed = assignmentRow.safeParse(raw);
      if (!parsed.success) return { index, status: 422, ...zodProblem(parsed.error) };
      const row = parsed.data;
      try {
        const view = await proposals.act(row.workflowId, 'assign', actorOf(user), { mode: row.mode, units: row.units }, batchId ? `assign:${batchId}:${index}` : undefined);
        return { index, status: 200, workflowId: row.workflowId, stage: view.stage };
      } catch (err) {
        const problem = problemFromError(err);
        return { index, status: problem.status, workflowId: row.workflowId, ...problem.body };
      }
    });
    return c.json({ results, assigned: results.filter((r) => r.status === 200).length, failed: results.filter((r) => r.status !== 200).length });
  });
}
