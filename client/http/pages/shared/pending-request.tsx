import { cnDate } from '../layout.js';
import { urgencyOf } from './proposal-view.js';

// A unit's request waiting for the office (申请调整, 申请延期), shown on the unit's task with
// the date the office owes its decision by, so a liaison knows what they wait for and until when,
// and the office sees at a glance which decisions it is late with.

export function PendingRequest(p: { status?: string | undefined; extensionPendingTo?: string | null | undefined; decisionDueAt?: string | null | undefined }) {
  const adjusting = p.status === 'adjustment_requested';
  if (!adjusting && !p.extensionPendingTo) return null;
  const what = adjusting ? '调整申请待交办单位审批' : `已申请延期至${cnDate(p.extensionPendingTo ?? null)}，待交办单位审批`;
  const late = urgencyOf(p.decisionDueAt ?? null, false) === 'overdue';
  return (
    <div class="hint pending-request">
      {what}
      {p.decisionDueAt ? (
        <>
          ，审批期限{cnDate(p.decisionDueAt)}
          {late ? <strong class="tag tag-key">审批已超期</strong> : null}
        </>
      ) : null}
    </div>
  );
}
