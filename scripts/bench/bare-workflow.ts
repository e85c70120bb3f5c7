import { defineUpdate, proxyActivities, proxyLocalActivities, setHandler, condition } from '@temporalio/workflow';

// The ceiling Banli's actions are measured against: a workflow whose Update handler awaits N
// no-op activities (ordinary or local) and nothing else. Same server, same run, same machine.

export interface BareActivities {
  noop(): Promise<void>;
}

const ordinary = proxyActivities<BareActivities>({ startToCloseTimeout: '10 seconds' });
const local = proxyLocalActivities<BareActivities>({ startToCloseTimeout: '10 seconds' });

export const bareUpdate = defineUpdate<number, [{ activities: number; local: boolean }]>('bare');
export const bareDone = defineUpdate<void, []>('done');

export async function bareWorkflow(): Promise<void> {
  let done = false;
  setHandler(bareUpdate, async ({ activities, local: useLocal }) => {
    for (let i = 0; i < activities; i++) await (useLocal ? local : ordinary).noop();
    return activities;
  });
  setHandler(bareDone, () => {
    done = true;
  });
  await condition(() => done);
}
