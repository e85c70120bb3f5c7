import { condition } from '@temporalio/workflow';

/**
 * Serialises handlers that await activities so two actions never interleave on one proposal.
 * Built on `condition`, so it is deterministic under replay like the rest of the workflow.
 */
export class WorkflowLock {
  private held = false;

  async runExclusive<T>(fn: () => Promise<T>): Promise<T> {
    await condition(() => !this.held);
    this.held = true;
    try {
      return await fn();
    } finally {
      this.held = false;
    }
  }

  get isHeld(): boolean {
    return this.held;
  }
}
