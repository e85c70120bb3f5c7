import { readListCursor } from '../read/list-cursor.js';
import { z } from 'zod';
import { isoDay, text } from '../../workflows/proposal/inputs.js';
import type { Stage } from '../../workflows/shared/types.js';
import { STAGE_LABELS } from '../../workflows/proposal/machine.js';

// Request shapes checked at the door (the action bodies are derived from the table, in
// action-bodies.ts). Every string is checked for what PostgreSQL cannot store (NUL, lone
// surrogates) and bounded; the workflow's validators check again against state.

const proposer = z.strictObject({
  kind: z.enum(['member', 'party', 'organisation', 'sector_group', 'special_committee'], {
    message: '提案者类型必须是 member、party、organisation、sector_group 或 special_committee',
  }),
  name: text('提案者姓名或名称', 100).trim().min(1, '请填写提案者姓名或名称'),
  email: text('邮箱', 200).trim().email('邮箱格式不正确').nullish(),
  phone: text('电话', 40).trim().nullish(),
  sector: text('界别', 60).trim().nullish(),
});

export const registrationSchema = z.strictObject({
  sessionCode: text('届次', 60).trim().min(1, '请填写届次'),
  receiptNo: z
    .string({ message: '请填写登记号' })
    .trim()
    .regex(/^[A-Za-z0-9-]{1,30}$/, '登记号只能由字母、数字和连字符组成，最多30位'),
  title: text('提案标题', 200).trim().min(4, '提案标题太短'),
  body: text('提案正文', 100_000).trim().min(10, '提案正文太短：请写明情况、分析和具体建议'),
  topic: text('类别', 60).trim().nullish(),
  proposerKind: z.enum(['individual', 'joint', 'party', 'organisation', 'sector_group', 'special_committee'], {
    message: '提案类型必须是 individual、joint、party、organisation、sector_group 或 special_committee',
  }),
  proposers: z.array(proposer, { message: '请填写提案者' }).min(1, '至少需要一名提案者').max(200, '提案者最多200名'),
  receivedDate: isoDay('收到日期').optional(),
});

export type RegistrationBody = z.infer<typeof registrationSchema>;

export const loginSchema = z.strictObject({
  username: text('用户名', 100).min(1, '请填写用户名'),
  password: z.string({ message: '请填写密码' }).min(1, '请填写密码').max(200, '密码不能超过200个字符'),
});

export const preferencesSchema = z.strictObject({
  dailyDigest: z.boolean({ message: 'dailyDigest 必须是 true 或 false' }),
});

/** A proposal's workflow id in a path: any storable text of sane length (the lookup decides the rest). */
export const proposalParams = z.object({ id: text('提案编号', 300).min(1, '请指明提案') });

const STAGES = Object.keys(STAGE_LABELS) as [Stage, ...Stage[]];

/** Page bounds as integers in range: limit=-1 or 1.5 is a mistake to name, not a value to guess. */
export const page = (defaultLimit: number, maxLimit: number) => ({
  limit: z.coerce
    .number({ message: 'limit 必须是整数' })
    .int('limit 必须是整数')
    .min(1, 'limit 最小为1')
    .max(maxLimit, `limit 最大为${maxLimit}`)
    .default(defaultLimit),
  offset: z.coerce.number({ message: 'offset 必须是整数' }).int('offset 必须是整数').min(0, 'offset 不能为负').max(1_000_000, 'offset 太大').default(0),
});

export const listQuery = z.object({
  session: text('届次', 60).optional(),
  stage: z.enum(STAGES, { message: `stage 必须是：${STAGES.join('、')}` }).optional(),
  ...page(100, 500),
  /** The `next` of the previous page: the list goes on after it (keyset; offset is then not allowed). */
  after: z
    .string()
    .max(400, 'after 不是有效的翻页标记')
    .transform((value, ctx) => {
      const key = readListCursor(value);
      if (!key) ctx.addIssue({ code: 'custom', message: 'after 不是有效的翻页标记：请使用上一页返回的 next' });
      return key ?? z.NEVER;
    })
    .optional(),
});

export const workflowIdQuery = z.object({
  session: text('届次', 60).min(1, '需要 session 参数'),
  receipt: text('登记号', 30).min(1, '需要 receipt 参数'),
});
