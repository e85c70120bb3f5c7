import { createServer, type Server, type Socket } from 'node:net';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putText } from '../../db/repositories/blobs.js';
import type { Db } from '../../db/connection.js';
import type { ProposalClient } from '../../client/temporal.js';
import { eventually, jointProposal, proposalClient, seedOrg, testDb, uniq, type Org } from '../support/context.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

// Issue 11, "Done means": a reply mail is sent once even when the worker dies mid-send. The
// worker runs as a child process on its own task queue and mails through an SMTP server of this
// test, which holds the reply's DATA unanswered: the worker is killed with SIGKILL while the
// relay has the whole message but has not said 250. A relay that never said 250 never took the
// message (RFC 5321 §4.1.1.4), so it is dropped with the connection; a new worker retries the
// step, and the proposers get exactly one reply, under the Message-ID derived from the outbox key.

interface Delivery {
  key: string | null;
  messageId: string | null;
  subject: string;
  rcpt: string[];
  /** Whether the relay answered 250: only then is the message the relay's to deliver. */
  accepted: boolean;
}

/**
 * An unstructured header as written (RFC 2047): nodemailer encodes the outbox key, which holds the
 * session's Chinese name, as UTF-8 encoded words, and a character may straddle two of them.
 */
function decodeWords(value: string): string {
  const words = [...value.matchAll(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi)];
  if (words.length === 0) return value;
  const bytes = words.map(([, encoding, text]) =>
    encoding!.toUpperCase() === 'B'
      ? Buffer.from(text!, 'base64')
      : Buffer.from(
          text!.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ),
  );
  return Buffer.concat(bytes).toString('utf8');
}

/** A small SMTP relay (no TLS, no auth, no pipelining) that can hold one message's DATA. */
class HoldingSmtp {
  readonly deliveries: Delivery[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;
  private held = false;
  private onHeld!: (d: Delivery) => void;
  private onDropped!: (d: Delivery) => void;
  /** Resolves when the message to hold has arrived in full and waits for an answer. */
  readonly heldMessage = new Promise<Delivery>((resolve) => (this.onHeld = resolve));
  /** Resolves when the held message's connection closed without an answer. */
  readonly droppedMessage = new Promise<Delivery>((resolve) => (this.onDropped = resolve));

  constructor(private readonly holdIf: (key: string | null) => boolean) {}

  async start(): Promise<string> {
    this.server = createServer((socket) => this.converse(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return `smtp://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  accepted(): Delivery[] {
    return this.deliveries.filter((d) => d.accepted);
  }

  private converse(socket: Socket): void {
    this.sockets.add(socket);
    let closed = false;
    const closedNow = new Promise<void>((resolve) =>
      socket.on('close', () => {
        closed = true;
        this.sockets.delete(socket);
        resolve();
      }),
    );
    socket.on('error', () => undefined);
    const say = (line: string) => void (!closed && socket.write(`${line}\r\n`));
    let buffer = '';
    let inData = false;
    let rcpt: string[] = [];
    let busy: Promise<void> = Promise.resolve();

    const message = async (raw: string) => {
      // Dot-unstuffing (RFC 5321 §4.5.2), then the message as a reader sees it.
      const parsed = await simpleParser(Buffer.from(raw.replace(/^\.\./gm, '.'), 'latin1'));
      const key = parsed.headers.get('x-banli-key');
      const delivery: Delivery = {
        key: typeof key === 'string' ? decodeWords(key) : null,
        messageId: parsed.messageId ?? null,
        subject: parsed.subject ?? '',
        rcpt,
        accepted: false,
      };
      rcpt = [];
      if (!this.held && this.holdIf(delivery.key)) {
        this.held = true;
        this.onHeld(delivery);
        // Held until the sender goes away; were it still there after 30 s, a temporary refusal.
        await Promise.race([closedNow, new Promise((r) => setTimeout(r, 30_000))]);
        this.deliveries.push(delivery);
        if (closed) this.onDropped(delivery);
        else say('451 4.3.0 Try again later');
        return;
      }
      if (closed) return;
      say('250 2.0.0 Queued');
      delivery.accepted = true;
      this.deliveries.push(delivery);
    };

    const command = (line: string) => {
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO' || verb === 'HELO') say('250 holding-relay');
      else if (verb === 'MAIL' || verb === 'RSET' || verb === 'NOOP') say('250 2.0.0 OK');
      else if (verb === 'RCPT') {
        rcpt.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
        say('250 2.1.5 OK');
      } else if (verb === 'DATA') {
        inData = true;
        say('354 End data with <CR><LF>.<CR><LF>');
      } else if (verb === 'QUIT') {
        say('221 2.0.0 Bye');
        socket.end();
      } else say('502 5.5.2 Command not recognised');
    };

    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      busy = busy.then(async () => {
        for (;;) {
          if (inData) {
            const end = buffer.indexOf('\r\n.\r\n');
            if (end < 0) return;
            const raw = buffer.slice(0, end + 2);
            buffer = buffer.slice(end + 5);
            inData = false;
            await message(raw);
          } else {
            const end = buffer.indexOf('\r\n');
            if (end < 0) return;
            const line = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            command(line);
          }
        }
      });
    });
    say('220 holding-relay ESMTP');
  }
}

let db: Db;
let client: ProposalClient;
let org: Org;
let smtp: HoldingSmtp;
let smtpUrl: string;
const taskQueue = uniq('reply-once-');
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  db = testDb();
  client = await proposalClient(taskQueue);
  org = await seedOrg(db);
  // The reply's outbox key is <workflow>:dispatch:<unit>:round0#0:reply.
  smtp = new HoldingSmtp((key) => key !== null && key.endsWith('#0:reply') && key.includes(`:dispatch:${org.units.lead}:`));
  smtpUrl = await smtp.start();
});
afterAll(async () => {
  for (const w of workers) await w.kill('SIGTERM');
  await client?.client.connection.close();
  await smtp?.stop();
  await db?.destroy();
});

describe('the reply mail, when the worker dies mid-send', () => {
  it('reaches the proposers exactly once, under one Message-ID, with one reply number', async () => {
    workers.push(await startWorkerProcess(taskQueue, { SMTP_URL: smtpUrl }));
    const receiptNo = uniq('R');
    const reg = jointProposal(org, receiptNo);
    const { workflowId: id } = await client.register({ ...reg, bodyHash: await putText(db, reg.body), actor: org.actors.office });
    await client.act(id, 'file', org.actors.committee, { outcome: 'filed', proposalNo: `第${receiptNo}号` });
    await client.act(id, 'assign', org.actors.office, { mode: 'sole', units: [org.units.lead] });
    await client.act(id, 'recordNoConsultation', org.actors.leadLiaison, { reason: '委员长期在外地，经多次联系未能协商' });
    await client.act(id, 'saveDraft', org.actors.leadLiaison, { bodyHash: await putText(db, `答复正文${receiptNo}：已开展工作与下一步工作。`), replyClass: 'A' });
    await client.act(id, 'submitForSignOff', org.actors.leadLiaison, {});
    await client.act(id, 'signOff', org.actors.leadLeader, { decision: 'approve' });

    // The reply is numbered, stored and queued; its mail reaches the relay, which holds it.
    const held = await Promise.race([
      smtp.heldMessage,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the reply mail never reached the relay')), 60_000)),
    ]);
    await workers[0]!.kill('SIGKILL');
    const dropped = await smtp.droppedMessage;
    expect(dropped.accepted).toBe(false);
    const key = held.key!;
    expect(smtp.accepted().filter((d) => d.key === key)).toEqual([]);

    workers.push(await startWorkerProcess(taskQueue, { SMTP_URL: smtpUrl }));
    // The step is tried again once its 10 s bound has passed, on the new worker.
    await eventually(async () => smtp.accepted().some((d) => d.key === key), 90_000);
    const row = await eventually(async () => {
      const r = await db.selectFrom('notifications').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
      return r?.status === 'sent' ? r : null;
    });
    // The outbox goes on after the reply: each rater's feedback request follows it.
    const feedbackKeys = (
      await db.selectFrom('notifications').select('idempotency_key').where('workflow_id', '=', id).where('kind', '=', 'feedback_request').execute()
    ).map((n) => n.idempotency_key);
    expect(feedbackKeys).toHaveLength(2);
    await eventually(async () => feedbackKeys.every((k) => smtp.accepted().some((d) => d.key === k)), 60_000);
    // Give a duplicate, if any, the time to show up.
    await new Promise((r) => setTimeout(r, 2000));

    // Twice on the wire (the held attempt and the retry), the same message both times; taken once.
    const sends = smtp.deliveries.filter((d) => d.key === key);
    expect(sends.map((d) => d.accepted)).toEqual([false, true]);
    expect(sends[1]!.messageId).toBe(held.messageId);
    // The Message-ID comes from the outbox key, so a relay would know a resend as the same mail.
    const expectedId = `<${Buffer.from(key).toString('base64url').slice(0, 180)}@`;
    expect(held.messageId!.startsWith(expectedId)).toBe(true);
    expect(row.message_id).toBe(held.messageId);
    expect(row.attempts).toBe(1);

    // Counted by Message-ID and by subject, per proposer: one reply each.
    const accepted = smtp.accepted();
    expect(accepted.filter((d) => d.messageId === held.messageId)).toHaveLength(1);
    expect(accepted.filter((d) => d.subject === row.subject)).toHaveLength(1);
    for (const email of [org.proposerEmails.first, org.proposerEmails.cosigner]) {
      expect(
        accepted.filter((d) => d.subject === row.subject && d.rcpt.includes(email)),
        email,
      ).toHaveLength(1);
    }
    for (const k of feedbackKeys)
      expect(
        accepted.filter((d) => d.key === k),
        k,
      ).toHaveLength(1);

    // One reply number, one dispatch.
    const state = await client.state(id);
    const docNo = state!.tracks[0]!.docNo!;
    expect(row.subject).toContain(docNo);
    const numbers = await db.selectFrom('doc_numbers').select('doc_no').where('unit_id', '=', org.units.lead).execute();
    expect(numbers.map((n) => n.doc_no)).toEqual([docNo]);
    const dispatches = await db.selectFrom('events').select('id').where('workflow_id', '=', id).where('step', '=', 'dispatch').execute();
    expect(dispatches).toHaveLength(1);
  });
});
