import { beforeAll, describe, expect, it } from 'vitest';
import { readOfficeQueues } from '../../client/read/queues.js';
import type { Db } from '../../db/connection.js';
import type { Org } from '../support/context.js';
import type { Driver } from '../support/drive.js';
import { useSuite } from '../support/suite.js';

// The office's queues (client/read/queues.ts) read from what real workflows wrote: a request
// enters its queue when a unit makes it and leaves when the office decides; a reply proposed
// for publication waits for approval; only staff have queues.

const suite = useSuite();
let db: Db;
let org: Org;
let d: Driver;
beforeAll(() => void ({ db, org, d } = suite));

const queues = () => readOfficeQueues(db, org.actors.office);
const ids = (rows: { workflowId: string }[]) => rows.map((r) => r.workflowId);

describe('the office queues', () => {
  it('an adjustment request waits with its unit and reason until the office decides', async () => {
    const id = await d.assigned('sole');
    expect(ids((await queues()).adjustments)).not.toContain(id);
    await d.ok('leadLiaison', id, 'requestAdjustment', { reason: '该事项属于省经信厅职责' });
    const row = (await queues()).adjustments.find((r) => r.workflowId === id);
    expect(row).toMatchObject({ unitId: org.units.lead, reason: '该事项属于省经信厅职责', unitName: expect.stringContaining('浙江省发展和改革委员会') });
    expect(Date.parse(row!.since!)).toBeGreaterThan(Date.now() - 60_000);
    await d.ok('office', id, 'decideAdjustment', { unitId: org.units.lead, decision: 'refuse', answer: '属于本单位职责，请继续办理' });
    expect(ids((await queues()).adjustments)).not.toContain(id);
  });

  it('an extension request waits with the dates asked for until the office decides', async () => {
    const id = await d.assigned('sole');
    const task = await db.selectFrom('unit_tasks').select('due_at').where('workflow_id', '=', id).executeTakeFirstOrThrow();
    const newDate = new Date(new Date(task.due_at!).getTime() + 8 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
    await d.ok('leadLiaison', id, 'requestExtension', { newDate, reason: '需要实地调研' });
    const row = (await queues()).extensions.find((r) => r.workflowId === id);
    expect(row).toMatchObject({ unitId: org.units.lead, to: newDate, reason: '需要实地调研' });
    expect(row!.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await d.ok('office', id, 'decideExtension', { unitId: org.units.lead, decision: 'approve', answer: '同意延期' });
    expect(ids((await queues()).extensions)).not.toContain(id);
  });

  it('a dispatched reply is not dispatching; its publication proposal waits for approval', async () => {
    const id = await d.assigned('sole');
    await d.reply(id);
    await d.stage(id, 'dispatched');
    expect(ids((await queues()).dispatching)).not.toContain(id);
    await d.ok('leadLiaison', id, 'proposePublication', { mode: 'full' });
    const row = (await queues()).publications.find((r) => r.workflowId === id);
    expect(row).toMatchObject({ mode: 'full', unitId: org.units.lead });
    await d.ok('office', id, 'approvePublication', {});
    expect(ids((await queues()).publications)).not.toContain(id);
  });

  it('a signed reply not yet sent is listed as dispatching', async () => {
    // Dispatch follows sign-off within a second, too fast to catch: the task is put in the state
    // it has between the two (approved), as the projection writes it, to read it back.
    const id = await d.assigned('sole');
    await db.updateTable('unit_tasks').set({ status: 'approved' }).where('workflow_id', '=', id).execute();
    const row = (await queues()).dispatching.find((r) => r.workflowId === id);
    expect(row).toMatchObject({ unitId: org.units.lead, reason: null });
    expect(row!.since).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('a liaison has no queues, even for its own unit', async () => {
    const id = await d.assigned('sole');
    await d.ok('leadLiaison', id, 'requestAdjustment', { reason: '不属于本单位职责' });
    expect(ids((await queues()).adjustments)).toContain(id);
    const theirs = await readOfficeQueues(db, org.actors.leadLiaison);
    expect(theirs).toEqual({ adjustments: [], extensions: [], dispatching: [], publications: [] });
  });
});
