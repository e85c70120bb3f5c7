import { performance } from 'node:perf_hooks';
import type { Db } from '../../db/connection.js';
import { putText } from '../../db/repositories/blobs.js';
import type { ProposalClient } from '../../client/temporal.js';
import type { Actor } from '../../workflows/shared/types.js';

// P2: one person's action through HTTP (authentication, parsing, the Update, the step recorded
// and its projection visible), sequential, as a person clicks.

export interface BenchOrg {
  session: string;
  unitId: string;
  office: Actor;
  tokens: { office: string; committee: string; liaison: string; leader: string };
}

export interface ActionSamples {
  file: number[];
  assign: number[];
  saveDraft: number[];
  signOff: number[];
}

/** Where one `file` through HTTP spends its time: the door alone, and the Update without the door. */
export interface FileBreakdown {
  /** GET /api/me: the HTTP round trip with authentication, nothing else. */
  door: number[];
  /** The same `file` sent by ProposalClient straight to Temporal (no HTTP, no auth, no parsing). */
  update: number[];
}

async function post(base: string, token: string, path: string, body: unknown): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path} → ${res.status} ${text}`);
  return performance.now() - t;
}

export async function measureActions(options: {
  base: string;
  db: Db;
  proposals: ProposalClient;
  org: BenchOrg;
  count: number;
}): Promise<{ samples: ActionSamples; breakdown: FileBreakdown; filed: string[] }> {
  const { base, db, proposals, org, count } = options;
  const bodyHash = await putText(db, '一、基本情况。二、存在问题。三、具体建议：加大投入，完善政策。');
  const samples: ActionSamples = { file: [], assign: [], saveDraft: [], signOff: [] };
  const breakdown: FileBreakdown = { door: [], update: [] };
  const filed: string[] = [];
  const register = (receiptNo: string, i: number) =>
    proposals.register({
      actor: org.office,
      sessionCode: org.session,
      receiptNo,
      title: `关于第${i}项工作的建议`,
      bodyHash,
      topic: null,
      proposerKind: 'individual',
      proposers: [{ kind: 'member', name: `委员${i}`, email: `p2-${i}@bench.test` }],
      receivedDate: '2026-01-20',
    });
  const committee = { ...org.office, role: 'committee' as const };
  const act = (who: keyof BenchOrg['tokens'], id: string, action: string, body: unknown) =>
    post(base, org.tokens[who], `/api/proposals/${encodeURIComponent(id)}/actions/${action}`, body);
  for (let i = 0; i < count; i++) {
    const id = (await register(`P2-${String(i).padStart(5, '0')}`, i)).workflowId;
    samples.file.push(await act('committee', id, 'file', { outcome: 'filed', proposalNo: `第P2-${i}号` }));
    const direct = (await register(`P2D-${String(i).padStart(5, '0')}`, i)).workflowId;
    let t = performance.now();
    await proposals.act(direct, 'file', committee, { outcome: 'filed', proposalNo: `第P2D-${i}号` });
    breakdown.update.push(performance.now() - t);
    filed.push(direct);
    t = performance.now();
    const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${org.tokens.committee}` } });
    await me.text();
    breakdown.door.push(performance.now() - t);
    samples.assign.push(await act('office', id, 'assign', { mode: 'sole', units: [org.unitId] }));
    await act('liaison', id, 'recordNoConsultation', { reason: '基准测试：委员同意书面答复' });
    samples.saveDraft.push(await act('liaison', id, 'saveDraft', { body: `答复正文${i}：已开展工作；下一步工作。`, replyClass: 'A' }));
    await act('liaison', id, 'submitForSignOff', {});
    samples.signOff.push(await act('leader', id, 'signOff', { decision: 'approve' }));
  }
  return { samples, breakdown, filed };
}
