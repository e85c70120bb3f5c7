import { describe, expect, it } from 'vitest';
import { CliFailure, exitCodeOf, failureOf, Output } from '../../../../client/cli/output.js';

// How a command ends: exit codes by failure type, --json refusals in the API's shape, and the
// progress bar drawn only on a terminal.

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return {
    chunks,
    stream: { isTTY, columns: 80, write: (s: string | Uint8Array) => (chunks.push(String(s)), true) } as unknown as NodeJS.WritableStream & { isTTY: boolean },
  };
}

describe('CLI output', () => {
  it('maps input problems to 2 and every other refusal to 1', () => {
    expect(exitCodeOf('INVALID_INPUT')).toBe(2);
    expect(exitCodeOf('DATA_REJECTED')).toBe(2);
    for (const type of ['FORBIDDEN_ROLE', 'NOT_YOUR_UNIT', 'NOT_FOUND', 'WRONG_STAGE', 'CONFLICT', 'UNAVAILABLE', 'INTERNAL'] as const)
      expect(exitCodeOf(type)).toBe(1);
    expect(failureOf({ error: 'WRONG_STAGE', message: '当前阶段不能交办', field: 'stage', extra: 1 })).toMatchObject({
      exitCode: 1,
      type: 'WRONG_STAGE',
      field: 'stage',
      extra: { extra: 1 },
    });
  });

  it('prints a refusal as JSON on stdout with --json, and as a line (with its row details) on stderr without', () => {
    const failure = new CliFailure(2, 'INVALID_INPUT', '有1处问题', 'file', { details: ['第5行「标题」：提案标题太短'], errors: [{ row: 5 }] });
    const out = sink(false);
    const err = sink(false);
    new Output(true, { stdout: out.stream, stderr: err.stream }).failure(failure);
    expect(JSON.parse(out.chunks.join(''))).toEqual({ error: 'INVALID_INPUT', message: '有1处问题', field: 'file', errors: [{ row: 5 }] });
    expect(err.chunks).toEqual([]);
    const out2 = sink(false);
    const err2 = sink(false);
    new Output(false, { stdout: out2.stream, stderr: err2.stream }).failure(failure);
    expect(out2.chunks).toEqual([]);
    expect(err2.chunks.join('')).toBe('banli: 有1处问题（file）\n  第5行「标题」：提案标题太短\n');
  });

  it('draws the progress bar on a terminal only, ending with a newline', () => {
    const tty = sink(true);
    const bar = new Output(false, { stdout: sink(false).stream, stderr: tty.stream }).progress('登记');
    bar.update(1, 4);
    bar.update(4, 4);
    bar.end();
    expect(tty.chunks[0]).toMatch(/^\r登记 \[#+\.+\] 1\/4$/);
    expect(tty.chunks.at(-2)).toMatch(/^\r登记 \[#+\] 4\/4$/);
    expect(tty.chunks.at(-1)).toBe('\n');
    const pipe = sink(false);
    const none = new Output(false, { stdout: sink(false).stream, stderr: pipe.stream }).progress('登记');
    none.update(1, 1);
    none.end();
    expect(pipe.chunks).toEqual([]);
  });
});
