import { PROPOSAL_COLUMNS, PROPOSAL_SHEET_NAME, type ProposalColumn } from '../../../io/proposal-sheet.js';
import { prepareSheet, workbookBytes, type ColumnKind } from '../../../io/xlsx-write.js';

// The 登记表 to fill in: the columns the import reads (PROPOSAL_COLUMNS, so the template can
// never ask for a column the importer does not know), with two example rows showing how an
// individual and a joint proposal are written. The examples use receipt numbers the office
// would replace; importing the template unchanged registers two sample proposals, as it says.

const EXAMPLES: Record<ProposalColumn, [string, string]> = {
  receiptNo: ['R0001', 'R0002'],
  title: ['关于加快发展数字乡村的建议（示例，请替换）', '关于完善养老服务体系的建议（示例，请替换）'],
  body: ['一、基本情况：……\n二、存在问题：……\n三、具体建议：……', '一、基本情况：……\n二、具体建议：……'],
  proposerKind: ['个人', '联名'],
  proposers: ['张三', '李四、王五'],
  sector: ['经济界', '医药卫生界、经济界'],
  email: ['zhangsan@example.org', 'lisi@example.org、wangwu@example.org'],
  phone: ['13800000000', ''],
  receivedDate: ['2026-01-20', '2026-01-21'],
  topic: ['农业农村', '社会事业'],
  session: ['', ''],
};

const KINDS: Partial<Record<ProposalColumn, ColumnKind>> = { body: 'longText', receivedDate: 'date' };

export async function importTemplate(creator: string): Promise<Buffer> {
  const columns = PROPOSAL_COLUMNS.map((c) => ({
    header: c.header,
    width: c.key === 'body' ? 50 : c.key === 'title' ? 36 : 16,
    kind: KINDS[c.key] ?? 'text',
    value: (row: number) => EXAMPLES[c.key][row] || null,
  }));
  return workbookBytes([prepareSheet({ name: PROPOSAL_SHEET_NAME, columns, rows: [0, 1] })], { title: '提案登记表（导入模板）', creator });
}
