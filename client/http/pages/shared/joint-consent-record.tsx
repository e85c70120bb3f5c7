import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.js';
import { consentRecordOfProposal, type JointDraftRecord } from '../../../read/joint-consent.js';
import type { Viewer } from '../../../read/visibility.js';
import { cnDateTime } from '../layout.js';

// 联名情况 on a proposal's page: who was invited, who accepted, declined or never answered, and
// which answers the office entered from paper. The same record as GET /api/proposals/{id}/joint-consent.

export async function loadJointConsentRecord(db: Kysely<Database>, viewer: Viewer, proposalId: string): Promise<JointDraftRecord | null> {
  const found = await consentRecordOfProposal(db, viewer, proposalId);
  return found.found ? found.record : null;
}

export function JointConsentRecord(p: { record: JointDraftRecord | null }) {
  const r = p.record;
  if (!r) return null;
  const co = r.signers.filter((s) => s.position > 0);
  const count = (statuses: string[]) => co.filter((s) => statuses.includes(s.status)).length;
  return (
    <section aria-labelledby="joint-consent">
      <h2 id="joint-consent">联名情况</h2>
      <p class="hint">
        邀请附议人{co.length}位：同意{count(['accepted', 'paper_accepted'])}位，谢绝{count(['declined', 'paper_declined'])}位，未答复{count(['expired'])}位。答复期限
        {cnDateTime(r.expiresAt)}（{r.expiryExplanation}）。提案按第一提案人和同意联名的附议人登记。
      </p>
      <table class="table responsive">
        <caption class="visually-hidden">联名人及其答复</caption>
        <thead>
          <tr>
            <th scope="col">序</th>
            <th scope="col">姓名</th>
            <th scope="col">答复</th>
            <th scope="col">答复时间</th>
            <th scope="col">说明</th>
          </tr>
        </thead>
        <tbody>
          {r.signers.map((s) => (
            <tr>
              <td data-label="序">{s.position === 0 ? '第一提案人' : s.position}</td>
              <td data-label="姓名">{s.name}</td>
              <td data-label="答复">
                <strong class={`tag ${s.status === 'expired' || s.status.endsWith('declined') ? 'tag-late' : ''}`}>{s.statusLabel}</strong>
              </td>
              <td data-label="答复时间">{s.answeredAt ? cnDateTime(s.answeredAt) : '—'}</td>
              <td data-label="说明">{s.comment ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
