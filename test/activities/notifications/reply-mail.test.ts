import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchReplyArgs } from '../../../activities/dispatch-reply.js';
import type { Activities } from '../../../activities/index.js';
import type { Db } from '../../../db/connection.js';
import { putText } from '../../../db/repositories/blobs.js';
import { getRendition, listDocuments } from '../../../db/repositories/documents.js';
import { enqueueNotification, failedNotifications, getNotification } from '../../../db/repositories/notifications.js';
import { freePort } from '../../../scripts/lib/free-port.js';
import { failureOf, projection, realActivities, registeredProposal, task, type RealActivities, type Registered } from '../../support/activities.js';
import { seedOrg, testDb, uniq, waitForMail, type Org } from '../../support/context.js';
import { docxParagraphs, zipEntry } from '../../unit/activities/documents/docx-reader.js';

// Mail people read, through the outbox and a real SMTP server: the reply with its letter in
// both parts and the .docx attached, the personal feedback request, and every step's mail with
// an HTML part.

/**
 * The catcher's copy of an outbox row, found by its Message-ID (derived from the outbox key). The
 * X-Banli-Key header is no handle here: these keys hold the session's Chinese name, which a
 * header carries MIME-encoded.
 */
const sentAs = (key: string) => waitForMail((m) => m.messageId === `<${Buffer.from(key).toString('base64url').slice(0, 180)}@test.local>`, 10_000);

let db: Db;
let real: RealActivities;
let acts: Activities;
let org: Org;
const opened: RealActivities[] = [];
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

beforeAll(async () => {
  db = testDb();
  real = realActivities(db);
  acts = real.acts;
  org = await seedOrg(db);
});
afterAll(async () => {
  real?.close();
  for (const r of opened) r.close();
  await db?.destroy();
});

async function dispatched(): Promise<{ p: Registered; args: DispatchReplyArgs; docNo: string; keys: string[] }> {
  const p = await registeredProposal(db, acts, org);
  const args: DispatchReplyArgs = {
    key: `${p.workflowId}:dispatch:${org.units.lead}:round0`,
    workflowId: p.workflowId,
    unitId: org.units.lead,
    round: 0,
    version: 1,
    replyClass: 'A',
    bodyHash: await putText(db, `一、已开展的工作\n我们出台了促进条例${uniq()}。\n二、下一步工作\n我们将抓好落实。`),
    proposalNo: '第224号',
    title: '关于加快推进数字经济高质量发展的建议',
    recipients: p.proposerIds,
    raters: p.proposerIds,
    coUnits: [org.units.co1],
    feedbackDueAt: '2026-03-25T15:59:59.999Z',
    projection: projection({
      stage: 'dispatched',
      handlingMode: 'lead',
      leadUnitId: org.units.lead,
      unitIds: [org.units.lead, org.units.co1],
      replyClass: 'A',
      replyVersion: 1,
    }),
    tasks: [task(org.units.lead, 'lead', { status: 'dispatched', done: true }), task(org.units.co1, 'co', { status: 'submitted', done: true })],
    now: '2026-03-04T02:00:00.000Z',
  };
  const result = await acts.dispatchReply(args);
  return { p, args, docNo: result.docNo, keys: result.notificationKeys };
}

/** An SMTP server that keeps each message as sent, bytes and all, for opening its attachment. */
async function rawServer(): Promise<{ url: string; raw: Buffer[]; stop(): Promise<void> }> {
  const port = await freePort();
  const raw: Buffer[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        raw.push(Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { url: `smtp://127.0.0.1:${port}`, raw, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('the reply mail', () => {
  it('reaches the catcher with a text part, an HTML part and the letter as .docx', async () => {
    const { p, docNo, keys } = await dispatched();
    const replyKey = keys[0]!;
    expect(await acts.deliverNotification({ key: replyKey })).toEqual({ status: 'sent' });

    const mail = await sentAs(replyKey);
    expect(mail.to).toEqual([org.proposerEmails.first, org.proposerEmails.cosigner]);
    expect(mail.subject).toContain(docNo);
    // Both parts carry the letter: its number, salutation, 收悉 sentence and 抄送.
    for (const part of [mail.text, mail.html!]) {
      expect(part).toContain(docNo);
      expect(part).toContain(`张永庆${org.prefix}委员、李明${org.prefix}委员：`);
      expect(part).toContain('第224号提案《关于加快推进数字经济高质量发展的建议》收悉，经综合省科技厅等单位意见，现答复如下');
      expect(part).toContain('抄送：省科技厅，省政府办公厅，省政协提案委员会。');
    }
    expect(mail.html).toContain('<article class="letter"');
    const [doc] = await listDocuments(db, p.workflowId);
    const stored = (await getRendition(db, doc!.id, 'docx'))!;
    expect(mail.attachments).toEqual([{ filename: `${docNo} 答复函.docx`, contentType: DOCX_MIME, size: stored.content.length }]);
  });

  it('carries a .docx that opens: the letter’s text is in its word/document.xml', async () => {
    const server = await rawServer();
    try {
      const capturing = realActivities(db, server.url);
      opened.push(capturing);
      const { docNo, keys } = await dispatched();
      await capturing.acts.deliverNotification({ key: keys[0]! });
      const parsed = await simpleParser(server.raw[0]!);
      expect(typeof parsed.html).toBe('string');
      expect(parsed.text).toContain(docNo);
      const [attachment] = parsed.attachments;
      expect(attachment).toMatchObject({ filename: `${docNo} 答复函.docx`, contentType: DOCX_MIME });
      // Unzipped, it is a WordprocessingML package whose document part holds the letter.
      expect(zipEntry(attachment!.content, '[Content_Types].xml').toString('utf8')).toContain('wordprocessingml.document.main+xml');
      const paragraphs = docxParagraphs(attachment!.content).map((l) => l.replace(/\n/g, '').trim());
      expect(paragraphs[0]).toBe(docNo);
      expect(paragraphs).toContain(`关于省政协${org.sessionCode}第224号提案的答复`);
      expect(paragraphs).toContain(`张永庆${org.prefix}委员、李明${org.prefix}委员：`);
      expect(paragraphs).toContain('抄送：省科技厅，省政府办公厅，省政协提案委员会。');
    } finally {
      await server.stop();
    }
  });

  it('is followed by one feedback request per rater, with the personal signed link in both parts', async () => {
    const { keys } = await dispatched();
    const feedbackKey = keys[1]!;
    await acts.deliverNotification({ key: feedbackKey });
    const mail = await sentAs(feedbackKey);
    const link = /(http:\/\/banli\.test\/feedback\/[\w.-]+)/.exec(mail.text)![1]!;
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.text).toContain(`张永庆${org.prefix}：`);
    expect(mail.attachments).toEqual([]);
  });
});

describe('every step’s mail', () => {
  it('has an HTML part as well as the text', async () => {
    const p = await registeredProposal(db, acts, org);
    const key = `${p.workflowId}:${uniq('upd-')}`;
    const { notificationKeys } = await acts.recordStep({
      key,
      workflowId: p.workflowId,
      actor: org.actors.office,
      record: {
        step: 'assign',
        unitId: null,
        summary: {},
        notifications: [
          {
            kind: 'assigned',
            to: { unitLiaisons: [org.units.lead] },
            params: { title: '关于<测试>的建议', proposalNo: '第7号', role: 'lead', dueAt: '2026-06-02T15:59:59.999Z' },
          },
        ],
      },
      projection: projection({ stage: 'handling' }),
      tasks: [task(org.units.lead, 'lead')],
      now: '2026-03-02T01:00:00.000Z',
    });
    await acts.deliverNotification({ key: notificationKeys[0]! });
    const mail = await sentAs(notificationKeys[0]!);
    expect(mail.text).toContain('第7号提案《关于<测试>的建议》已交由你单位主办');
    expect(mail.html).toContain('第7号提案《关于&lt;测试&gt;的建议》已交由你单位主办');
    expect(mail.html).toContain('2026年6月2日');
  });
});

describe('permanent failures', () => {
  it('a message whose attachment is gone is refused for good and listed for the office', async () => {
    const key = `proposal:test:${uniq('R')}:${uniq('upd-')}#0:reply`;
    await enqueueNotification(db, {
      idempotencyKey: key,
      workflowId: null,
      kind: 'reply',
      to: [`${uniq('m')}@members.test`],
      cc: [],
      subject: '【提案答复】测试',
      bodyText: '答复函见附件。',
      bodyHtml: '<p>答复函见附件。</p>',
      attachments: [{ documentId: -1, format: 'docx', filename: '缺失.docx' }],
    });
    const err = await failureOf(acts.deliverNotification({ key }));
    expect(err).toMatchObject({ type: 'NOT_FOUND', nonRetryable: true });
    expect(await getNotification(db, key)).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await failedNotifications(db, 500)).map((n) => n.idempotency_key)).toContain(key);
  });
});
