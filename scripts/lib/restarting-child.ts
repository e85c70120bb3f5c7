import type { ChildProcess } from 'node:child_process';
import { relayLines } from './stack-helpers.js';

/** How a child that dies after it was up is brought back. */
export interface RestartPolicy {
  /** The first wait before a restart; it doubles with each quick death, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A child up this long before it died is restarted after firstDelayMs again. */
  stableAfterMs: number;
  /** More deaths than this within windowMs: something is wrong that a restart will not fix. */
  maxDeathsInWindow: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { firstDelayMs: 1_000, maxDelayMs: 30_000, stableAfterMs: 60_000, maxDeathsInWindow: 5, windowMs: 5 * 60_000 };

export interface RestartingChildOptions {
  name: string;
  spawn: () => ChildProcess;
  /** A line of the child's output that says it is ready. */
  ready: RegExp;
  /** Each process started, so the owner can stop the current one. */
  onProcess: (child: ChildProcess) => void;
  stopping: () => boolean;
  /** Deaths came too fast; the owner stops the stack. */
  giveUp: (reason: string) => void;
  say: (line: string) => void;
  warn: (line: string) => void;
  policy?: RestartPolicy;
}

const how = (code: number | null, signal: NodeJS.Signals | null) => signal ?? `code ${String(code)}`;

/**
 * A worker or HTTP server under `npm start`: started once (a failure to come up stops the
 * start), then restarted with backoff whenever it dies, while the rest of the stack stays up.
 */
export class RestartingChild {
  private readonly policy: RestartPolicy;
  private everReady = false;
  private delayMs: number;
  private readonly deaths: number[] = [];

  constructor(private readonly o: RestartingChildOptions) {
    this.policy = o.policy ?? DEFAULT_RESTART_POLICY;
    this.delayMs = this.policy.firstDelayMs;
  }

  /** Resolves with the first ready line; rejects if the child exits before it is ready the first time. */
  start(): Promise<string> {
    return new Promise((resolve, reject) => this.launch(resolve, reject));
  }

  private launch(onFirstReady?: (line: string) => void, onFirstFailure?: (err: Error) => void): void {
    if (this.o.stopping()) return;
    const child = this.o.spawn();
    const startedAt = Date.now();
    this.o.onProcess(child);
    let readyHere = false;
    const onLine = (line: string) => {
      if (readyHere || !this.o.ready.test(line)) return;
      readyHere = true;
      if (this.everReady) this.o.say(`${this.o.name} restarted`);
      this.everReady = true;
      onFirstReady?.(line);
    };
    relayLines(child.stdout, `[${this.o.name}]`, process.stdout, onLine);
    relayLines(child.stderr, `[${this.o.name}]`, process.stderr, onLine);
    child.on('error', (err) => onFirstFailure?.(err));
    child.on('exit', (code, signal) => {
      if (this.o.stopping()) return;
      if (!this.everReady) {
        onFirstFailure?.(new Error(`${this.o.name} exited during start (${how(code, signal)})`));
        return;
      }
      this.afterDeath(Date.now() - startedAt, how(code, signal));
    });
  }

  private afterDeath(upForMs: number, cause: string): void {
    const now = Date.now();
    this.deaths.push(now);
    while (this.deaths.length > 0 && this.deaths[0]! < now - this.policy.windowMs) this.deaths.shift();
    if (this.deaths.length > this.policy.maxDeathsInWindow) {
      this.o.giveUp(`${this.o.name} died ${this.deaths.length} times within ${this.policy.windowMs / 60_000} min (last: ${cause})`);
      return;
    }
    if (upForMs >= this.policy.stableAfterMs) this.delayMs = this.policy.firstDelayMs;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.policy.maxDelayMs);
    this.o.warn(`${this.o.name} exited unexpectedly (${cause}); restarting in ${delay / 1000} s, the rest of the stack stays up`);
    setTimeout(() => this.launch(), delay).unref();
  }
}
