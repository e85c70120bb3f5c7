import { beforeAll, describe, expect, it } from 'vitest';
import { useSuite } from '../support/suite.js';
import type { Db } from '../../db/connection.js';
import { jointProposal, uniq, type Org } from '../support/context.js';
import { Driver } from '../support/drive.js';
import type { Api } from '../support/http.js';

const suite = useSuite();
let db: Db;
let api: Api;
let org: Org;
let d: Driver;
beforeAll(() => void ({ db, api, org, d } = suite));

describe('session batches', () => {
  it('registers a batch row by row: good rows start, bad rows say why, a retried batch creates nothing twice', async () => {
    const rows = Array.from({ length: 12 }, () => jointProposal(org, uniq('B')));
    const items = [...rows, { ...jointProposal(org, uniq('B')), title: '' }, { ...jointProposal(org, uniq('B')), proposerKind: 'individual' }];
    const res = await api.call(d.tokens.office!, 'POST', '/api/proposals/batch', { items });
    expect(res.status).toBe(200);
    expect(res.json.created).toBe(12);
    expect(res.json.failed).toBe(2);
    expect(res.json.results[12]).toMatchObject({ index: 12, status: 422, field: 'title' });
    expect(res.json.results[13]).toMatchObject({ index: 13, status: 422, field: 'proposers' });
    const again = await api.call(d.tokens.office!, 'POST', '/api/proposals/batch', { items: rows });
    expect(again.json.created).toBe(12);
    const count = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('step', '=', 'register')
      .where(
        'workflow_id',
        'in',
        res.json.results.slice(0, 12).map((r: { workflowId: string }) => r.workflowId),
      )
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(12);
    expect((await api.call(d.tokens.leadLiaison!, 'POST', '/api/proposals/batch', { items: rows })).status).toBe(403);
  });

  it("assigns a session's proposals in one action, each validated by its own workflow", async () => {
    const filed = await Promise.all([d.filed(), d.filed(), d.filed()]);
    const notFiled = await d.register();
    const items = [
      { workflowId: filed[0], mode: 'sole', units: [org.units.lead] },
      { workflowId: filed[1], mode: 'lead', units: [org.units.lead, org.units.co1] },
      { workflowId: filed[2], mode: 'lead', units: [org.units.lead] },
      { workflowId: notFiled, mode: 'sole', units: [org.units.lead] },
      { workflowId: 'proposal:nope:R0', mode: 'sole', units: [org.units.lead] },
    ];
    const res = await api.call(d.tokens.office!, 'POST', '/api/assignments/batch', { items, batchId: uniq('jbh') });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { status: number }) => r.status)).toEqual([200, 200, 422, 409, 404]);
    expect(res.json.results[2].field).toBe('units');
    const stages = await db.selectFrom('proposals').select(['workflow_id', 'stage']).where('workflow_id', 'in', filed).execute();
    expect(stages.filter((s) => s.stage === 'handling')).toHaveLength(2);
  });
});
