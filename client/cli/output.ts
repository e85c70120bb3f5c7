import type { FailureType } from '../../workflows/shared/failures.js';
import { FAILURES } from '../../workflows/shared/failures.js';
import type { ProblemBody } from '../http/problem.js';

// What a command says and how it ends. Exit codes: 0 done; 1 refused (the workflow, the
// visibility rule or a role said no, or a service was away), with the reason; 2 bad input
// (usage, an unreadable file, a row or field that does not pass the schema). With --json the
// one result, or the refusal in the API's { error, message, field? } shape, goes to stdout.

export type ExitCode = 0 | 1 | 2;

export class CliFailure extends Error {
  constructor(
    readonly exitCode: 1 | 2,
    readonly type: FailureType,
    message: string,
    readonly field?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): ProblemBody {
    return { ...this.extra, error: this.type, message: this.message, ...(this.field ? { field: this.field } : {}) };
  }
}

/** Input problems (422) are the caller's to fix (2); everything else is a refusal (1). */
export function exitCodeOf(type: FailureType): 1 | 2 {
  return FAILURES[type] === 422 ? 2 : 1;
}

export function failureOf(problem: ProblemBody, extra: Record<string, unknown> = {}): CliFailure {
  const { error, message, field, ...rest } = problem;
  return new CliFailure(exitCodeOf(error), error, message, field, { ...rest, ...extra });
}

export interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export interface Progress {
  update(done: number, total: number): void;
  end(): void;
}

const NO_PROGRESS: Progress = { update: () => undefined, end: () => undefined };

export class Output {
  constructor(
    readonly json: boolean,
    private readonly streams: Streams,
  ) {}

  /** The command's result: JSON on stdout, or the lines a person reads. */
  result(value: unknown, lines: () => string[]): void {
    if (this.json) this.streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else for (const line of lines()) this.streams.stdout.write(`${line}\n`);
  }

  /** A refusal; `details` (lines naming each row at fault) are for people, JSON carries the data. */
  failure(f: CliFailure): void {
    const { details, ...body } = f.body();
    if (this.json) {
      this.streams.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      return;
    }
    this.streams.stderr.write(`banli: ${f.message}${f.field ? `（${f.field}）` : ''}\n`);
    if (Array.isArray(details)) for (const line of details) this.streams.stderr.write(`  ${String(line)}\n`);
  }

  /** Raw bytes on stdout (a workbook sent into a pipe). */
  bytes(data: Uint8Array): void {
    this.streams.stdout.write(data);
  }

  note(line: string): void {
    if (!this.json) this.streams.stderr.write(`${line}\n`);
  }

  /** A bar on stderr for long batches, drawn only on a terminal (never into a pipe or a log). */
  progress(label: string): Progress {
    const err = this.streams.stderr;
    if (!err.isTTY) return NO_PROGRESS;
    let last = 0;
    let drawn = false;
    const draw = (done: number, total: number) => {
      const width = Math.max(10, Math.min(40, (err.columns ?? 80) - label.length * 2 - 20));
      const filled = total === 0 ? width : Math.round((done / total) * width);
      err.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      drawn = true;
    };
    return {
      update(done, total) {
        const now = Date.now();
        if (done === total || now - last >= 100) {
          last = now;
          draw(done, total);
        }
      },
      end() {
        if (drawn) err.write('\n');
      },
    };
  }
}
