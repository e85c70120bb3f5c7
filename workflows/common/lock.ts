import { condition } from '@temporalio/workflow';

/**
 * Serialises handlers that await activities so two actions never interleave on one proposal.
 *
 * Each caller takes a ticket and waits until the lock is free *and* its ticket is first. The
 * ticket matters: `condition` evaluates every waiter's predicate in the same pass, so a bare
 * "not held" test let two waiters in at once (two concurrent Updates ran side by side and one
 * was lost). Waiters enter in arrival order. It is built on `condition`, like the rest of the
 * workflow, so an uncontended acquire resolves at exactly the same point in an activation as
 * before and committed histories replay unchanged.
 */
export class WorkflowLock {
  private held = false;
  private readonly waiting: number[] = [];
  private issued = 0;
  private acquired = 0;

  async runExclusive<T>(fn: () => Promise<T>): Promise<T> {
    const ticket = this.issued++;
    this.waiting.push(ticket);
    await condition(() => !this.held && this.waiting[0] === ticket);
    this.waiting.shift();
    this.held = true;
    this.acquired++;
    try {
      return await fn();
    } finally {
      this.held = false;
    }
  }

  /** Whether a caller holds the lock now, and how many times it has been taken, for state that outlives one holder. */
  get holding(): { held: boolean; acquisitions: number } {
    return { held: this.held, acquisitions: this.acquired };
  }

  get isHeld(): boolean {
    return this.held || this.waiting.length > 0;
  }
}
