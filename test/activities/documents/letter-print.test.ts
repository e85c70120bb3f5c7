import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLetter, type LetterModel } from '../../../activities/documents/letter-model.js';
import { resolveStyle } from '../../../activities/documents/letter-style.js';
import { renderLetterDocx } from '../../../activities/documents/render-docx.js';
import { renderLetterText } from '../../../activities/documents/render-text.js';
import type { Db } from '../../../db/connection.js';
import { putText } from '../../../db/repositories/blobs.js';
import { getRendition, listDocuments } from '../../../db/repositories/documents.js';
import { missingFromPdf, renderToPng } from '../../../scripts/render-letter.js';
import { projection, realActivities, registeredProposal, task, type RealActivities } from '../../support/activities.js';
import { seedOrg, testDb, uniq } from '../../support/context.js';
import { FIXTURES, factsOf, SEED_000 } from '../../unit/activities/documents/seed-fixtures.js';

// The letter as printed: each .docx goes through LibreOffice to PDF and PNG (the Debian packages
// libreoffice-writer-nogui and poppler-utils, which .ci/run installs), and what the printed page
// says is compared with the letter. A machine without them fails here, by design: a letter nobody
// can print is not checked.

let out: string;
let db: Db;
let real: RealActivities;

beforeAll(() => {
  for (const [command, pkg] of [
    ['soffice', 'libreoffice-writer-nogui'],
    ['pdftoppm', 'poppler-utils'],
  ] as const) {
    try {
      execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    } catch {
      throw new Error(`${command} is missing: apt-get install -y ${pkg} (see .ci/run)`);
    }
  }
  out = mkdtempSync(join(tmpdir(), 'banli-print-'));
  db = testDb();
  real = realActivities(db);
});
afterAll(async () => {
  real?.close();
  await db?.destroy();
  if (out) rmSync(out, { recursive: true, force: true });
});

/** Prints a letter; returns the PDF's path, its PNG pages and its page size in points. */
function print(name: string, docx: Buffer, model: LetterModel) {
  const file = join(out, `${name}.docx`);
  writeFileSync(file, docx);
  const { pdf, pngs, fonts } = renderToPng(file, out, 40, model.layout);
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info) ?? [];
  return { pdf, pngs, fonts, pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]), widthPt: Number(w), heightPt: Number(h) };
}

/** The non-empty lines of one printed page, as laid out, without spaces. */
function pageLines(pdf: string, page: number): string[] {
  return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', pdf, '-'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.replace(/\s/g, ''))
    .filter(Boolean);
}

describe('a letter printed through LibreOffice', () => {
  it.each(FIXTURES.map((f) => [f.name, f] as const))('%s opens, prints on A4 in a CJK face, and says exactly the letter’s text', async (_name, fixture) => {
    const model = buildLetter(factsOf(fixture), resolveStyle(fixture.deployment, fixture.unit));
    const printed = print(fixture.name, await renderLetterDocx(model), model);
    expect(printed.pages).toBeGreaterThanOrEqual(1);
    expect(printed.pngs).toHaveLength(printed.pages);
    // A4 is 595.28 × 841.89 pt.
    expect(Math.round(printed.widthPt)).toBe(595);
    expect(Math.round(printed.heightPt)).toBe(842);
    expect(printed.fonts).toMatch(/CJK/);
    // The category mark prints in page 1's header, before the number.
    expect(missingFromPdf(renderLetterText({ ...model, mark: null }), printed.pdf, model.mark)).toBeNull();
    expect(pageLines(printed.pdf, 1)[0]).toBe(`${model.mark ?? ''}${model.number}`.replace(/\s/g, ''));
    expect(pageLines(printed.pdf, printed.pages).at(-1)).toBe(`—${printed.pages}—`);
  });

  // GB/T 9704 §5.2.3: 22 lines of 28 characters, “特定情况可以作适当调整” — so a style's data
  // may say 28 lines, and the printed page holds exactly that, full (撑满版心).
  it.each([22, 28])('fills a full page with %i lines of 28 characters when the style says so', async (linesPerPage) => {
    const sentence = '我们会同有关部门梳理重点领域发展基础明确分阶段推进目标任务并建立定期会商机制';
    const style = resolveStyle({ ...SEED_000.deployment, layout: { linesPerPage, charsPerLine: 28 } }, SEED_000.unit);
    const model = buildLetter({ ...factsOf(SEED_000), body: Array(8).fill(sentence.repeat(6)).join('\n') }, style);
    const printed = print(`grid-${linesPerPage}`, await renderLetterDocx(model), model);
    expect(printed.pages).toBeGreaterThanOrEqual(3);
    // Page 2 is all body: its lines, then the page number.
    const lines = pageLines(printed.pdf, 2);
    expect(lines.at(-1)).toBe('—2—');
    const body = lines.slice(0, -1);
    expect(body).toHaveLength(linesPerPage);
    expect(Math.max(...body.map((l) => [...l].length))).toBe(28);
  });

  it('prints the .docx a dispatched reply mail carries, exactly as the letter', async () => {
    const org = await seedOrg(db);
    const p = await registeredProposal(db, real.acts, org);
    await real.acts.dispatchReply({
      key: `${p.workflowId}:dispatch:${org.units.lead}:round0`,
      workflowId: p.workflowId,
      unitId: org.units.lead,
      round: 0,
      version: 1,
      replyClass: 'B',
      bodyHash: await putText(db, `一、已开展的工作\n我们出台了促进条例${uniq()}。\n二、下一步工作\n我们将在年底前完成试点评估。`),
      proposalNo: '第224号',
      title: '关于加快推进数字经济高质量发展的建议',
      recipients: p.proposerIds,
      raters: p.proposerIds,
      coUnits: [org.units.co1],
      feedbackDueAt: null,
      projection: projection({
        stage: 'dispatched',
        handlingMode: 'lead',
        leadUnitId: org.units.lead,
        unitIds: [org.units.lead, org.units.co1],
        replyClass: 'B',
        replyVersion: 1,
      }),
      tasks: [task(org.units.lead, 'lead', { status: 'dispatched', done: true }), task(org.units.co1, 'co', { status: 'submitted', done: true })],
      now: '2026-03-04T02:00:00.000Z',
    });
    const [doc] = await listDocuments(db, p.workflowId);
    const docx = (await getRendition(db, doc!.id, 'docx'))!.content;
    const model = JSON.parse((await getRendition(db, doc!.id, 'model'))!.content.toString('utf8')) as LetterModel;
    const printed = print('dispatched', docx, model);
    expect(missingFromPdf(renderLetterText({ ...model, mark: null }), printed.pdf, model.mark)).toBeNull();
    expect(execFileSync('pdftotext', [printed.pdf, '-'], { encoding: 'utf8' })).toContain('我们将在年底前完成试点评估');
  });
});
