import { condition, defineUpdate, ParentClosePolicy, setHandler, startChild, uuid4 } from '@temporalio/workflow';

// The ceiling for a session's batch assignment: a parent whose Update starts N child workflows
// (one per unit task, as assign does) and answers once they run; the children wait. No
// database, no validation: what the server and the SDK cost for the same shape of work.

export const bareAssign = defineUpdate<number, [{ children: number }]>('bareAssign');

export async function bareChild(): Promise<void> {
  await condition(() => false);
}

export async function bareParent(): Promise<void> {
  setHandler(bareAssign, async ({ children }) => {
    const started = [];
    for (let i = 0; i < children; i++) {
      started.push(startChild(bareChild, { workflowId: `bare-child-${uuid4()}`, parentClosePolicy: ParentClosePolicy.ABANDON }));
    }
    await Promise.all(started);
    return children;
  });
  await condition(() => false);
}
