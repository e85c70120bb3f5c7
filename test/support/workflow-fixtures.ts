import type { Client } from '@temporalio/client';
import { createHash } from 'node:crypto';
import type { RegisterInput } from '../../workflows/proposal/definitions.js';
import type { Actor } from '../../workflows/shared/types.js';
import { uniq } from './context.js';

// People, units and registrations for workflow-tier tests, where no database backs the ids.

export interface Cast {
  sessionCode: string;
  units: { lead: string; co1: string; co2: string; other: string };
  office: Actor;
  committee: Actor;
  proposer: Actor;
  leadLiaison: Actor;
  leadLeader: Actor;
  co1Liaison: Actor;
  co2Liaison: Actor;
  otherLiaison: Actor;
}

export function cast(): Cast {
  const p = uniq('w');
  const units = { lead: `${p}-lead`, co1: `${p}-co1`, co2: `${p}-co2`, other: `${p}-other` };
  let id = 1;
  const actor = (role: Actor['role'], unitId: string | null, name: string, proposerId: number | null = null): Actor => ({
    userId: id++,
    role,
    unitId,
    proposerId,
    name,
  });
  return {
    sessionCode: `十三届${p}次会议`,
    units,
    office: actor('office', null, '办公厅'),
    committee: actor('committee', null, '提案委'),
    proposer: actor('proposer', null, '张委员', 1000),
    leadLiaison: actor('liaison', units.lead, '主办联络员'),
    leadLeader: actor('leader', units.lead, '主办领导'),
    co1Liaison: actor('liaison', units.co1, '会办一联络员'),
    co2Liaison: actor('liaison', units.co2, '会办二联络员'),
    otherLiaison: actor('liaison', units.other, '无关单位联络员'),
  };
}

export const fakeHash = (text: string = uniq('h')): string => createHash('sha256').update(text).digest('hex');

export function registration(c: Cast, receiptNo = uniq('R')): RegisterInput {
  return {
    actor: c.office,
    sessionCode: c.sessionCode,
    receiptNo,
    title: '关于加快推进数字经济高质量发展的建议',
    bodyHash: fakeHash(),
    topic: '经济',
    proposerKind: 'joint',
    proposers: [
      { kind: 'member', name: '张委员', email: 'zhang@members.test' },
      { kind: 'member', name: '李委员', email: 'li@members.test' },
    ],
    receivedDate: '2026-11-20',
  };
}

export interface UpdateTrail {
  /** Update ids in the order the server accepted them. */
  accepted: string[];
  /** Update ids in the order they completed, with whether they succeeded. */
  completed: { updateId: string; ok: boolean }[];
  /** Every event type, in order. */
  types: string[];
  length: number;
}

/** What Temporal's history of one run says about Updates. */
export async function updateTrail(client: Client, workflowId: string, runId?: string): Promise<UpdateTrail> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const events = history.events ?? [];
  const trail: UpdateTrail = { accepted: [], completed: [], types: [], length: events.length };
  for (const e of events) {
    const accepted = e.workflowExecutionUpdateAcceptedEventAttributes;
    const completed = e.workflowExecutionUpdateCompletedEventAttributes;
    if (accepted) trail.accepted.push(accepted.acceptedRequest?.meta?.updateId ?? '?');
    if (completed) trail.completed.push({ updateId: completed.meta?.updateId ?? '?', ok: Boolean(completed.outcome?.success) });
    trail.types.push(eventTypeName(e));
  }
  return trail;
}

function eventTypeName(e: object): string {
  const attr = Object.entries(e).find(([k, v]) => k.endsWith('EventAttributes') && v)?.[0];
  return attr ? attr.replace(/EventAttributes$/, '') : 'unknown';
}

/** Polls until the history of a run stops growing (the workflow is idle). */
export async function quiescentTrail(client: Client, workflowId: string, runId?: string): Promise<UpdateTrail> {
  let last = await updateTrail(client, workflowId, runId);
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const next = await updateTrail(client, workflowId, runId);
    if (next.length === last.length) return next;
    last = next;
  }
}

/** Bounds a promise: a hang becomes a failure that names what hung. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function waitUntil<T>(fn: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
