import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../client/http/auth.js';
import type { Db } from '../../db/connection.js';
import { putText } from '../../db/repositories/blobs.js';
import type { RegisterInput } from '../../workflows/proposal/definitions.js';
import type { Actor } from '../../workflows/shared/types.js';

// Each scenario gets its own session, units and users (the way scripts/bench.ts seeds its one
// unit), so that its counts read only its own rows, and a second run against the same database
// collides with nothing.

const PASSWORD = 'faults-password';

export interface FaultUnit {
  id: string;
  liaison: Actor & { username: string };
  leader: Actor & { username: string };
}

export interface FaultOrg {
  tag: string;
  session: string;
  units: FaultUnit[];
  office: Actor & { username: string };
  committee: Actor & { username: string };
  bodyHash: string;
}

export async function seedOrg(db: Db, label: string, unitCount: number): Promise<FaultOrg> {
  const tag = `${label}${randomUUID().slice(0, 6)}`;
  const session = `十四届故障测试${tag}次会议`;
  await db.insertInto('sessions').values({ code: session, name: session, year: 2026, kind: 'plenary', policy_version: null }).execute();
  const passwordHash = await hashPassword(PASSWORD);
  const user = async (username: string, role: Actor['role'], unitId: string | null) => {
    const row = await db
      .insertInto('users')
      .values({ username, display_name: username, password_hash: passwordHash, role, unit_id: unitId, proposer_id: null, email: `${username}@faults.test` })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { userId: row.id, role, unitId, proposerId: null, name: username, username };
  };
  const units: FaultUnit[] = [];
  for (let u = 0; u < unitCount; u++) {
    const id = `${tag}-u${u}`;
    await db
      .insertInto('units')
      .values({
        id,
        name: `浙江省故障测试第${u}厅${tag}`,
        short_name: `测试${u}厅`,
        doc_prefix: `浙测${u}${tag}`,
        email: `${id}@faults.test`,
        leader_email: `${id}-leader@faults.test`,
        principal_email: null,
        contact_name: '王联络',
        contact_phone: '0571-87050000',
      })
      .execute();
    units.push({ id, liaison: await user(`${id}-liaison`, 'liaison', id), leader: await user(`${id}-leader`, 'leader', id) });
  }
  return {
    tag,
    session,
    units,
    office: await user(`${tag}-office`, 'office', null),
    committee: await user(`${tag}-committee`, 'committee', null),
    bodyHash: await putText(db, '一、基本情况。二、存在问题。三、具体建议：加大投入，完善政策。'),
  };
}

export function registration(org: FaultOrg, i: number): RegisterInput {
  return {
    actor: org.office,
    sessionCode: org.session,
    receiptNo: `F${String(i).padStart(5, '0')}`,
    title: `关于第${i}项工作的建议`,
    bodyHash: org.bodyHash,
    topic: null,
    proposerKind: 'individual',
    proposers: [{ kind: 'member', name: `委员${org.tag}${i}`, email: `m${i}-${org.tag}@faults.test` }],
    receivedDate: '2026-01-20',
  };
}

export async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${username} → ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
