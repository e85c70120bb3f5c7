import { z } from 'zod';
import { cachedCalendarLoader } from '../../../activities/deadlines/calendar-cache.js';
import { deadlineClockEvents, openDeadlines } from '../../../workflows/proposal/clock.js';
import { text } from '../../../workflows/proposal/inputs.js';
import { audienceOf, findVisibleProposal, NOT_VISIBLE_MESSAGE } from '../../read/visibility.js';
import { readWorklist, worklistRefusal } from '../../read/worklists.js';
import { actorOf } from '../auth.js';
import type { AppDeps } from '../env.js';
import { problem } from '../problem.js';
import type { Routes } from '../route.js';
import { page, proposalParams } from '../schemas.js';

// Deadlines people can trust: every due date of a proposal with its explanation and what
// happens next and when, and the worklists of what is late or due soon.

const worklistParams = z.object({ kind: z.enum(['overdue', 'due-soon'], { message: '清单类型应为 overdue 或 due-soon' }) });
const worklistQuery = z.object({
  days: z.coerce.number({ message: 'days 必须是整数' }).int('days 必须是整数').min(1, 'days 最小为1').max(90, 'days 最大为90').default(7),
  unit: text('单位', 100).optional(),
  session: text('届次', 60).optional(),
  limit: page(500, 5000).limit,
});

export function deadlineRoutes(r: Routes, deps: AppDeps): void {
  const { db, proposals } = deps;
  const calendarNow = cachedCalendarLoader(db);

  r.mount(
    {
      method: 'get',
      path: '/api/proposals/{id}/deadlines',
      summary: '期限说明：每个未到期限的日期、依据和接下来的提醒与催办',
      tag: '期限',
      params: proposalParams,
      problems: [404],
    },
    async (c, { params }) => {
      const viewer = actorOf(c.get('user'));
      const row = await findVisibleProposal(db, viewer, params.id);
      if (!row) return problem(c, 'NOT_FOUND', NOT_VISIBLE_MESSAGE);
      const state = await proposals.state(row.workflow_id);
      if (!state) return problem(c, 'NOT_FOUND', NOT_VISIBLE_MESSAGE);
      const audience = audienceOf(viewer);
      const now = Date.now();
      const ctx = { round: state.round, keyProposal: state.keyProposal, clock: state.policy.body.clock };
      const items = openDeadlines(state)
        // A unit sees its own clocks; a proposer sees when answers are due, not the internal ladder.
        .filter(({ unitId }) => audience !== 'unit' || unitId === viewer.unitId)
        .map(({ deadline, unitId, kind }) => ({
          key: deadline.key,
          kind,
          unitId,
          dueDate: deadline.dueDate,
          dueAt: deadline.dueAt,
          status: deadline.extensions.length > 0 && now <= Date.parse(deadline.dueAt) ? 'extended' : now > Date.parse(deadline.dueAt) ? 'overdue' : 'open',
          why: deadline.explanation,
          calendarConfirmed: deadline.calendarConfirmed,
          extensions: audience === 'proposer' ? deadline.extensions.map((e) => ({ from: e.from, to: e.to })) : deadline.extensions,
          ...(audience === 'proposer' ? {} : { pendingExtension: deadline.pendingExtension }),
          ceilingDate: deadline.ceilingDate,
          // Whoever keeps the clock (the proposal or the unit's own task), these are still to come.
          next:
            audience === 'proposer' || kind === 'feedback'
              ? []
              : deadlineClockEvents(deadline, unitId, ctx)
                  .filter((e) => e.at > now)
                  .sort((a, b) => a.at - b.at)
                  .map((e) => ({ at: new Date(e.at).toISOString(), what: e.kind === 'reminder' ? '到期提醒' : `逾期催办（${e.rung}）`, to: e.rung })),
        }));
      return c.json({ workflowId: row.workflow_id, stage: state.stage, items });
    },
  );

  /** 逾期清单 / 临期清单 for the office and committee (a unit sees its own). */
  r.mount(
    {
      method: 'get',
      path: '/api/worklists/{kind}',
      roles: ['office', 'committee', 'admin', 'liaison', 'leader', 'principal'],
      summary: '逾期清单（overdue）与临期清单（due-soon）；承办单位只看到本单位的',
      tag: '期限',
      params: worklistParams,
      query: worklistQuery,
      problems: [403],
    },
    async (c, { params, query }) => {
      const viewer = actorOf(c.get('user'));
      const refused = worklistRefusal(viewer);
      if (refused) return problem(c, 'FORBIDDEN_ROLE', refused);
      return c.json(await readWorklist(db, calendarNow, viewer, { kind: params.kind, ...query }));
    },
  );
}
