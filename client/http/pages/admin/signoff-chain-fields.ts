import { z } from 'zod';
import { SIGN_OFF_LABELS } from '../../../../workflows/proposal/signoff-chain.js';
import type { SignOffChain, SignOffRole } from '../../../../workflows/shared/types.js';

// 审签流程 on the unit's admin page: each chain written as its steps in words joined by →
// (处室审核 → 分管领导 → 主要负责人), which is how an office describes it, and parsed back into
// the chain the workflow reads. An empty chain keeps the policy's rule.

const WORDS: Record<string, SignOffRole> = {
  处室: 'liaison',
  处室审核: 'liaison',
  办公室: 'liaison',
  分管领导: 'leader',
  分管: 'leader',
  主要负责人: 'principal',
  主要领导: 'principal',
};

const chainText = (label: string) =>
  z
    .string()
    .max(100, `${label}不能超过100字`)
    .transform((value, ctx): SignOffRole[] => {
      const words = value.split(/[→>＞,，、\s]+/u).filter(Boolean);
      const steps: SignOffRole[] = [];
      for (const word of words) {
        const role = WORDS[word];
        if (!role) {
          ctx.addIssue({ code: 'custom', message: `${label}中的「${word}」不是审签环节：可写 处室审核、分管领导、主要负责人，用“→”连接` });
          return z.NEVER;
        }
        if (steps.includes(role)) {
          ctx.addIssue({ code: 'custom', message: `${label}中「${SIGN_OFF_LABELS[role]}」出现了两次` });
          return z.NEVER;
        }
        steps.push(role);
      }
      return steps;
    })
    .optional();

export const signOffFields = {
  signoffOrdinary: chainText('一般答复的审签流程'),
  signoffKey: chainText('重点提案的审签流程'),
  signoffFunds: chainText('承诺资金的答复的审签流程'),
  signoffRemindDays: z.coerce
    .number({ error: '审签提醒天数必须是整数' })
    .int('审签提醒天数必须是整数')
    .min(1, '审签提醒天数至少为1天')
    .max(30, '审签提醒天数不能超过30天')
    .optional(),
};

export const SIGN_OFF_FIELDS = [
  {
    name: 'signoffOrdinary',
    label: '审签流程：一般答复',
    hint: '按顺序写审签环节，用“→”连接，例如 处室审核 → 分管领导；不填则由分管领导签发',
  },
  { name: 'signoffKey', label: '审签流程：重点提案', hint: '例如 分管领导 → 主要负责人；不填则同一般答复（重点提案总由主要负责人最后签发）' },
  { name: 'signoffFunds', label: '审签流程：承诺资金的答复', hint: '例如 分管领导 → 主要负责人；不填则同一般答复（承诺资金的答复总由主要负责人最后签发）' },
  { name: 'signoffRemindDays', label: '审签提醒（天）', hint: '某一环节送审后超过这么多天未审签，提醒该环节的审签人；不填则不提醒', short: true },
] as const;

type Parsed = {
  signoffOrdinary?: SignOffRole[] | undefined;
  signoffKey?: SignOffRole[] | undefined;
  signoffFunds?: SignOffRole[] | undefined;
  signoffRemindDays?: number | undefined;
};

/** The chain to store, or null when nothing was set (the policy's rule). */
export function chainOf(d: Parsed): SignOffChain | null {
  const chain: SignOffChain = {
    ordinary: d.signoffOrdinary ?? [],
    ...(d.signoffKey?.length ? { key: d.signoffKey } : {}),
    ...(d.signoffFunds?.length ? { funds: d.signoffFunds } : {}),
    remindAfter: d.signoffRemindDays ? { amount: d.signoffRemindDays, unit: 'calendar_days' } : null,
  };
  const empty = chain.ordinary.length === 0 && !chain.key && !chain.funds && !chain.remindAfter;
  return empty ? null : chain;
}

const words = (steps: SignOffRole[] | undefined) => (steps ?? []).map((s) => SIGN_OFF_LABELS[s]).join(' → ');

export function chainValues(chain: SignOffChain | null): Record<string, string> {
  return {
    signoffOrdinary: words(chain?.ordinary),
    signoffKey: words(chain?.key),
    signoffFunds: words(chain?.funds),
    signoffRemindDays: chain?.remindAfter?.unit === 'calendar_days' ? String(chain.remindAfter.amount) : '',
  };
}
