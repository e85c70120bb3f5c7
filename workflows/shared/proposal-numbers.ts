// 提案编号 from the policy's format: {n} the serial, {n3}/{n4} zero-padded, {year} the filing
// year, e.g. "第{n}号" → 第224号, "第{year}{n4}号" → 第20250688号. Pure, shared by workflow and tests.

export function formatProposalNumber(format: string, serial: number, year: number): string {
  return format
    .replace(/\{year\}/g, String(year))
    .replace(/\{n(\d)?\}/g, (_m, width: string | undefined) => (width ? String(serial).padStart(Number(width), '0') : String(serial)));
}
