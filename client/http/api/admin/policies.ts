import { z } from 'zod';
import { activePolicy, publishPolicy } from '../../../../db/repositories/reference.js';
import type { AppDeps } from '../../env.js';
import type { Routes } from '../../route.js';

// The handling policy (办理规则) as data: durations, reminder offsets, the escalation ladder.
// A new version applies to new proposals, and to running ones when the administrator says so.

const clockOffset = z.strictObject({ amount: z.number().min(0).max(400), unit: z.enum(['calendar_days', 'seconds']) });
const rung = z.strictObject({ after: clockOffset, notify: z.enum(['liaison', 'leader', 'principal', 'office_committee']) });
const duration = z.strictObject({
  key: z.string().max(60),
  label: z.string().min(1).max(60),
  amount: z.number().int().positive().max(1200),
  unit: z.enum(['working_days', 'calendar_days', 'calendar_months', 'seconds']),
  rollToWorkingDay: z.boolean().optional(),
});
const policyBody = z.strictObject({
  name: z.string().min(1).max(100),
  proposalNumberFormat: z.string().min(1).max(60),
  replyClasses: z.array(z.string().min(1).max(10)).min(2).max(20),
  classesNeedingFollowUp: z.array(z.string().max(10)).max(20),
  ratingBy: z.enum(['first_proposer', 'all_proposers']),
  noFeedbackCountsAs: z.enum(['satisfied', 'excluded']),
  principalSignOffForKey: z.boolean(),
  durations: z.strictObject({
    adjustmentWindow: duration,
    coOpinion: duration,
    reply: duration,
    extensionCeiling: duration,
    feedbackWindow: duration,
    publication: duration,
    rehandling: duration,
    officeDecision: duration.optional(),
    jointConsent: duration.optional(),
  }),
  notFiledReasons: z
    .array(z.strictObject({ code: z.string().min(1).max(60), label: z.string().min(1).max(100) }))
    .min(1)
    .max(50),
  clock: z.strictObject({ reminderOffsets: z.array(clockOffset).max(20), escalation: z.array(rung).max(20), keyEscalation: z.array(rung).max(20) }),
  letterReissue: z.enum(['correction_note', 'number_suffix']).optional(),
  mergedReplies: z.enum(['own_letter', 'joint_letter']).optional(),
  continueAsNewAfterEvents: z.number().int().min(50).max(50_000).optional(),
});
const publishBody = z.strictObject({ body: policyBody, applyToRunning: z.boolean().optional() });

export function policyRoutes(r: Routes, deps: AppDeps): void {
  const { db, proposals } = deps;

  r.mount({ method: 'get', path: '/api/policies/active', summary: '现行办理规则', tag: '日历与规则' }, async (c) => c.json((await activePolicy(db)) ?? null));

  r.mount(
    { method: 'put', roles: ['admin'], path: '/api/policies/active', summary: '发布新版办理规则（管理员）', tag: '日历与规则', body: publishBody, problems: [403] },
    async (c, { body }) => {
      const user = c.get('user');
      const version = await publishPolicy(db, body.body.name, body.body, user.id);
      const signalled = body.applyToRunning === true ? await proposals.broadcastDeadlinesChanged(`${user.display_name}发布了办理规则第${version}版`, true) : 0;
      return c.json({ version, signalled });
    },
  );
}
