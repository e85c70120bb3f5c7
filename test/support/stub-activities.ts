import { NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Activities } from '../../activities/index.js';
import { DEFAULT_POLICY, OFFICE_DECISION_RULE } from '../../activities/policy/default-policy.js';
import type { RecordStepArgs } from '../../activities/record-step.js';
import { formatProposalNumber } from '../../workflows/shared/proposal-numbers.js';
import type { DueDate, PolicyBody } from '../../workflows/shared/types.js';

// The workflow tier: the real workflow bundle on the real dev server, with activities replaced
// by plain functions that answer what the real ones would and record every call. The workflow's
// own logic (stages, child tasks, the lock, continue-as-new) is tested without PostgreSQL.

export interface StubCall {
  name: keyof Activities;
  args: unknown;
  /** The workflow the call belongs to (recordStep and friends carry it), when it says. */
  workflowId: string | null;
  startedAt: number;
  endedAt: number | null;
}

export interface StubOptions {
  /** Milliseconds recordStep takes, to widen the window in which two handlers could interleave. */
  recordStepDelayMs?: number;
  /** Milliseconds other activities take, to hold a workflow step open while something else lands. */
  delaysMs?: Partial<Record<keyof Activities, number>>;
  /** Policy changes per session code (e.g. a small continueAsNewAfterEvents). */
  policies?: Record<string, Partial<PolicyBody>>;
}

const DAY = 86_400_000;

function shanghaiDate(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}

function endOfShanghaiDay(date: string): string {
  return new Date(Date.parse(`${date}T23:59:59.999+08:00`)).toISOString();
}

export class StubActivities {
  readonly calls: StubCall[] = [];
  private readonly inFlight = new Map<string, number>();
  /** The most recordStep calls of one workflow that ever ran at the same time. */
  readonly maxConcurrentSteps = new Map<string, number>();
  private readonly stepKeys = new Set<string>();
  private readonly proposalNumbers = new Map<string, string>();
  private readonly serials = new Map<string, number>();
  private docSerial = 0;

  constructor(private readonly options: StubOptions = {}) {}

  /** Policy changes for one session from now on (the workflow loads its policy at registration). */
  setPolicy(sessionCode: string, overrides: Partial<PolicyBody>): void {
    this.options.policies = { ...this.options.policies, [sessionCode]: overrides };
  }

  /** Makes one activity take this long from now on (0 for no delay), to hold one particular step open. */
  setDelay(name: keyof Activities, ms: number): void {
    this.options.delaysMs = { ...this.options.delaysMs, [name]: ms };
  }

  of(name: keyof Activities, workflowId?: string): StubCall[] {
    return this.calls.filter((c) => c.name === name && (workflowId === undefined || c.workflowId === workflowId));
  }

  /** recordStep calls of one workflow, as [step, key] in the order they were made. */
  steps(workflowId: string): { step: string; key: string; args: RecordStepArgs }[] {
    return this.of('recordStep', workflowId).map((c) => {
      const args = c.args as RecordStepArgs;
      return { step: args.record.step, key: args.key, args };
    });
  }

  private async track<T>(name: keyof Activities, args: unknown, workflowId: string | null, body: () => Promise<T> | T): Promise<T> {
    const call: StubCall = { name, args, workflowId, startedAt: Date.now(), endedAt: null };
    this.calls.push(call);
    try {
      const delay = this.options.delaysMs?.[name];
      if (delay) await new Promise((r) => setTimeout(r, delay));
      return await body();
    } finally {
      call.endedAt = Date.now();
    }
  }

  readonly activities: Activities = {
    loadPolicy: (args) =>
      this.track('loadPolicy', args, null, () => ({
        version: 1,
        body: { ...DEFAULT_POLICY, ...(args.sessionCode ? this.options.policies?.[args.sessionCode] : undefined) },
      })),
    computeDueDates: (args) =>
      this.track('computeDueDates', args, null, () =>
        args.requests.map((req): DueDate => {
          const rule = args.policy.body.durations[req.ruleKey] ?? OFFICE_DECISION_RULE;
          const days =
            rule.unit === 'calendar_months'
              ? rule.amount * 30
              : rule.unit === 'working_days'
                ? Math.ceil(rule.amount * 1.4)
                : rule.unit === 'calendar_days'
                  ? rule.amount
                  : 0;
          const raw = rule.unit === 'seconds' ? Date.parse(req.start) + rule.amount * 1000 : Date.parse(req.start) + days * DAY;
          const last = req.extensions?.at(-1);
          const dueDate = last ? last.to : shanghaiDate(new Date(raw).toISOString());
          const dueAt = rule.unit === 'seconds' && !last ? new Date(raw).toISOString() : endOfShanghaiDay(dueDate);
          return { key: req.key, ruleKey: req.ruleKey, start: req.start, dueAt, dueDate, explanation: `${rule.label}（测试）`, calendarConfirmed: true };
        }),
      ),
    allocateProposalNumber: (args) =>
      this.track('allocateProposalNumber', args, null, () => {
        let proposalNo = this.proposalNumbers.get(args.key);
        if (!proposalNo) {
          const serial = (this.serials.get(args.sessionCode) ?? 0) + 1;
          this.serials.set(args.sessionCode, serial);
          proposalNo = formatProposalNumber(args.format, serial, Number(shanghaiDate(args.now).slice(0, 4)));
          this.proposalNumbers.set(args.key, proposalNo);
        }
        return { proposalNo };
      }),
    recordReceipt: (args) => this.track('recordReceipt', args, args.workflowId, () => ({ proposerIds: args.registration.proposers.map((_p, i) => 1000 + i) })),
    recordStep: (args) =>
      this.track('recordStep', args, args.workflowId, async () => {
        const running = (this.inFlight.get(args.workflowId) ?? 0) + 1;
        this.inFlight.set(args.workflowId, running);
        this.maxConcurrentSteps.set(args.workflowId, Math.max(running, this.maxConcurrentSteps.get(args.workflowId) ?? 0));
        try {
          if (this.options.recordStepDelayMs) await new Promise((r) => setTimeout(r, this.options.recordStepDelayMs));
          const alreadyRecorded = this.stepKeys.has(args.key);
          this.stepKeys.add(args.key);
          return { notificationKeys: args.record.notifications.map((n, i) => `${args.key}#${i}:${n.kind}`), alreadyRecorded };
        } finally {
          this.inFlight.set(args.workflowId, (this.inFlight.get(args.workflowId) ?? 1) - 1);
        }
      }),
    syncProjection: (args) => this.track('syncProjection', args, args.workflowId, () => undefined),
    recordCoOpinion: (args) =>
      this.track('recordCoOpinion', args, args.parentWorkflowId, () => ({
        notificationKeys: args.leadUnitId ? [`${args.key}#0:co_opinion_received`] : [],
        docNo: args.kind === 'opinion' ? `测提函〔2026〕${++this.docSerial}号` : null,
      })),
    dispatchReply: (args) =>
      this.track('dispatchReply', args, args.workflowId, () => ({ docNo: `测提〔2026〕${++this.docSerial}号`, notificationKeys: [`${args.key}#0:reply`] })),
    loadSignOffChain: (args) => this.track('loadSignOffChain', args, null, () => null),
    reissueReply: (args) =>
      this.track('reissueReply', args, args.workflowId, () => ({ docNo: `${args.sentDocNo}-${args.issue}`, notificationKeys: [`${args.key}#0:reply_reissued`] })),
    deliverNotification: (args) => this.track('deliverNotification', args, args.key.split(':').slice(0, 3).join(':'), () => ({ status: 'sent' as const })),
    markNotificationFailed: (args) => this.track('markNotificationFailed', args, null, () => undefined),
    queueDailyDigests: (args) => this.track('queueDailyDigests', args, null, () => ({ date: shanghaiDate(args.now), queued: [] })),
    checkMergeTarget: (args) => this.track('checkMergeTarget', args, args.workflowId, () => ({ title: '被并入的提案', proposalNo: null })),
    publishReply: (args) =>
      this.track('publishReply', args, args.workflowId, () => ({
        status: 'published' as const,
        indexNo: `000000000/2026-${++this.docSerial}`,
        publishedAt: args.now,
        kept: true,
        notificationKeys: [`${args.key}#0:published`],
      })),
  };
}

export interface StubWorker {
  worker: Worker;
  stubs: StubActivities;
  taskQueue: string;
  /** Stops polling and waits for the worker to finish; call once at the end of the file. */
  stop(): Promise<void>;
}

/**
 * A worker of this file's own on a task queue no other worker polls, with the run's workflow
 * bundle (built from workflows/index.ts by the global setup) and stub activities. Child
 * workflows inherit the task queue, so they run here too.
 */
export async function startStubWorker(taskQueue: string, options: StubOptions = {}): Promise<StubWorker> {
  const stubs = new StubActivities(options);
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: stubs.activities,
    maxCachedWorkflows: 100,
  });
  const running = worker.run();
  return {
    worker,
    stubs,
    taskQueue,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
