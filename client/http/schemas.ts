import { z } from 'zod';

// Request shapes checked at the door; the workflow's validators check them again against state.

const proposer = z.object({
  kind: z.enum(['member', 'party', 'organisation', 'sector_group', 'special_committee'], { message: '提案者类型必须是 member、party、organisation、sector_group 或 special_committee' }),
  name: z.string({ message: '请填写提案者姓名或名称' }).trim().min(1, '请填写提案者姓名或名称').max(100),
  email: z.string().trim().email('邮箱格式不正确').nullish(),
  phone: z.string().trim().max(40).nullish(),
  sector: z.string().trim().max(60).nullish(),
});

export const registrationSchema = z
  .object({
    sessionCode: z.string({ message: '请填写届次' }).trim().min(1, '请填写届次').max(60),
    receiptNo: z
      .string({ message: '请填写登记号' })
      .trim()
      .regex(/^[A-Za-z0-9-]{1,30}$/, '登记号只能由字母、数字和连字符组成，最多30位'),
    title: z
      .string({ message: '请填写提案标题' })
      .trim()
      .min(4, '提案标题太短')
      .max(200, '提案标题不能超过200字'),
    body: z.string({ message: '请填写提案正文' }).trim().min(10, '提案正文太短：请写明情况、分析和具体建议').max(100_000, '正文不能超过10万字'),
    topic: z.string().trim().max(60).nullish(),
    proposerKind: z.enum(['individual', 'joint', 'party', 'organisation', 'sector_group', 'special_committee'], {
      message: '提案类型必须是 individual、joint、party、organisation、sector_group 或 special_committee',
    }),
    proposers: z.array(proposer, { message: '请填写提案者' }).min(1, '至少需要一名提案者').max(200),
    receivedDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, '收到日期必须是 YYYY-MM-DD')
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), '收到日期不是有效日期')
      .optional(),
  })
  .strict();

export type RegistrationBody = z.infer<typeof registrationSchema>;

export const loginSchema = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });

export function zodProblem(error: z.ZodError): { error: 'INVALID_INPUT'; message: string; field: string; issues: { field: string; message: string }[] } {
  const issues = error.issues.map((i) => ({
    field: i.path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '['),
    message: i.code === 'unrecognized_keys' ? `不认识的字段：${(i as { keys?: string[] }).keys?.join('、')}` : i.message,
  }));
  const first = issues[0]!;
  return { error: 'INVALID_INPUT', message: `${first.field || '请求'}：${first.message}`, field: first.field, issues };
}
