import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { bareDone, bareUpdate, bareWorkflow } from './bare-workflow.js';

const BARE_WORKFLOWS = fileURLToPath(new URL('./bare-workflow.ts', import.meta.url));

export interface BareCeilings {
  /** Latencies (ms) of sequential Updates awaiting `activities` no-op activities. */
  measure(activities: number, local: boolean, runs: number): Promise<number[]>;
  stop(): Promise<void>;
}

/** A worker for the bare workflow on its own task queue, on the same server as Banli's. */
export async function startBare(address: string, client: Client): Promise<BareCeilings> {
  const connection = await NativeConnection.connect({ address });
  const taskQueue = `bare-${randomUUID().slice(0, 8)}`;
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: BARE_WORKFLOWS, logger: new DefaultLogger('WARN') });
  const worker = await Worker.create({ connection, taskQueue, workflowBundle, activities: { noop: () => Promise.resolve() } });
  const running = worker.run();
  const handle = await client.workflow.start(bareWorkflow, { taskQueue, workflowId: `bare-${randomUUID()}` });
  return {
    async measure(activities, local, runs) {
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await handle.executeUpdate(bareUpdate, { args: [{ activities, local }] });
        samples.push(performance.now() - t);
      }
      return samples;
    },
    async stop() {
      await handle.executeUpdate(bareDone);
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
