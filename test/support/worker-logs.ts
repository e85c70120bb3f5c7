import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';

// The Temporal runtime of each test process (workers created by the tests themselves: replay,
// time skipping, the workflow tier). A green run prints nothing from it: warnings and errors
// are printed only when a test did not ask to see them, and a test that provokes failures on
// purpose (the deliberate non-determinism replay) captures them and asserts on them instead.
// Core's own logs come through the same logger.

let capture: LogEntry[] | null = null;

/** Temporal's Java test server (time skipping) lacks a capability the dev server has; harmless here. */
const EXPECTED = [/did not advertise the activity_failure_include_heartbeat capability/];

function sink(entry: LogEntry): void {
  if (EXPECTED.some((re) => re.test(entry.message))) return;
  if (capture) {
    capture.push(entry);
    return;
  }
  process.stderr.write(
    `[temporal ${entry.level}] ${entry.message} ${entry.meta ? JSON.stringify(entry.meta, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) : ''}\n`,
  );
}

Runtime.install({
  logger: new DefaultLogger('WARN', sink),
  telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
});

/** Runs fn with the runtime's warnings and errors collected instead of printed. */
export async function withWorkerLogs<T>(fn: () => Promise<T>): Promise<{ result: T; logs: LogEntry[] }> {
  const logs: LogEntry[] = [];
  capture = logs;
  try {
    const result = await fn();
    // Core's forwarded lines are buffered for ~100 ms before they reach the logger.
    await new Promise((r) => setTimeout(r, 300));
    return { result, logs };
  } finally {
    capture = null;
  }
}
