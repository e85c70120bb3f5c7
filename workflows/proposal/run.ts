import { currentUpdateInfo, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { store } from '../common/activity-proxies.js';
import { WorkflowLock } from '../common/lock.js';
import { BanliKeyProposal, BanliNextDue, BanliProposalNo, BanliSession, BanliStage, BanliUnits } from '../shared/search-attributes.js';
import type { Actor } from '../shared/types.js';
import type { ActionOutcome } from './actions/index.js';
import type { CarriedRun, ChildTaskSent } from './definitions.js';
import { projectionOf, unitTasksOf } from './projection.js';
import { applySignalled, stillAtRisk, type SignalFact, type SignalledFact } from './signalled.js';
import { nextDue, type ProposalState } from './state.js';

export function nowIso(): string {
  return new Date(Date.now()).toISOString();
}

/**
 * Everything one run of a proposal's workflow keeps between handlers and the main loop, and the
 * one way a step is recorded (`commit`). Everything here is carried into the next run when the
 * workflow continues as new.
 */
export class ProposalRun {
  readonly workflowId = workflowInfo().workflowId;
  readonly lock = new WorkflowLock();
  private stateNow: ProposalState | null;
  /** Signalled facts a step in flight may still overwrite (see signalled.ts); only while a step holds the lock. */
  private signalled: SignalledFact[] = [];
  /** From this version on, a signal's effect survives a step that read the state before it. */
  private readonly signalsSurviveSteps = patched('signals-survive-steps-v1');
  readonly outbox: string[];
  readonly pendingMerges: { target: string; proposerIds: number[] }[];
  feedbackNotedRound: number | null;
  recalculation: { reason: string; reloadPolicy: boolean } | null;
  /** A co-unit's answer changed state at once; the read model follows in the main loop. */
  coProjectionStale: boolean;
  readonly coSent: Record<string, ChildTaskSent>;
  readonly replySent: Record<string, ChildTaskSent>;
  /** Updates applied by earlier runs (carried) and by this one, newest last. */
  private readonly appliedUpdates: string[];
  private readonly appliedEarlier: ReadonlySet<string>;
  /** Set once registration is done: which versions of the child-task wiring this run follows. */
  coChildren: boolean | undefined;
  replyChildren: boolean | undefined;
  /** From this version on, a sent letter whose class changed is issued again. */
  reissueLetters: boolean | undefined;

  constructor(carried: CarriedRun | undefined) {
    this.stateNow = carried?.state ?? null;
    this.outbox = [...(carried?.outbox ?? [])];
    this.pendingMerges = [...(carried?.pendingMerges ?? [])];
    this.feedbackNotedRound = carried?.feedbackNotedRound ?? null;
    this.recalculation = carried?.recalculation ?? null;
    this.coProjectionStale = carried?.coProjectionStale ?? false;
    this.coSent = { ...(carried?.coSent ?? {}) };
    this.replySent = { ...(carried?.replySent ?? {}) };
    this.appliedUpdates = [...(carried?.appliedUpdates ?? [])];
    this.appliedEarlier = new Set(this.appliedUpdates);
  }

  /** True when the current Update was applied by an earlier run of this workflow (a client's retry). */
  updateAppliedEarlier(): boolean {
    const id = currentUpdateInfo()?.id;
    return id !== undefined && this.appliedEarlier.has(id);
  }

  /** Notes the current Update as applied, for the runs that follow. */
  noteUpdateApplied(): void {
    const id = currentUpdateInfo()?.id;
    if (id !== undefined) this.appliedUpdates.push(id);
  }

  get state(): ProposalState | null {
    return this.stateNow;
  }

  set state(next: ProposalState | null) {
    if (!next || !this.signalsSurviveSteps) {
      this.stateNow = next;
      return;
    }
    this.signalled = stillAtRisk(this.signalled, this.lock.holding);
    const overlaid = this.signalled.reduce((state, { fact }) => applySignalled(state, fact), next);
    // A step's projection was computed without the fact; the main loop writes it again.
    if (overlaid !== next) this.coProjectionStale = true;
    this.stateNow = overlaid;
  }

  /** A fact a signal told (a co-unit's answer, a proposal merged into this one), applied at once and kept over steps in flight. */
  noteSignalled(fact: SignalFact): void {
    if (!this.stateNow) return;
    if (this.signalsSurviveSteps) this.signalled.push({ acquisitionsAtArrival: this.lock.holding.acquisitions, fact });
    this.stateNow = applySignalled(this.stateNow, fact);
  }

  /** The state once registered; main-loop code runs only after registration. */
  get current(): ProposalState {
    if (!this.state) throw new TypeError('proposal state read before registration');
    return this.state;
  }

  carry(): CarriedRun {
    return {
      state: this.current,
      outbox: this.outbox,
      pendingMerges: this.pendingMerges,
      feedbackNotedRound: this.feedbackNotedRound,
      recalculation: this.recalculation,
      coProjectionStale: this.coProjectionStale,
      coSent: this.coSent,
      replySent: this.replySent,
      // Retries come within minutes; the newest few hundred ids cover them and keep the input small.
      appliedUpdates: this.appliedUpdates.slice(-500),
    };
  }

  /** Idempotency key of the step an Update takes: the Update's id survives retries and continue-as-new. */
  stepKey(fallback: string): string {
    return `${this.workflowId}:${currentUpdateInfo()?.id ?? fallback}`;
  }

  publishSearchAttributes(): void {
    const s = this.current;
    const due = nextDue(s);
    upsertSearchAttributes([
      { key: BanliSession, value: s.sessionCode },
      { key: BanliStage, value: s.stage },
      { key: BanliUnits, value: s.units.map((u) => u.unitId) },
      { key: BanliKeyProposal, value: s.keyProposal },
      { key: BanliNextDue, value: due ? new Date(due.at) : null },
      { key: BanliProposalNo, value: s.proposalNo },
    ]);
  }

  /**
   * Records one accepted step (event row, projection, unit tasks, queued mail), then takes its
   * state. A person's action records through `store`; the workflow's own steps pass `background`.
   */
  async commit(key: string, actor: Actor | null, outcome: ActionOutcome, now: string, steps: typeof store = store): Promise<void> {
    const result = await steps.recordStep({
      key,
      workflowId: this.workflowId,
      actor,
      record: outcome.record,
      projection: projectionOf(outcome.state, now),
      tasks: unitTasksOf(outcome.state),
      now,
    });
    this.state = outcome.state;
    this.outbox.push(...result.notificationKeys);
    if (outcome.mergeInto) {
      this.pendingMerges.push({ target: outcome.mergeInto, proposerIds: [...this.state.proposerIds, ...this.state.mergedProposerIds] });
    }
    this.publishSearchAttributes();
  }
}
