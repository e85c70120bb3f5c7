import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { TypedSearchAttributes, type UpdateDefinition } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { submitCoOpinionUpdate } from '../workflows/co-opinion/definitions.js';
import {
  actionUpdates,
  deadlinesChangedSignal,
  proposalWorkflowId,
  registerUpdate,
  stateQuery,
  type ActionPayload,
  type ProposalView,
  type RegisterInput,
} from '../workflows/proposal/definitions.js';
import type { ActionInput, ActionName } from '../workflows/proposal/machine.js';
import { parseActionInput } from '../workflows/proposal/parse.js';
import { proposalHandling } from '../workflows/proposal/workflow.js';
import { BanliKeyProposal, BanliSession, BanliStage, BanliUnits } from '../workflows/shared/search-attributes.js';
import type { Actor } from '../workflows/shared/types.js';
import { mapBounded } from './bounded.js';
import { DEFAULT_HTTP_LIMITS } from './settings.js';

export interface ProposalClientOptions {
  /**
   * How long a caller waits for an Update or a query. Past it the call fails with Temporal's
   * WorkflowUpdateRPCTimeoutOrCancelledError (or a DEADLINE_EXCEEDED service error) while the
   * Update itself goes on: asking again with the same update id attaches to it.
   */
  waitMs?: number;
}

/** Typed access to proposal workflows; the HTTP layer, the CLI and tests all go through here. */
export class ProposalClient {
  readonly waitMs: number;

  constructor(
    readonly client: Client,
    readonly taskQueue: string,
    options: ProposalClientOptions = {},
  ) {
    this.waitMs = options.waitMs ?? DEFAULT_HTTP_LIMITS.updateWaitMs;
  }

  private bounded<T>(fn: () => Promise<T>): Promise<T> {
    return this.client.withDeadline(Date.now() + this.waitMs, fn);
  }

  /** 登记: starts the proposal's workflow and records the receipt in one call (update-with-start). */
  async register(input: RegisterInput, updateId?: string): Promise<ProposalView> {
    const workflowId = proposalWorkflowId(input.sessionCode, input.receiptNo);
    const start = new WithStartWorkflowOperation(proposalHandling, {
      workflowId,
      taskQueue: this.taskQueue,
      args: [{ sessionCode: input.sessionCode, receiptNo: input.receiptNo }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: new TypedSearchAttributes([
        { key: BanliSession, value: input.sessionCode },
        { key: BanliStage, value: 'received' },
        { key: BanliUnits, value: [] },
        { key: BanliKeyProposal, value: false },
      ]),
    });
    return this.bounded(() =>
      this.client.workflow.executeUpdateWithStart(registerUpdate, {
        args: [input],
        startWorkflowOperation: start,
        updateId: updateId ?? `register:${randomUUID()}`,
      }),
    );
  }

  /** One human action as an Update; the same update id answers with the first result. */
  act<K extends ActionName>(workflowId: string, action: K, actor: Actor, fields: ActionInput<K>, updateId?: string): Promise<ProposalView> {
    const id = updateId ?? `${action}:${randomUUID()}`;
    return this.bounded(() => this.actNow(workflowId, action, actor, fields, id));
  }

  private async actNow<K extends ActionName>(workflowId: string, action: K, actor: Actor, fields: ActionInput<K>, updateId: string): Promise<ProposalView> {
    const handle = this.client.workflow.getHandle(workflowId);
    const coOpinion = action === 'submitCoOpinion' ? parseActionInput('submitCoOpinion', fields) : null;
    if (coOpinion?.ok && actor.unitId) {
      // A co-unit's opinion goes to its own 会办任务 (child workflow) when the proposal has one;
      // the step that assigned the unit answered only once that task was running.
      const state = await handle.query(stateQuery);
      const task = state?.coTasks?.[actor.unitId];
      const stillCo = state?.units.some((u) => u.unitId === actor.unitId && u.role === 'co' && u.coOpinion?.status === 'due');
      // A unit taken off the proposal falls through to the proposal, which refuses it.
      if (state && task && task.round === state.round && stillCo) {
        await this.client.workflow.getHandle(task.workflowId).executeUpdate(submitCoOpinionUpdate, {
          args: [{ ...coOpinion.value, actor }],
          updateId,
        });
        return (await handle.query(stateQuery))!;
      }
    }
    const update: UpdateDefinition<ProposalView, [ActionPayload<K>], K> = actionUpdates[action];
    return handle.executeUpdate(update, { args: [{ ...fields, actor }], updateId });
  }

  /**
   * Tells every running proposal that calendar or policy changed, so each recomputes its open
   * deadlines. Signals are fire-and-forget and each workflow dedupes by recomputing once.
   */
  async broadcastDeadlinesChanged(reason: string, reloadPolicy: boolean): Promise<number> {
    const ids: string[] = [];
    for await (const wf of this.client.workflow.list({ query: `WorkflowType = 'proposalHandling' AND ExecutionStatus = 'Running'` })) {
      ids.push(wf.workflowId);
    }
    await mapBounded(ids, 16, (id) =>
      this.client.workflow
        .getHandle(id)
        .signal(deadlinesChangedSignal, { reason, reloadPolicy })
        .catch(() => undefined),
    );
    return ids.length;
  }

  async state(workflowId: string): Promise<ProposalView | null> {
    return this.bounded(() => this.client.workflow.getHandle(workflowId).query(stateQuery));
  }

  /** Whether the Temporal frontend answers within `timeoutMs` (for /healthz). */
  async ping(timeoutMs: number): Promise<void> {
    await this.client.withDeadline(Date.now() + timeoutMs, () => this.client.workflowService.getSystemInfo({}));
  }
}
