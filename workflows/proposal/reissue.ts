import { background } from '../common/activity-proxies.js';
import { projectionOf, unitTasksOf } from './projection.js';
import { nowIso, type ProposalRun } from './run.js';
import { replyRecipients, type LetterReissue, type ProposalState, type ReplyTrack } from './state.js';

// 答复函更正重发: when the office changes the A/B/C class of a reply already sent, the letter the
// proposer holds is wrong. The workflow issues it again (a system step, like dispatch): the
// activity renders and stores the new letter beside the old one and mails it, idempotent by key.

export function pendingReissues(state: ProposalState): { track: ReplyTrack; reissue: LetterReissue }[] {
  return state.tracks.flatMap((track) => (track.reissues ?? []).filter((r) => r.docNo === null).map((reissue) => ({ track, reissue })));
}

export function reissueDue(run: ProposalRun): boolean {
  return run.reissueLetters === true && pendingReissues(run.current).length > 0;
}

export async function reissueLetters(run: ProposalRun): Promise<void> {
  for (const { track, reissue } of pendingReissues(run.current)) {
    const current = run.current;
    const draft = track.drafts[track.drafts.length - 1]!;
    const now = nowIso();
    const result = await background.reissueReply({
      key: `${run.workflowId}:reissue:${track.unitId}:round${current.round}:issue${reissue.issue}`,
      workflowId: run.workflowId,
      unitId: track.unitId,
      round: current.round,
      version: draft.version,
      issue: reissue.issue,
      fromClass: reissue.fromClass,
      replyClass: reissue.toClass,
      reason: reissue.reason,
      mode: current.policy.body.letterReissue ?? 'correction_note',
      sentDocNo: track.docNo!,
      sentAt: track.dispatchedAt,
      bodyHash: draft.bodyHash,
      proposalNo: current.proposalNo,
      title: current.title,
      recipients: replyRecipients(current),
      supervisingLeaderEmail: current.keyProposal ? (current.supervisingLeaderEmail ?? null) : null,
      coUnits: current.units.filter((u) => u.role === 'co').map((u) => u.unitId),
      projection: projectionOf(current, now),
      tasks: unitTasksOf(current),
      now,
    });
    const issued = (t: ReplyTrack): ReplyTrack =>
      t.unitId === track.unitId ? { ...t, reissues: (t.reissues ?? []).map((r) => (r.issue === reissue.issue ? { ...r, docNo: result.docNo } : r)) } : t;
    run.state = { ...current, tracks: current.tracks.map(issued) };
    run.outbox.push(...result.notificationKeys);
  }
}
