import { Worker, type NativeConnection } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { ClassifyActivityFailures } from './activity-failures.js';
import { makeJointConsentActivities } from '../activities/joint-consent.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  maxCachedWorkflows?: number;
  /** A prebuilt bundle (tests build one per run); otherwise the worker bundles the workflows itself. */
  workflowBundlePath?: string;
}

export function createProposalWorker(options: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    activities: { ...createActivities(options.deps), ...makeJointConsentActivities(options.deps.db, options.deps.feedbackLinks) },
    // About 1 MB each; 500 keeps a provincial session's active proposals warm on a small machine.
    maxCachedWorkflows: options.maxCachedWorkflows ?? 500,
    maxConcurrentActivityTaskExecutions: 50,
    interceptors: { activity: [() => ({ inbound: new ClassifyActivityFailures() })] },
  });
}
