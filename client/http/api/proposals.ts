import { listCursor } from '../../read/list-cursor.js';
import { listEvents } from '../../../db/repositories/events.js';
import { listTaskRows } from '../../../db/repositories/proposal-reads.js';
import { proposalWorkflowId } from '../../../workflows/shared/ids.js';
import { processView } from '../../read/process-view.js';
import { eventViews, proposalView, unitTaskView } from '../../read/views.js';
import { findVisibleProposal, listVisibleProposals, NOT_VISIBLE_MESSAGE } from '../../read/visibility.js';
import { actorOf } from '../auth.js';
import type { AppDeps } from '../env.js';
import { IDEMPOTENCY_HEADER, idempotencyKeyOf } from '../idempotency.js';
import { problem } from '../problem.js';
import { MAY_NOT_REGISTER, mayRegister, registerProposal } from '../register-proposal.js';
import type { Routes } from '../route.js';
import { listQuery, proposalParams, registrationSchema, workflowIdQuery } from '../schemas.js';

// Proposals as a resource: register (登记, through register-proposal.ts, shared with the office's
// page), list, read one with its unit tasks, live state and audit trail. Reads go through the
// one visibility rule; changes go through the workflow.

export function proposalRoutes(r: Routes, deps: AppDeps): void {
  const { db, proposals } = deps;

  r.mount(
    {
      method: 'post',
      path: '/api/proposals',
      roles: ['office', 'committee'],
      summary: '登记提案（交办单位或提案委员会）',
      tag: '提案',
      body: registrationSchema,
      ok: { status: 201, description: '{ workflowId, proposal }' },
      problems: [403, 409, 503],
    },
    async (c, { body }) => {
      const user = c.get('user');
      if (!mayRegister(user)) return problem(c, 'FORBIDDEN_ROLE', MAY_NOT_REGISTER);
      const key = idempotencyKeyOf(c);
      if (key instanceof Response) return key;
      const outcome = await registerProposal(deps, user, body, key);
      if (outcome.ok) return c.json({ workflowId: outcome.state.workflowId, proposal: processView(outcome.state, actorOf(user)) }, 201);
      if (outcome.retryAfterSeconds !== undefined) {
        c.header('Retry-After', String(outcome.retryAfterSeconds));
        c.header(IDEMPOTENCY_HEADER, key.key);
      }
      return c.json(outcome.problem, outcome.status);
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/proposals',
      summary: '我能看到的提案（按登记时间倒序）；翻页用上一页返回的 next 作 after',
      tag: '提案',
      query: listQuery,
      ok: { status: 200, description: '{ items: ProposalView[], next: 下一页的 after，或 null }' },
      problems: [422],
    },
    async (c, { query }) => {
      const viewer = actorOf(c.get('user'));
      if (query.after && query.offset > 0) return problem(c, 'INVALID_INPUT', 'after 与 offset 不能同时使用：按 next 翻页时不需要 offset', 'offset');
      const rows = await listVisibleProposals(db, viewer, {
        sessionCode: query.session,
        stage: query.stage,
        limit: query.limit,
        offset: query.offset,
        after: query.after,
      });
      const last = rows.at(-1);
      const next = rows.length === query.limit && last ? listCursor(last) : null;
      return c.json({ items: rows.map((row) => proposalView(row, viewer)), limit: query.limit, offset: query.offset, next });
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/proposals/{id}',
      summary: '提案详情：登记信息、各单位任务与实时办理状态',
      tag: '提案',
      params: proposalParams,
      ok: { status: 200, description: '{ proposal: ProposalView, tasks: UnitTaskView[], live: 调用者所见的办理状态 | null }' },
      problems: [404],
    },
    async (c, { params }) => {
      const viewer = actorOf(c.get('user'));
      const row = await findVisibleProposal(db, viewer, params.id);
      if (!row) return problem(c, 'NOT_FOUND', NOT_VISIBLE_MESSAGE);
      const tasks = await listTaskRows(db, row.workflow_id);
      // The read model answers even when Temporal does not; the live part is then left out.
      const live = await proposals.state(row.workflow_id).catch(() => null);
      return c.json({
        proposal: proposalView(row, viewer),
        tasks: tasks.map((t) => unitTaskView(t, viewer)),
        live: live ? processView(live, viewer) : null,
      });
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/proposals/{id}/events',
      summary: '办理记录（审计轨迹），按角色可见',
      tag: '提案',
      params: proposalParams,
      ok: { status: 200, description: '{ items: EventView[] }' },
      problems: [404],
    },
    async (c, { params }) => {
      const viewer = actorOf(c.get('user'));
      const row = await findVisibleProposal(db, viewer, params.id);
      if (!row) return problem(c, 'NOT_FOUND', NOT_VISIBLE_MESSAGE);
      return c.json({ items: eventViews(await listEvents(db, row.workflow_id), viewer) });
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/workflow-id',
      summary: '由届次和登记号得出提案的 workflowId',
      tag: '提案',
      query: workflowIdQuery,
      ok: { status: 200, description: '{ workflowId }' },
    },
    (c, { query }) => c.json({ workflowId: proposalWorkflowId(query.session, query.receipt) }),
  );
}
