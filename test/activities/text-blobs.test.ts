import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { dropTextIfUnreferenced, getText, putNewText } from '../../db/repositories/blobs.js';
import { seedOrg, testDb, uniq } from '../support/context.js';

// Texts are content-addressed; one stored for an action the workflow refused must not linger,
// and one anything refers to must never go.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.destroy();
});

describe('text blobs', () => {
  it('says whether a store added the text, and drops an unreferenced one', async () => {
    const content = `答复正文${uniq('')}`;
    const first = await putNewText(db, content);
    expect(first.added).toBe(true);
    expect((await putNewText(db, content)).added).toBe(false);
    expect(await dropTextIfUnreferenced(db, first.hash)).toBe(true);
    expect(await getText(db, first.hash)).toBeNull();
  });

  it('keeps a text something refers to', async () => {
    const org = await seedOrg(db);
    const { hash } = await putNewText(db, `提案正文${uniq('')}`);
    await db
      .insertInto('proposals')
      .values({
        workflow_id: `proposal:${org.sessionCode}:${uniq('R')}`,
        session_code: org.sessionCode,
        receipt_no: uniq('R'),
        title: '关于测试的建议',
        body_hash: hash,
        proposer_kind: 'individual',
        received_date: '2026-01-20',
        stage: 'received',
        unit_ids: [],
        key_proposal: false,
        rehandling_round: 0,
        updated_at: new Date(),
      })
      .execute();
    expect(await dropTextIfUnreferenced(db, hash)).toBe(false);
    expect(await getText(db, hash)).not.toBeNull();
  });
});
