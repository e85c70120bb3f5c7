import type { Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import type { Database, UserRow } from '../../../../db/schema.js';
import { BATCH_CONCURRENCY } from '../../../batch-rows.js';
import { mapBounded } from '../../../bounded.js';
import { checkAssignments, type AssignmentError, type RawAssignment } from '../../../io/assignment-rows.js';
import type { ProposalClient } from '../../../temporal.js';
import { actorOf } from '../../auth.js';
import { problemFromError } from '../../errors.js';

// A 交办会 batch started from the page: the rows are checked by the same code as `banli assign
// --batch` (checkAssignments: the table's assign schema, known units, proposals the office can
// see), then each proposal's own workflow takes or refuses its assignment, a few at a time, with
// the Update id the API uses (assign:{batchId}:{index}), so a resent form assigns nothing twice.
// The batch runs in this process while the page that started it waits a little; a long one goes
// on after the page has answered, and its page refreshes itself until every row has its result.

export interface BatchRowResult {
  workflowId: string;
  title: string;
  status: 'assigned' | 'refused';
  stage?: string;
  message?: string;
}

export interface BatchJob {
  id: string;
  userId: number;
  total: number;
  done: number;
  startedAt: number;
  finishedAt: number | null;
  results: BatchRowResult[];
  /** Set when the batch as a whole could not run (an unexpected error), never for a row's refusal. */
  failure: string | null;
}

export interface BatchRequest {
  /** The form's own id: the same form sent twice is the same batch. */
  batchId: string;
  workflowIds: string[];
  mode: string;
  units: string[];
}

const KEEP_MS = 2 * 3_600_000;
const MAX_JOBS = 50;
const jobs = new Map<string, BatchJob>();

function sweep(now: number): void {
  for (const [id, j] of jobs) if (j.finishedAt !== null && j.finishedAt + KEEP_MS <= now) jobs.delete(id);
  while (jobs.size >= MAX_JOBS) jobs.delete(jobs.keys().next().value!);
}

export function batchJob(id: string, userId: number): BatchJob | null {
  const job = jobs.get(id);
  return job && job.userId === userId ? job : null;
}

/** The form's problems common to every row (mode, units), said once; nothing is sent when there are any. */
export async function checkBatch(
  db: Kysely<Database>,
  user: UserRow,
  request: BatchRequest,
): Promise<{ errors: AssignmentError[]; rows: Awaited<ReturnType<typeof checkAssignments>>['rows'] }> {
  const raws: RawAssignment[] = request.workflowIds.map((workflowId, i) => ({ where: `第${i + 1}件`, workflowId, mode: request.mode, units: request.units }));
  const checked = await checkAssignments(db, actorOf(user), raws, undefined);
  const seen = new Set<string>();
  const errors = checked.errors.filter((e) => {
    const key = `${e.field}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { errors, rows: checked.rows };
}

/**
 * Starts the checked rows as a job and resolves when it is done or after `waitMs`, whichever
 * comes first; the job goes on either way.
 */
export async function startBatch(
  deps: { db: Kysely<Database>; proposals: ProposalClient },
  user: UserRow,
  batchId: string,
  rows: Awaited<ReturnType<typeof checkAssignments>>['rows'],
  waitMs: number,
  now = Date.now(),
): Promise<BatchJob> {
  sweep(now);
  const id = `${batchId}-${randomBytes(6).toString('base64url')}`;
  const job: BatchJob = { id, userId: user.id, total: rows.length, done: 0, startedAt: now, finishedAt: null, results: [], failure: null };
  jobs.set(id, job);
  const actor = actorOf(user);
  const titles = new Map(
    rows.length === 0
      ? []
      : (
          await deps.db
            .selectFrom('proposals')
            .select(['workflow_id', 'title'])
            .where(
              'workflow_id',
              'in',
              rows.map((r) => r.workflowId),
            )
            .execute()
        ).map((r) => [r.workflow_id, r.title]),
  );
  const run = mapBounded(rows, BATCH_CONCURRENCY, async (row, index): Promise<BatchRowResult> => {
    const title = titles.get(row.workflowId) ?? row.workflowId;
    try {
      const state = await deps.proposals.act(row.workflowId, 'assign', actor, row.input, `assign:${batchId}:${index}`);
      return { workflowId: row.workflowId, title, status: 'assigned', stage: state.stage };
    } catch (err) {
      return { workflowId: row.workflowId, title, status: 'refused', message: problemFromError(err).body.message };
    } finally {
      job.done += 1;
    }
  })
    .then((results) => {
      job.results = results;
    })
    .catch((err: unknown) => {
      job.failure = problemFromError(err).body.message;
    })
    .finally(() => {
      job.finishedAt = Date.now();
    });
  await Promise.race([run, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
  return job;
}
