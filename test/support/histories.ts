import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { writeFileSync } from 'node:fs';

/**
 * With RECORD_HISTORIES=1 (npm run record-histories), saves a finished run's history as a
 * replay fixture. The committed fixtures guard every later change of workflow code.
 */
export async function maybeRecordHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  // The workflow id is kept with the history: child workflow ids are derived from it on replay.
  const fixture = { workflowId, history: JSON.parse(historyToJSON(history)) as unknown };
  writeFileSync(new URL(`../fixtures/histories/${name}.json`, import.meta.url), JSON.stringify(fixture, null, 1));
}
