import { describe, expect, it } from 'vitest';
import { fillTaskOutcomes } from '../../db/migrations/2026-12-02T0400-task-outcomes.js';
import { enc } from '../support/http.js';
import { useSuite } from '../support/suite.js';

// What the statistics need, recorded when it happens (unit_tasks.original_due_at, final_class):
// an approved extension moves the current due date and keeps the original; the class of the
// reply a unit sent is set at dispatch and moved by an override after it.

const suite = useSuite();

describe('a unit task’s outcome as recorded', () => {
  it('keeps the original due date through an approved extension, and the final class through an override after dispatch', async () => {
    const { d, db, api, org } = suite;
    const id = await d.assigned('sole');
    const task = () =>
      db
        .selectFrom('unit_tasks')
        .select(['due_at', 'original_due_at', 'final_class'])
        .where('workflow_id', '=', id)
        .where('unit_id', '=', org.units.lead)
        .executeTakeFirstOrThrow();
    const assigned = await task();
    expect(assigned.original_due_at).toEqual(assigned.due_at);
    expect(assigned.final_class).toBeNull();

    const later = new Date(assigned.due_at!.getTime() + 8 * 3600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
    await d.ok('leadLiaison', id, 'requestExtension', { newDate: later, reason: '需要实地调研' });
    await d.ok('office', id, 'decideExtension', { unitId: org.units.lead, decision: 'approve', answer: '同意延期' });
    const extended = await task();
    expect(extended.due_at!.getTime()).toBeGreaterThan(assigned.due_at!.getTime());
    expect(extended.original_due_at).toEqual(assigned.due_at);

    // An override before dispatch changes the draft's class; dispatch records what went out.
    await d.reply(id, 'leadLiaison', 'leadLeader', 'A');
    await d.stage(id, 'dispatched');
    expect((await task()).final_class).toBe('A');
    await d.ok('office', id, 'overrideClass', { unitId: org.units.lead, replyClass: 'B', reason: '承诺事项尚未落实，应为B类' });
    const overridden = await task();
    expect(overridden.final_class).toBe('B');
    expect(overridden.original_due_at).toEqual(assigned.due_at);

    // Rows from before these columns are filled from the event log by the migration.
    await db.updateTable('unit_tasks').set({ original_due_at: null, final_class: null }).where('workflow_id', '=', id).execute();
    await fillTaskOutcomes(db);
    expect(await task()).toMatchObject({ original_due_at: assigned.due_at, final_class: 'B' });

    const view = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(id)}`);
    expect(view.json.tasks[0]).toMatchObject({ originalDueAt: assigned.due_at!.toISOString(), finalClass: 'B' });
  });
});
