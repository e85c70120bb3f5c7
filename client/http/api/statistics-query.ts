import { z } from 'zod';
import { isoDay, text } from '../../../workflows/proposal/inputs.js';

// The query every statistics route takes: which session, which unit (staff only; a unit always
// gets its own), and a period of receipt dates.

export const statisticsQuery = z
  .object({
    session: text('届次', 60).optional(),
    unit: text('单位', 100).optional(),
    from: isoDay('起始收到日期').optional(),
    to: isoDay('截止收到日期').optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '起始日期不能晚于截止日期', path: ['from'] });
