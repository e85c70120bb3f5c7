import type { Kysely } from 'kysely';
import { cachedCalendarLoader } from './deadlines/calendar-cache.js';
import type { Database } from '../db/schema.js';
import type { DueRequest } from '../workflows/proposal/state.js';
import type { DueDate, DurationRule, Policy } from '../workflows/shared/types.js';
import { JOINT_CONSENT_RULE, OFFICE_DECISION_RULE } from './policy/default-policy.js';
import { computeDue } from './deadlines/compute-due.js';
import { endOfShanghaiDayInstant, shanghaiDate } from '../workflows/shared/dates.js';

/** Rules newer than some stored policies: a policy written before them gets the default. */
const RULES_ADDED_LATER: Partial<Record<DueRequest['ruleKey'], DurationRule>> = { officeDecision: OFFICE_DECISION_RULE, jointConsent: JOINT_CONSENT_RULE };

/**
 * The calendar reaches workflows only through here, as data: the result is recorded in history,
 * so replays never read the (editable) calendar again.
 */
export function makeComputeDueDates(db: Kysely<Database>) {
  const calendarNow = cachedCalendarLoader(db);
  return async function computeDueDates(args: { policy: Policy; requests: DueRequest[] }): Promise<DueDate[]> {
    const calendar = await calendarNow();
    return args.requests.map((req) => {
      const rule = args.policy.body.durations[req.ruleKey] ?? RULES_ADDED_LATER[req.ruleKey];
      if (!rule) throw new TypeError(`policy has no duration rule ${req.ruleKey}`);
      const base = { key: req.key, ruleKey: req.ruleKey, start: req.start };
      if (rule.unit === 'seconds') {
        const raw = new Date(Date.parse(req.start) + rule.amount * 1000).toISOString();
        const last = req.extensions?.at(-1);
        const dueAt = last ? endOfShanghaiDayInstant(last.to) : raw;
        return {
          ...base,
          dueAt,
          dueDate: shanghaiDate(dueAt),
          explanation: `${rule.label}：自${req.start}起${rule.amount}秒（按策略设定的短时限）${last ? `；经批准延期至${last.to}` : ''}`,
          calendarConfirmed: true,
        };
      }
      const dateRule = { ...rule, unit: rule.unit };
      const start = shanghaiDate(req.start);
      // An extension only counts while it still lies after the rule's own date (a calendar edit
      // can move the base date past an earlier extension).
      const byRule = computeDue({ rule: dateRule, start, calendar });
      const extensions = (req.extensions ?? []).filter((e) => e.to > byRule.due);
      const explained =
        extensions.length > 0
          ? computeDue({ rule: dateRule, start, calendar, extensions: extensions.map((e, i) => ({ ...e, from: i === 0 ? byRule.due : extensions[i - 1]!.to })) })
          : byRule;
      return {
        ...base,
        dueAt: endOfShanghaiDayInstant(explained.due),
        dueDate: explained.due,
        explanation: `${rule.label}：${explained.text}`,
        calendarConfirmed: explained.calendarConfirmed,
      };
    });
  };
}
