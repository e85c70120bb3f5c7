import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chainOf, chainValues, signOffFields } from '../../../client/http/pages/admin/signoff-chain-fields.js';

// The unit page's 审签流程 fields: steps in words joined by →, parsed into the chain and back.

const form = z.strictObject(signOffFields);

describe('sign-off chain fields on the unit page', () => {
  it('words joined by arrows (or commas) become the chain, and the chain reads back the same', () => {
    const parsed = form.parse({ signoffOrdinary: '处室审核 → 分管领导', signoffKey: '分管领导，主要负责人', signoffRemindDays: '3' });
    const chain = chainOf(parsed);
    expect(chain).toEqual({ ordinary: ['liaison', 'leader'], key: ['leader', 'principal'], remindAfter: { amount: 3, unit: 'calendar_days' } });
    expect(chainValues(chain)).toEqual({ signoffOrdinary: '处室审核 → 分管领导', signoffKey: '分管领导 → 主要负责人', signoffFunds: '', signoffRemindDays: '3' });
  });

  it('nothing filled in keeps the policy rule (no chain stored)', () => {
    expect(chainOf(form.parse({}))).toBeNull();
  });

  it('an unknown step, a repeated step or a bad number is refused with a message naming it', () => {
    const unknown = form.safeParse({ signoffOrdinary: '处室审核 → 局长' });
    expect(unknown.success).toBe(false);
    expect(unknown.error!.issues[0]!.message).toContain('「局长」不是审签环节');
    const twice = form.safeParse({ signoffOrdinary: '分管领导 → 分管领导' });
    expect(twice.error!.issues[0]!.message).toContain('出现了两次');
    const days = form.safeParse({ signoffRemindDays: '0' });
    expect(days.error!.issues[0]!.message).toContain('至少为1天');
  });
});
