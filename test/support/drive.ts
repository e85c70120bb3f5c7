import { expect } from 'vitest';
import type { Db } from '../../db/connection.js';
import { eventually, jointProposal, uniq, type Org } from './context.js';
import { enc, type Api } from './http.js';

/** Drives proposals through the HTTP API as the people in an Org would. */
export class Driver {
  readonly tokens: Record<string, string> = {};

  constructor(
    readonly api: Api,
    readonly db: Db,
    readonly org: Org,
  ) {}

  async login(): Promise<this> {
    for (const [key, u] of Object.entries(this.org.users)) this.tokens[key] = await this.api.login(u.username, u.password);
    return this;
  }

  act(who: string, id: string, action: string, body: unknown = {}, key?: string) {
    return this.api.call(this.tokens[who]!, 'POST', `/api/proposals/${enc(id)}/actions/${action}`, body, key ? { 'idempotency-key': key } : {});
  }

  async ok(who: string, id: string, action: string, body: unknown = {}) {
    const res = await this.act(who, id, action, body);
    if (res.status !== 200) throw new Error(`${who} ${action} → ${res.status} ${JSON.stringify(res.json)}`);
    return res.json.proposal;
  }

  async register(overrides: Record<string, unknown> = {}): Promise<string> {
    const receiptNo = uniq('R');
    const res = await this.api.call(this.tokens.office!, 'POST', '/api/proposals', { ...jointProposal(this.org, receiptNo), ...overrides });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    return res.json.workflowId as string;
  }

  async filed(overrides: Record<string, unknown> = {}): Promise<string> {
    const id = await this.register(overrides);
    await this.ok('committee', id, 'file', { outcome: 'filed', proposalNo: `第${uniq('')}号` });
    return id;
  }

  async assigned(mode: 'sole' | 'lead' | 'split' = 'sole', units?: string[]): Promise<string> {
    const id = await this.filed();
    const u = this.org.units;
    await this.ok('office', id, 'assign', { mode, units: units ?? (mode === 'sole' ? [u.lead] : [u.lead, u.co1]) });
    return id;
  }

  /** Consultation, draft, sign-off: the lead's reply goes out. */
  async reply(id: string, liaison = 'leadLiaison', leader = 'leadLeader', replyClass = 'A') {
    await this.ok(liaison, id, 'recordConsultation', { date: '2026-02-03', way: 'face_to_face', participants: '提案者、承办处室', summary: '面商，听取意见。' });
    const extra = replyClass === 'A' ? {} : { promisedActions: '年内出台实施方案', followUpDate: '2027-06-30' };
    await this.ok(liaison, id, 'saveDraft', { body: `答复正文${uniq('')}：已开展工作；下一步工作。`, replyClass, ...extra });
    await this.ok(liaison, id, 'submitForSignOff', {});
    await this.ok(leader, id, 'signOff', { decision: 'approve' });
  }

  async stage(id: string, stage: string, timeoutMs = 30_000) {
    return eventually(async () => {
      const res = await this.api.call(this.tokens.office!, 'GET', `/api/proposals/${enc(id)}`);
      return res.json.live?.stage === stage && res.json.proposal?.stage === stage ? res.json : null;
    }, timeoutMs);
  }

  async steps(id: string): Promise<string[]> {
    const rows = await this.db.selectFrom('events').select('step').where('workflow_id', '=', id).orderBy('id').execute();
    return rows.map((r) => r.step);
  }
}
