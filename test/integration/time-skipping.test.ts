import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createFeedbackLinks } from '../../activities/feedback-link.js';
import { createActivities } from '../../activities/index.js';
import { ProposalClient } from '../../client/temporal.js';
import type { ProposalView } from '../../workflows/proposal/definitions.js';
import { readFollowUps } from '../../client/read/records.js';
import type { Db } from '../../db/connection.js';
import { putText } from '../../db/repositories/blobs.js';
import { banliSearchAttributes } from '../../scripts/lib/search-attribute-types.js';
import { ensureTemporalTestServer } from '../../scripts/lib/temporal-test-server.js';
import { TEST_LINK_BASE, TEST_LINK_SECRET } from '../support/constants.js';
import { eventually, jointProposal, mailMatching, seedOrg, testDb, uniq, type Org } from '../support/context.js';

// Month-long clocks with the DEFAULT policy (3-month reply, 7- and 1-day reminders, the ladder
// after; 回头看 on the promised date), without waiting months: Temporal's Java test server with
// time skipping, the real activities, the real PostgreSQL and SMTP catcher of this run.

let env: TestWorkflowEnvironment;
let db: Db;
let org: Org;
let worker: Worker;
let running: Promise<void>;
let client: ProposalClient;
const taskQueue = uniq('timeskip-');
const DAY = 86_400_000;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: ensureTemporalTestServer() } } });
  await env.connection.operatorService.addSearchAttributes({ namespace: 'default', searchAttributes: banliSearchAttributes() });
  db = testDb();
  org = await seedOrg(db);
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities({
      db,
      mail: { transporter: nodemailer.createTransport(inject('smtpUrl')), from: 'Banli <banli@test.local>', messageIdDomain: 'test.local' },
      feedbackLinks: createFeedbackLinks(TEST_LINK_SECRET, TEST_LINK_BASE),
    }),
  });
  running = worker.run();
  client = new ProposalClient(env.client, taskQueue);
});

afterAll(async () => {
  worker?.shutdown();
  await running?.catch(() => undefined);
  await env?.teardown();
  await db?.destroy();
});

async function assigned(): Promise<string> {
  const reg = jointProposal(org, uniq('R'));
  const view = await client.register({ ...reg, bodyHash: await putText(db, reg.body), actor: org.actors.office });
  await client.act(view.workflowId, 'file', org.actors.committee, { outcome: 'filed', proposalNo: `第${uniq('')}号` });
  await client.act(view.workflowId, 'assign', org.actors.office, { mode: 'sole', units: [org.units.lead] });
  return view.workflowId;
}

const steps = async (id: string) => await db.selectFrom('events').select(['step', 'summary']).where('workflow_id', '=', id).orderBy('id').execute();

describe('default policy over months (time-skipping test server)', () => {
  it('reminds 7 and 1 days before the 3-month reply deadline, then climbs the ladder, each once', async () => {
    const id = await assigned();
    const due = (await client.state(id))!.deadlines[`reply:${org.units.lead}`]!;
    await env.sleep(Date.parse(due.dueAt) - (await env.currentTimeMs()) + 11 * DAY);
    const clock = (await steps(id)).filter((s) => s.step.startsWith('deadline'));
    expect(clock.map((s) => [s.step, (s.summary as { rung: string }).rung])).toEqual([
      ['deadlineReminder', 'reminder'],
      ['deadlineReminder', 'reminder'],
      ['deadlineEscalation', 'liaison'],
      ['deadlineEscalation', 'leader'],
      ['deadlineEscalation', 'office_committee'],
    ]);
    await eventually(async () => mailMatching((m) => m.subject.includes('逾期催办') && m.to.includes(`${org.prefix}-office@staff.test`)).length === 1);
  });

  it('回头看 per promise: each unit of a split proposal gets its own checkpoint, reminded before its date and chased after it until it reports', async () => {
    const reg = jointProposal(org, uniq('R'));
    const view = await client.register({ ...reg, bodyHash: await putText(db, reg.body), actor: org.actors.office });
    const id = view.workflowId;
    await client.act(id, 'file', org.actors.committee, { outcome: 'filed', proposalNo: `第${uniq('')}号` });
    await client.act(id, 'assign', org.actors.office, { mode: 'split', units: [org.units.lead, org.units.co1] });
    const today = new Date((await env.currentTimeMs()) + 8 * 3600_000).toISOString().slice(0, 10);
    const later = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
    const answer = async (liaison: Org['actors']['leadLiaison'], leader: Org['actors']['leadLeader'], promised: string, date: string) => {
      await client.act(id, 'recordConsultation', liaison, { date: today, way: 'face_to_face', participants: '委员、处室', summaryHash: await putText(db, '面商') });
      await client.act(id, 'saveDraft', liaison, {
        bodyHash: await putText(db, `正在推进：${promised}`),
        replyClass: 'B',
        promisedActions: promised,
        followUpDate: date,
      });
      await client.act(id, 'submitForSignOff', liaison, {});
      await client.act(id, 'signOff', leader, { decision: 'approve' });
    };
    await answer(org.actors.leadLiaison, org.actors.leadLeader, '出台实施方案', later(60));
    await answer(org.actors.co1Liaison, org.actors.co1Leader, '建成示范项目', later(90));
    await eventually(async () => (await client.state(id))?.stage === 'dispatched');
    await client.act(id, 'rate', org.actors.proposer, { attitude: 'satisfied', result: 'basically_satisfied' });
    await client.act(id, 'rate', org.actors.cosigner, { attitude: 'satisfied', result: 'satisfied' });
    await client.act(id, 'proposePublication', org.actors.leadLiaison, { mode: 'full' });
    await client.act(id, 'approvePublication', org.actors.office, {});
    const closed = await client.act(id, 'close', org.actors.office, {});
    expect(closed.followUp).toBeNull();
    expect(Object.values(closed.followUps ?? {}).map((c) => [c.unitId, c.promised, c.dueDate, c.status])).toEqual([
      [org.units.lead, '出台实施方案', later(60), 'pending'],
      [org.units.co1, '建成示范项目', later(90), 'pending'],
    ]);
    // A unit with no promise of its own cannot report.
    expect((await client.act(id, 'reportFollowUp', org.actors.otherLiaison, { bodyHash: await putText(db, 'x') }).catch((e: Error) => e)) instanceof Error).toBe(true);

    // The lead unit is reminded 7 and 1 days before its date and reports on time: nothing more for it.
    await env.sleep(Date.parse(`${later(60)}T00:00:00+08:00`) - (await env.currentTimeMs()));
    const leadClock = async () =>
      (await steps(id)).filter((s) => s.step.startsWith('deadline') && (s.summary as { deadline: string }).deadline === `followUp:${org.units.lead}`);
    await eventually(async () => (await leadClock()).length === 2);
    expect((await leadClock()).map((s) => s.step)).toEqual(['deadlineReminder', 'deadlineReminder']);
    await eventually(async () => mailMatching((m) => m.subject.includes('回头看') && m.to.includes(`${org.units.lead}@units.test`)).length === 2);
    await client.act(id, 'reportFollowUp', org.actors.leadLiaison, { bodyHash: await putText(db, '实施方案已于9月印发') });
    expect((await client.act(id, 'reportFollowUp', org.actors.leadLiaison, { bodyHash: await putText(db, '再报') }).catch((e: Error) => e)) instanceof Error).toBe(
      true,
    );

    // The co1 unit never reports: after its date the ladder climbs, each rung once; the lead is left alone.
    await env.sleep(Date.parse(`${later(90)}T00:00:00+08:00`) - (await env.currentTimeMs()) + 12 * DAY);
    const co1Steps = async () =>
      (await steps(id)).filter((s) => s.step.startsWith('deadline') && (s.summary as { deadline: string }).deadline === `followUp:${org.units.co1}`);
    await eventually(async () => (await co1Steps()).length === 5);
    const co1Clock = await co1Steps();
    expect(co1Clock.map((s) => [s.step, (s.summary as { rung: string }).rung])).toEqual([
      ['deadlineReminder', 'reminder'],
      ['deadlineReminder', 'reminder'],
      ['deadlineEscalation', 'liaison'],
      ['deadlineEscalation', 'leader'],
      ['deadlineEscalation', 'office_committee'],
    ]);
    expect((await leadClock()).map((s) => s.step)).toEqual(['deadlineReminder', 'deadlineReminder']);
    const state = await client.state(id);
    expect(state?.stage).toBe('closed');
    expect(state?.followUps?.[org.units.lead]).toMatchObject({ status: 'reported' });

    // Its report ends the proposal's workflow; both reports are stored and readable.
    await client.act(id, 'reportFollowUp', org.actors.co1Liaison, { bodyHash: await putText(db, '示范项目已建成投用') });
    const result: ProposalView | null = await env.client.workflow.getHandle(id).result();
    expect(Object.values(result?.followUps ?? {}).map((c) => c.status)).toEqual(['reported', 'reported']);
    const reports = await readFollowUps(db, { role: 'office', unitId: null, proposerId: null }, id);
    expect(reports.filter((r) => r.step === 'reportFollowUp').map((r) => [r.unitId, r.report])).toEqual([
      [org.units.lead, '实施方案已于9月印发'],
      [org.units.co1, '示范项目已建成投用'],
    ]);
  });
});
