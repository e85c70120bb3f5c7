import { beforeAll, describe, expect, it } from 'vitest';
import type { Org } from '../support/context.js';
import type { Driver } from '../support/drive.js';
import { enc, type Api } from '../support/http.js';
import { useSuite } from '../support/suite.js';

// One visibility rule for every route (client/read/visibility.ts) and one view per role
// (client/read/views.ts, process-view.ts).

const suite = useSuite();
let api: Api;
let org: Org;
let d: Driver;
let shared: string; // lead + co1, signed by org's proposer and cosigner
let co2Only: string; // co2 alone
let zhao: string; // another member's proposal, not yet assigned
beforeAll(async () => {
  ({ api, org, d } = suite);
  shared = await d.assigned('lead', [org.units.lead, org.units.co1]);
  co2Only = await d.assigned('sole', [org.units.co2]);
  zhao = await d.register({ proposerKind: 'individual', proposers: [{ kind: 'member', name: `赵六${org.prefix}`, email: `${org.prefix}-zhao@members.test` }] });
});

const get = (who: string, path: string) => api.call(d.tokens[who]!, 'GET', path);
const listed = async (who: string) => {
  const res = await get(who, `/api/proposals?session=${enc(org.sessionCode)}&limit=500`);
  expect(res.status, `${who}: ${JSON.stringify(res.json)}`).toBe(200);
  return (res.json.items as { workflowId: string }[]).map((p) => p.workflowId);
};

describe('who sees which proposal', () => {
  it('lists for liaison, leader and principal (the unit-role list query), each their own unit only', async () => {
    for (const who of ['leadLiaison', 'leadLeader', 'leadPrincipal']) {
      const ids = await listed(who);
      expect(ids, who).toContain(shared);
      expect(ids, who).not.toContain(co2Only);
      expect(ids, who).not.toContain(zhao);
    }
    expect(await listed('co1Leader')).toEqual([shared]);
    expect(await listed('co2Liaison')).toEqual([co2Only]);
    expect(await listed('otherLiaison')).toEqual([]);
    const mine = await listed('proposer');
    expect(mine).toEqual(expect.arrayContaining([shared, co2Only]));
    expect(mine).not.toContain(zhao);
    expect(await listed('office')).toEqual(expect.arrayContaining([shared, co2Only, zhao]));
  });

  it('answers 404 on every route, actions included, exactly as for a proposal that does not exist', async () => {
    const nowhere = `proposal:${org.sessionCode}:NOPE`;
    const routes = (id: string) =>
      [
        ['GET', `/api/proposals/${enc(id)}`, undefined],
        ['GET', `/api/proposals/${enc(id)}/events`, undefined],
        ['GET', `/api/proposals/${enc(id)}/deadlines`, undefined],
        // A valid body, a malformed one and an action of the wrong stage: none tells the stage or existence.
        ['POST', `/api/proposals/${enc(id)}/actions/recordNoConsultation`, { reason: '委员出差' }],
        ['POST', `/api/proposals/${enc(id)}/actions/saveDraft`, { nonsense: true }],
        ['POST', `/api/proposals/${enc(id)}/actions/close`, {}],
      ] as const;
    for (const [who, id] of [
      ['otherLiaison', shared],
      ['co2Liaison', shared],
      ['leadLiaison', zhao],
      ['proposer', zhao],
    ] as const) {
      for (const [[method, path, body], [, missingPath]] of routes(id).map((r, i) => [r, routes(nowhere)[i]!] as const)) {
        const res = await api.call(d.tokens[who]!, method, path, body);
        const missing = await api.call(d.tokens[who]!, method, missingPath, body);
        expect(res.status, `${who} ${method} ${path}`).toBe(404);
        expect(res.json, `${who} ${method} ${path}`).toEqual(missing.json);
      }
    }
    const batch = await api.call(d.tokens.office!, 'POST', '/api/assignments/batch', { items: [{ workflowId: nowhere, mode: 'sole', units: [org.units.lead] }] });
    expect(batch.json.results[0]).toMatchObject({ status: 404, error: 'NOT_FOUND' });
  });
});

describe('what each role sees of a proposal', () => {
  let drafting: string;
  beforeAll(async () => {
    drafting = await d.assigned('lead', [org.units.lead, org.units.co1]);
    await d.ok('leadLiaison', drafting, 'recordConsultation', { date: '2026-02-03', way: 'phone', participants: '张委员', summary: '电话沟通，内部记录。' });
    await d.ok('leadLiaison', drafting, 'saveDraft', {
      body: '答复草稿：尚未审签的内部文字。',
      replyClass: 'B',
      promisedActions: '年内出台方案',
      followUpDate: '2027-06-30',
    });
  });

  const internals = ['policy', 'firedClock', 'deadlines', 'coTasks', 'replyTasks', 'bodyHash'];

  it("answers an action with the actor's view, not the workflow state", async () => {
    const res = await d.act('leadLiaison', drafting, 'saveDraft', {
      body: '答复草稿第二稿。',
      replyClass: 'B',
      promisedActions: '年内出台方案',
      followUpDate: '2027-06-30',
      changeNote: '补充',
    });
    expect(res.status).toBe(200);
    const view = res.json.proposal;
    expect(view.audience).toBe('unit');
    for (const key of internals) expect(view, key).not.toHaveProperty(key);
    const own = view.tracks.find((t: { unitId: string }) => t.unitId === org.units.lead);
    expect(own.drafts.map((x: { version: number }) => x.version)).toEqual([1, 2]);
    expect(own.drafts[0]).not.toHaveProperty('bodyHash');
    expect(own.drafts[0]).not.toHaveProperty('authorUserId');
  });

  it('staff see the whole process, without hashes or the carried bookkeeping', async () => {
    const detail = (await get('office', `/api/proposals/${enc(drafting)}`)).json;
    expect(detail.live.audience).toBe('staff');
    for (const key of internals) expect(detail.live, key).not.toHaveProperty(key);
    expect(detail.live.tracks[0].drafts.length).toBeGreaterThan(0);
    expect(detail.proposal).toMatchObject({ workflowId: drafting, stage: 'handling', stageLabel: '办理中', replyClass: 'B' });
    expect(detail.proposal).not.toHaveProperty('body_hash');
    expect(detail.tasks[0]).toHaveProperty('status');
    const events = (await get('office', `/api/proposals/${enc(drafting)}/events`)).json.items;
    expect(events.map((e: { step: string }) => e.step)).toContain('saveDraft');
    for (const e of events) for (const key of Object.keys(e.summary ?? {})) expect(key.endsWith('Hash'), `${e.step}.${key}`).toBe(false);
  });

  it("a co-unit sees its own task in full and the lead unit's reply only as in progress", async () => {
    const detail = (await get('co1Liaison', `/api/proposals/${enc(drafting)}`)).json;
    expect(detail.live.audience).toBe('unit');
    const lead = detail.live.tracks.find((t: { unitId: string }) => t.unitId === org.units.lead);
    expect(lead).toEqual({ unitId: org.units.lead, status: 'in_progress', docNo: null, dispatchedAt: null, replyClass: null });
    const leadTask = detail.tasks.find((t: { unitId: string }) => t.unitId === org.units.lead);
    const ownTask = detail.tasks.find((t: { unitId: string }) => t.unitId === org.units.co1);
    expect(leadTask).not.toHaveProperty('status');
    expect(leadTask).not.toHaveProperty('dueExplanation');
    expect(ownTask).toHaveProperty('status');
    const steps = (await get('co1Liaison', `/api/proposals/${enc(drafting)}/events`)).json.items.map((e: { step: string }) => e.step);
    expect(steps).not.toContain('saveDraft');
  });

  it("a proposer sees no draft, no sign-off state and no unit's notes", async () => {
    const detail = (await get('proposer', `/api/proposals/${enc(drafting)}`)).json;
    expect(detail.live.audience).toBe('proposer');
    for (const key of internals) expect(detail.live, key).not.toHaveProperty(key);
    for (const t of detail.live.tracks) expect(Object.keys(t).sort()).toEqual(['dispatchedAt', 'docNo', 'replyClass', 'status', 'unitId']);
    expect(detail.live.tracks[0]).toMatchObject({ status: 'in_progress', replyClass: null });
    expect(detail.proposal.replyClass).toBeNull();
    expect(detail.proposal).not.toHaveProperty('replyVersion');
    for (const t of detail.tasks) expect(t).not.toHaveProperty('status');
    const events = (await get('proposer', `/api/proposals/${enc(drafting)}/events`)).json.items;
    const steps = events.map((e: { step: string }) => e.step);
    expect(steps).toContain('recordConsultation');
    for (const step of ['saveDraft', 'submitForSignOff', 'signOff']) expect(steps).not.toContain(step);
    for (const e of events) expect(e).not.toHaveProperty('summary');
    const deadlines = (await get('proposer', `/api/proposals/${enc(drafting)}/deadlines`)).json.items;
    for (const item of deadlines) {
      expect(item).not.toHaveProperty('pendingExtension');
      expect(item.next).toEqual([]);
    }
  });
});
