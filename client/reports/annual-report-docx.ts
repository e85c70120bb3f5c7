import { AlignmentType, BorderStyle, Document, LineRuleType, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { GBT9704_LAYOUT } from '../../activities/documents/letter-style.js';
import type { AnnualReport } from './annual-report-text.js';

// The annual handling report as .docx in the manner of the reply letter
// (activities/documents/render-docx.ts): GB/T 9704 page and margins, 2号小标宋 title, 3号仿宋
// body with a two-character first-line indent, 黑体 first-level headings, exact line pitch of
// 22 lines per page; the unit table in 4号 so six figures fit the 156 mm text block.

const L = GBT9704_LAYOUT;
const TWIPS_PER_MM = 1440 / 25.4;
const twips = (mm: number) => Math.round(mm * TWIPS_PER_MM);
const half = (pt: number) => Math.round(pt * 2);
const latin = L.fonts.latin[0]!;
const face = (stack: readonly string[]) => ({ ascii: latin, hAnsi: latin, eastAsia: stack[0]!, cs: latin });
const linePitch = Math.floor(((L.pageMm.height - L.marginsMm.top - L.marginsMm.bottom) * TWIPS_PER_MM) / L.linesPerPage);
const exact = { line: linePitch, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
const bodyRun = (text: string, stack: readonly string[] = L.fonts.body, size = L.sizesPt.body) => new TextRun({ text, font: face(stack), size: half(size) });

function para(text: string, options: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; stack?: readonly string[] } = {}) {
  return new Paragraph({
    children: [bodyRun(text, options.stack)],
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    spacing: exact,
    indent: options.indent ? { firstLine: half(L.sizesPt.body) * 20 } : {},
  });
}

function table(rows: string[][]): Table {
  const size = L.sizesPt.pageNumber; // 4号
  const line = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const borders = { top: line, bottom: line, left: line, right: line };
  return new Table({
    width: { size: twips(L.pageMm.width - L.marginsMm.left - L.marginsMm.right), type: WidthType.DXA },
    rows: rows.map(
      (cells, r) =>
        new TableRow({
          tableHeader: r === 0,
          children: cells.map(
            (text) =>
              new TableCell({
                borders,
                children: [
                  new Paragraph({
                    alignment: AlignmentType.CENTER,
                    children: [new TextRun({ text, font: face(r === 0 ? L.fonts.heading1 : L.fonts.body), size: half(size) })],
                  }),
                ],
              }),
          ),
        }),
    ),
  });
}

export async function renderAnnualReportDocx(report: AnnualReport): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: Math.round(L.sizesPt.title * 20 * 1.3), lineRule: LineRuleType.EXACT, before: 0, after: 0 },
      children: [new TextRun({ text: report.title, font: face(L.fonts.title), size: half(L.sizesPt.title) })],
    }),
    para(''),
  ];
  for (const section of report.sections) {
    children.push(para(section.heading, { indent: true, stack: L.fonts.heading1 }));
    for (const p of section.paragraphs) children.push(para(p, { indent: true }));
  }
  if (report.table.length > 1) children.push(table(report.table));
  children.push(para(''), para(''), para(report.signature, { align: AlignmentType.RIGHT }), para(report.date, { align: AlignmentType.RIGHT }));
  const doc = new Document({
    creator: report.signature,
    title: report.title,
    sections: [
      {
        properties: {
          page: {
            size: { width: twips(L.pageMm.width), height: twips(L.pageMm.height) },
            margin: { top: twips(L.marginsMm.top), bottom: twips(L.marginsMm.bottom), left: twips(L.marginsMm.left), right: twips(L.marginsMm.right) },
          },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
