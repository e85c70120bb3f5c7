import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { mapBounded } from '../../client/bounded.js';
import { putText } from '../../db/repositories/blobs.js';
import { ApiTally, poll } from './api.js';
import { eventCounts, mailCounts, outboxSettled, recordMails, replyNumberCounts, stagesOf } from './checks.js';
import { describeError, persist, sleep } from './persist.js';
import { addCount, check, newReport, type ScenarioReport } from './report.js';
import { login, registration, seedOrg } from './seed.js';
import type { FaultStack } from './stack.js';

// 3. The SMTP server away while replies are dispatched. Proposals are taken to the leader's
// sign-off with the mail server up (their earlier mail delivered), then the catcher stops; a
// first wave is signed off at once, a second one `secondWaveBeforeEndMs` before the catcher
// comes back. Each sign-off numbers, stores and dispatches the reply, whose mails (the reply
// letter, the feedback request) go through the outbox: the mail step retries 4 times over
// ~65 s (workflows/common/activity-proxies.ts `mail`), then the row is marked failed. Every
// mail must end delivered exactly once or recorded failed on its row (and then not delivered),
// none pending, none doubled; every reply numbered once; the API unaffected.

export interface SmtpOutageOptions {
  replies: number;
  downMs: number;
  secondWaveBeforeEndMs: number;
  slackMs: number;
  healthSlackMs: number;
  /** After the catcher is back: how long the outbox may take to settle. */
  settleMs: number;
}

const STEPS = ['register', 'file', 'assign', 'recordNoConsultation', 'saveDraft', 'submitForSignOff', 'signOff', 'dispatch'];

function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

export async function smtpOutage(s: FaultStack, options: SmtpOutageOptions): Promise<ScenarioReport> {
  const report = newReport(`3. SMTP server stopped for ${options.downMs / 1000} s while ${options.replies} replies are dispatched`);
  const started = performance.now();
  const org = await seedOrg(s.db, 'sm', 1);
  const unit = org.units[0]!;
  const office = await login(s.http.url, org.office.username);
  const p = s.proposals;

  // Up to the leader's sign-off, with the mail server up.
  const ids = await mapBounded(
    Array.from({ length: options.replies }, (_, i) => i),
    4,
    async (i) => {
      const id = (await p.register(registration(org, i), `faults-reg-${org.tag}-${i}`)).workflowId;
      await p.act(id, 'file', org.committee, { outcome: 'filed' }, `faults-file-${org.tag}-${i}`);
      await p.act(id, 'assign', org.office, { mode: 'sole', units: [unit.id] }, `faults-assign-${org.tag}-${i}`);
      await p.act(id, 'recordNoConsultation', unit.liaison, { reason: '故障测试：委员同意书面答复' }, `faults-noc-${org.tag}-${i}`);
      const bodyHash = await putText(s.db, `答复正文${org.tag}-${i}：已开展的工作；下一步工作安排。`);
      await p.act(id, 'saveDraft', unit.liaison, { bodyHash, replyClass: 'A' }, `faults-draft-${org.tag}-${i}`);
      await p.act(id, 'submitForSignOff', unit.liaison, {}, `faults-submit-${org.tag}-${i}`);
      return id;
    },
  );
  const before = await outboxSettled(s.db, ids, 60_000);
  check(report, before.settled && before.failed === 0, `mail before the outage did not all go out: ${JSON.stringify(before)}`);
  const sentBefore = before.sent;

  const tally = new ApiTally();
  report.api.push({ title: 'while the SMTP server is away and until the outbox settles', tally });
  const healthBound = s.limits.healthTimeoutMs + options.healthSlackMs;
  const readBound = s.limits.updateWaitMs + options.slackMs;
  const probes = [
    poll({
      base: s.http.url,
      path: '/healthz',
      everyMs: 1_000,
      tally,
      label: () => 'GET /healthz every 1 s',
      rules: { boundMs: healthBound, allowed: (a) => (a.status === 200 ? null : 'not 200') },
      limitMs: healthBound + 10_000,
    }),
    poll({
      base: s.http.url,
      path: `/api/proposals/${encodeURIComponent(ids[0]!)}`,
      token: office,
      everyMs: 1_000,
      tally,
      label: () => 'GET /api/proposals/{id} every 1 s',
      rules: { boundMs: readBound, allowed: (a) => (a.status === 200 ? null : 'not 200') },
      limitMs: readBound + 10_000,
    }),
  ];

  const half = Math.ceil(options.replies / 2);
  const signOff = (from: number, to: number) =>
    mapBounded(ids.slice(from, to), 5, async (id, j) => {
      const r = await persist(() => p.act(id, 'signOff', unit.leader, { decision: 'approve' }, `faults-signoff-${org.tag}-${from + j}`), 60_000);
      if (r.error) report.failures.push(`signOff of ${id}: ${describeError(r.error)}`);
    });
  let downFor: number;
  try {
    await s.catcher.stop();
    const downAt = performance.now();
    check(report, await portRefuses(Number(new URL(s.catcher.url).port)), 'the SMTP port still accepts connections after the catcher stopped');
    report.facts.push(`SMTP catcher stopped (port refuses connections); first wave of ${half} signed off at once`);
    await signOff(0, half);
    await sleep(Math.max(0, options.downMs - options.secondWaveBeforeEndMs - (performance.now() - downAt)));
    report.facts.push(`second wave of ${options.replies - half} signed off ${((performance.now() - downAt) / 1000).toFixed(1)} s into the outage`);
    await signOff(half, options.replies);
    await sleep(Math.max(0, options.downMs - (performance.now() - downAt)));
    const during = await outboxSettled(s.db, ids, 0);
    report.facts.push(`at the end of the outage: outbox ${during.sent - sentBefore} sent, ${during.failed} recorded failed, ${during.pending} pending`);
    downFor = performance.now() - downAt;
  } finally {
    await s.catcher.start();
  }
  report.facts.push(`SMTP catcher started again on the same port after ${(downFor / 1000).toFixed(1)} s`);
  const settled = await outboxSettled(s.db, ids, options.settleMs);
  check(report, settled.settled, `outbox still has ${settled.pending} pending mail ${(settled.waitedMs / 1000).toFixed(0)} s after the catcher came back`);
  report.facts.push(`outbox settled ${(settled.waitedMs / 1000).toFixed(1)} s after the catcher came back`);
  await sleep(2_000);
  for (const probe of probes) await probe.stop();

  const stages = await stagesOf(s.db, ids);
  report.proposals.expected = ids.length;
  report.proposals.completed = ids.filter((id) => stages.get(id) === 'dispatched').length;
  const events = await eventCounts(s.db, new Map(ids.map((id) => [id, STEPS])));
  addCount(report, events);
  for (const m of events.mismatched.slice(0, 10)) report.failures.push(`events: ${m}`);
  addCount(report, await replyNumberCounts(s.db, [unit.id], ids));
  const mails = await mailCounts(s.db, s.catcher.dir, ids);
  recordMails(report, mails, { failedAllowed: true });
  const rows = await s.db
    .selectFrom('notifications')
    .select(['kind', 'status', 'attempts'])
    .where('workflow_id', 'in', ids)
    .where('kind', 'in', ['reply', 'feedback_request'])
    .execute();
  const outcome = (kind: string) => {
    const of = rows.filter((r) => r.kind === kind);
    return `${kind}: ${of.filter((r) => r.status === 'sent').length} delivered once, ${of.filter((r) => r.status === 'failed').length} recorded failed, ${of.filter((r) => r.status === 'pending').length} pending`;
  };
  report.facts.push(`${outcome('reply')}; ${outcome('feedback_request')}`);
  check(
    report,
    rows.filter((r) => r.kind === 'reply').length === ids.length,
    `${rows.filter((r) => r.kind === 'reply').length} reply mails queued for ${ids.length} replies`,
  );
  report.wallMs = performance.now() - started;
  return report;
}
