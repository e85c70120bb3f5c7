import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { TemporalSettings } from '../worker/config.js';
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
import { proposalHandling } from '../workflows/proposal/workflow.js';
import { BanliKeyProposal, BanliSession, BanliStage, BanliUnits } from '../workflows/shared/search-attributes.js';
import { TypedSearchAttributes } from '@temporalio/common';
import type { ActionInput, ActionName } from '../workflows/proposal/machine.js';
import { parseActionInput } from '../workflows/proposal/parse.js';
import type { UpdateDefinition } from '@temporalio/common';
import type { Actor } from '../workflows/shared/types.js';
import { mapBounded } from './bounded.js';
import { submitCoOpinionUpdate } from '../workflows/co-opinion/definitions.js';

export async function connectTemporalClient(settings: TemporalSettings): Promise<Client> {
  const connection = await Connection.connect({
    address: settings.address,
    tls: settings.tls,
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
  });
  return new Client({ connection, namespace: settings.namespace });
}

/** Typed access to proposal workflows; the HTTP layer, the CLI and tests all go through here. */
export class ProposalClient {
  constructor(
    readonly client: Client,
    readonly taskQueue: string,
  ) {}

  /** 登记: starts the proposal's workflow and records the receipt in one call (update-with-start). */
  async register(input: RegisterInput, idempotencyKey?: string): Promise<ProposalView> {
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
    return this.client.workflow.executeUpdateWithStart(registerUpdate, {
      args: [input],
      startWorkflowOperation: start,
      updateId: idempotencyKey ?? `register:${randomUUID()}`,
    });
  }

  async act<K extends ActionName>(workflowId: string, action: K, actor: Actor, fields: ActionInput<K>, idempotencyKey?: string): Promise<ProposalView> {
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
          updateId: idempotencyKey ?? `${action}:${randomUUID()}`,
        });
        return (await handle.query(stateQuery))!;
      }
    }
    const update: UpdateDefinition<ProposalView, [ActionPayload<K>], K> = actionUpdates[action];
    return handle.executeUpdate(update, {
      args: [{ ...fields, actor }],
      updateId: idempotencyKey ?? `${action}:${randomUUID()}`,
    });
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
    await mapBounded(ids, 16, (id) => this.client.workflow.getHandle(id).signal(deadlinesChangedSignal, { reason, reloadPolicy }).catch(() => undefined));
    return ids.length;
  }

  async state(workflowId: string): Promise<ProposalView | null> {
    return this.client.workflow.getHandle(workflowId).query(stateQuery);
  }
}

