import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/connection.js';
import { readCaughtMail, type CaughtMail } from '../../scripts/lib/mail-catcher.js';
import { ProposalClient } from '../../client/temporal.js';
import { hashPassword } from '../../client/http/auth.js';
import type { Actor, PolicyBody } from '../../workflows/shared/types.js';
import { DEFAULT_POLICY } from '../../activities/policy/default-policy.js';

export function testDb(): Db {
  return createDb(inject('databaseUrl'), 5);
}

export async function temporalClient(): Promise<Client> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  return new Client({ connection, namespace: 'default' });
}

export async function proposalClient(taskQueue = inject('taskQueue')): Promise<ProposalClient> {
  return new ProposalClient(await temporalClient(), taskQueue);
}

export function uniq(prefix = 't'): string {
  return `${prefix}${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

/** Polls the catcher's folder; the catcher runs in the global setup, outside this test process. */
export async function waitForMail(predicate: (m: CaughtMail) => boolean, timeoutMs = 30_000): Promise<CaughtMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readCaughtMail(inject('mailDir')).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error('expected mail did not arrive');
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function mailMatching(predicate: (m: CaughtMail) => boolean): CaughtMail[] {
  return readCaughtMail(inject('mailDir')).filter(predicate);
}

export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface Org {
  prefix: string;
  sessionCode: string;
  units: { lead: string; co1: string; co2: string; other: string };
  actors: {
    office: Actor;
    committee: Actor;
    leadLiaison: Actor;
    leadLeader: Actor;
    leadPrincipal: Actor;
    co1Liaison: Actor;
    co1Leader: Actor;
    co2Liaison: Actor;
    otherLiaison: Actor;
    proposer: Actor;
    cosigner: Actor;
  };
  users: Record<string, { username: string; password: string }>;
  proposerEmails: { first: string; cosigner: string };
}

/** A fresh session, four units and one user per role, all with unique names, for one test. */
export interface OrgOptions {
  /** Policy changes for this org's session only, e.g. durations in seconds for clock tests. */
  policy?: Partial<Omit<PolicyBody, 'durations'>> & { durations?: Partial<PolicyBody['durations']> };
}

export async function seedOrg(db: Db, options: OrgOptions = {}): Promise<Org> {
  const p = uniq('o');
  const sessionCode = `十三届${p}次会议`;
  let policyVersion: number | null = null;
  if (options.policy) {
    const body: PolicyBody = { ...DEFAULT_POLICY, ...options.policy, durations: { ...DEFAULT_POLICY.durations, ...options.policy.durations } };
    const row = await db
      .insertInto('policies')
      .values({ name: `测试规则${p}`, body: JSON.stringify(body), active: false, created_by: null })
      .returning('version')
      .executeTakeFirstOrThrow();
    policyVersion = row.version;
  }
  await db.insertInto('sessions').values({ code: sessionCode, name: sessionCode, year: 2026, kind: 'plenary', policy_version: policyVersion }).execute();
  const unit = (key: string, name: string, short: string, prefixDoc: string) => ({
    id: `${p}-${key}`,
    name: `${name}${p}`,
    short_name: short,
    doc_prefix: `${prefixDoc}${p}`,
    email: `${p}-${key}@units.test`,
    leader_email: `${p}-${key}-leader@units.test`,
    principal_email: `${p}-${key}-principal@units.test`,
    contact_name: '王联络',
    contact_phone: '0571-87050000',
  });
  const rows = [
    unit('fgw', '浙江省发展和改革委员会', '省发展改革委', '浙发改'),
    unit('kjt', '浙江省科学技术厅', '省科技厅', '浙科'),
    unit('jxt', '浙江省经济和信息化厅', '省经信厅', '浙经信'),
    unit('jyt', '浙江省教育厅', '省教育厅', '浙教'),
  ];
  await db.insertInto('units').values(rows).execute();
  // Each unit publishes under an organisation code of its own, so 索引号 never clash between tests.
  await db
    .insertInto('publication_profiles')
    .values(rows.map((r, i) => ({ unit_id: r.id, org_code: `T${p}${i}`, organ: r.short_name, classification: '政协委员提案', updated_at: new Date() })))
    .execute();
  const [lead, co1, co2, other] = rows.map((r) => r.id) as [string, string, string, string];
  const first = await db
    .insertInto('proposers')
    .values({ kind: 'member', name: `张永庆${p}`, email: `${p}-zhang@members.test`, phone: '13800000000', sector: '经济界' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const second = await db
    .insertInto('proposers')
    .values({ kind: 'member', name: `李明${p}`, email: `${p}-li@members.test`, phone: null, sector: '科技界' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const password = `pw-${p}`;
  const passwordHash = await hashPassword(password);
  const users: Org['users'] = {};
  const actors = {} as Org['actors'];
  const make = async (key: keyof Org['actors'], role: Actor['role'], unitId: string | null, proposerId: number | null) => {
    const username = `${p}-${key}`;
    const row = await db
      .insertInto('users')
      .values({ username, display_name: `${key}${p}`, password_hash: passwordHash, role, unit_id: unitId, proposer_id: proposerId, email: `${username}@staff.test` })
      .returning('id')
      .executeTakeFirstOrThrow();
    users[key] = { username, password };
    actors[key] = { userId: row.id, role, unitId, proposerId, name: `${key}${p}` };
  };
  await make('office', 'office', null, null);
  await make('committee', 'committee', null, null);
  await make('leadLiaison', 'liaison', lead, null);
  await make('leadLeader', 'leader', lead, null);
  await make('leadPrincipal', 'principal', lead, null);
  await make('co1Liaison', 'liaison', co1, null);
  await make('co1Leader', 'leader', co1, null);
  await make('co2Liaison', 'liaison', co2, null);
  await make('otherLiaison', 'liaison', other, null);
  await make('proposer', 'proposer', null, first.id);
  await make('cosigner', 'proposer', null, second.id);
  return {
    prefix: p,
    sessionCode,
    units: { lead, co1, co2, other },
    actors,
    users,
    proposerEmails: { first: `${p}-zhang@members.test`, cosigner: `${p}-li@members.test` },
  };
}

export function jointProposal(org: Org, receiptNo: string) {
  return {
    sessionCode: org.sessionCode,
    receiptNo,
    title: '关于加快推进数字经济高质量发展的建议',
    body: '一、基本情况：我省数字经济规模持续扩大。\n二、存在问题：核心技术攻关不足。\n三、具体建议：加大研发投入，完善人才政策。',
    topic: '经济',
    proposerKind: 'joint' as const,
    proposers: [
      { kind: 'member' as const, name: `张永庆${org.prefix}`, email: org.proposerEmails.first, phone: '13800000000', sector: '经济界' },
      { kind: 'member' as const, name: `李明${org.prefix}`, email: org.proposerEmails.cosigner, phone: null, sector: '科技界' },
    ],
    receivedDate: '2026-01-20',
  };
}

/** An administrator (seedOrg makes none), for the tests that act as one. */
export async function seedAdmin(db: Db, username: string, password: string, email: string | null = `${username}@staff.test`): Promise<void> {
  await db
    .insertInto('users')
    .values({ username, display_name: `管理员${username}`, password_hash: await hashPassword(password), role: 'admin', unit_id: null, proposer_id: null, email })
    .execute();
}
