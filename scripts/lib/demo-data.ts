import { verify as argon2Verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Kysely } from 'kysely';
import { hashPassword } from '../../client/http/auth.js';
import { setUnitRemit } from '../../activities/search/unit-remits.js';
import type { Database, Role } from '../../db/schema.js';

// Demo reference data for `npm start`: one session, four handling units (承办单位), the staff
// and unit accounts to walk a proposal through, and two members as proposers. Names, units,
// document prefixes and contact lines are facts taken from the real published replies in
// ../shared/seeds (000: 浙江省发展改革委 reply to 张永庆委员, 浙发改提〔2024〕263号; 004: 温州市科学技术局
// reply to 余向前委员, 温科提复〔2024〕111号; 003: the 责任单位 lists naming 省经信厅 and 省科技厅).
// Mail addresses are made up under reserved demo domains. Every insert is `on conflict do
// nothing`, so seeding twice changes nothing and never overwrites what someone edited.

export const DEMO_SESSION = { code: '十四届三次会议', name: '政协十四届三次会议（演示）', year: 2026, kind: 'plenary' as const };

export interface DemoUnit {
  id: string;
  name: string;
  short_name: string;
  doc_prefix: string;
  email: string;
  leader_email: string;
  principal_email: string | null;
  contact_name: string | null;
  contact_phone: string | null;
}

const unit = (id: string, name: string, short: string, prefix: string, contactName: string | null, contactPhone: string | null): DemoUnit => ({
  id,
  name,
  short_name: short,
  doc_prefix: prefix,
  email: `${id}@units.demo`,
  leader_email: `${id}-leader@units.demo`,
  principal_email: `${id}-principal@units.demo`,
  contact_name: contactName,
  contact_phone: contactPhone,
});

export const DEMO_UNITS: readonly DemoUnit[] = [
  // Seed 000: signed 浙江省发展和改革委员会, published by 省发展改革委, 联系人:韩志周,0571-87054876.
  unit('fgw', '浙江省发展和改革委员会', '省发展改革委', '浙发改', '韩志周', '0571-87054876'),
  // Seed 003 lists these two as 责任单位 (省经信厅 usually first, i.e. leading). No contact line is
  // published for them, so none is invented: the reply letter then omits the 联系人 line.
  unit('jxt', '浙江省经济和信息化厅', '省经信厅', '浙经信', null, null),
  unit('kjt', '浙江省科学技术厅', '省科技厅', '浙科', null, null),
  // Seed 004: 温科提复〔2024〕111号, 联系人：王鹏鸣，联系电话：88962071.
  unit('wzkj', '温州市科学技术局', '温州市科技局', '温科', '王鹏鸣', '88962071'),
];

/**
 * The demo units' remits (职责) for 智能分办, written for the demo from what such a unit answers
 * for; a deployment writes its own on the 承办单位 page.
 */
const DEMO_REMITS: Readonly<Record<string, string>> = {
  fgw: '国民经济和社会发展规划 发展战略 产业政策 未来产业 重大项目 固定资产投资 价格 区域协调发展 营商环境 应用场景',
  jxt: '工业 制造业 信息化 数字经济 工业互联网 软件和信息服务业 中小企业 民营经济 节能降耗 产业链',
  kjt: '科技创新 科研项目 实验室 科研院所 科技成果转化 高新技术企业 人工智能 科技人才 技术攻关',
  wzkj: '科技创新 科技企业 人工智能 创新平台 研发投入 科技成果转化 科技人才 孵化器',
};

export interface DemoMember {
  username: string;
  name: string;
  note: string;
}

/** Proposers (提案者) with their own logins; registering a proposal with the same name and email links it to them. */
export const DEMO_MEMBERS: readonly DemoMember[] = [
  { username: 'member-zhang', name: '张永庆', note: 'seed 000: 第224号提案 at 省政协十三届二次会议' },
  { username: 'member-yu', name: '余向前', note: 'seed 004: 2号提案 at 温州市政协十二届三次会议' },
];

export const DEMO_EMAIL_DOMAIN = 'demo.banli';

export function demoEmail(username: string): string {
  return `${username}@${DEMO_EMAIL_DOMAIN}`;
}

interface DemoUser {
  username: string;
  display_name: string;
  role: Role;
  unit_id: string | null;
  member?: string; // proposer name, for role 'proposer'
}

export function demoUsers(): DemoUser[] {
  const users: DemoUser[] = [
    { username: 'office', display_name: '省政府办公厅（交办）', role: 'office', unit_id: null },
    { username: 'committee', display_name: '省政协提案委员会', role: 'committee', unit_id: null },
    { username: 'admin', display_name: '系统管理员', role: 'admin', unit_id: null },
  ];
  for (const u of DEMO_UNITS) {
    users.push(
      { username: `liaison-${u.id}`, display_name: u.contact_name ? `${u.contact_name}（${u.short_name}）` : `${u.short_name}联络员`, role: 'liaison', unit_id: u.id },
      { username: `leader-${u.id}`, display_name: `${u.short_name}分管领导`, role: 'leader', unit_id: u.id },
      { username: `principal-${u.id}`, display_name: `${u.short_name}主要负责人`, role: 'principal', unit_id: u.id },
    );
  }
  for (const m of DEMO_MEMBERS) users.push({ username: m.username, display_name: `${m.name}委员`, role: 'proposer', unit_id: null, member: m.name });
  return users;
}

export function demoUsernames(): string[] {
  return demoUsers().map((u) => u.username);
}

export interface SeedResult {
  sessions: number;
  units: number;
  proposers: number;
  users: number;
  /** False when the demo users already existed with another password (e.g. BANLI_DEMO_PASSWORD changed). */
  passwordMatches: boolean;
}

/** Inserts the demo data that is missing; existing rows are left exactly as they are. */
export async function seedDemo(db: Kysely<Database>, password: string): Promise<SeedResult> {
  const sessions = await db
    .insertInto('sessions')
    .values(DEMO_SESSION)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  const units = await db
    .insertInto('units')
    .values([...DEMO_UNITS])
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  // A remit an administrator has written is theirs: only a unit without one gets the demo's.
  const unset = await db.selectFrom('units').select('id').where('id', 'in', Object.keys(DEMO_REMITS)).where('remit', 'is', null).execute();
  for (const u of unset) await setUnitRemit(db, u.id, DEMO_REMITS[u.id]!);
  // Who publishes for each unit (公开). Seed 000's organisation code and organ for 省发展改革委; the
  // others are made up in the same shape, under a 9-digit code no real organisation uses.
  await db
    .insertInto('publication_profiles')
    .values(
      DEMO_UNITS.map((u, i) => ({
        unit_id: u.id,
        org_code: u.id === 'fgw' ? '002482031' : `99999000${i}`,
        organ: u.short_name,
        classification: '政协委员提案',
        updated_at: new Date(),
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
  const proposers = await db
    .insertInto('proposers')
    .values(DEMO_MEMBERS.map((m) => ({ kind: 'member' as const, name: m.name, email: demoEmail(m.username), phone: null, sector: null })))
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  const proposerRows = await db
    .selectFrom('proposers')
    .select(['id', 'name', 'email'])
    .where('kind', '=', 'member')
    .where(
      'email',
      'in',
      DEMO_MEMBERS.map((m) => demoEmail(m.username)),
    )
    .execute();
  const proposerId = (m: DemoUser) => {
    const row = proposerRows.find((p) => p.name === m.member && p.email === demoEmail(m.username));
    if (!row) throw new Error(`demo proposer ${m.member} is missing after insert`);
    return row.id;
  };

  // Hash only for users that do not exist yet: argon2id is deliberately slow.
  const wanted = demoUsers();
  const existing = new Set(
    (
      await db
        .selectFrom('users')
        .select('username')
        .where(
          'username',
          'in',
          wanted.map((u) => u.username),
        )
        .execute()
    ).map((r) => r.username),
  );
  const missing = wanted.filter((u) => !existing.has(u.username));
  let insertedUsers = 0;
  if (missing.length > 0) {
    const rows = [];
    for (const u of missing) {
      rows.push({
        username: u.username,
        display_name: u.display_name,
        password_hash: await hashPassword(password),
        role: u.role,
        unit_id: u.unit_id,
        proposer_id: u.role === 'proposer' ? proposerId(u) : null,
        email: demoEmail(u.username),
      });
    }
    const result = await db
      .insertInto('users')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    insertedUsers = Number(result.numInsertedOrUpdatedRows ?? 0n);
  }

  const office = await db.selectFrom('users').select('password_hash').where('username', '=', 'office').executeTakeFirst();
  const passwordMatches = office ? await argon2Verify(office.password_hash, password).catch(() => false) : false;

  return {
    sessions: Number(sessions.numInsertedOrUpdatedRows ?? 0n),
    units: Number(units.numInsertedOrUpdatedRows ?? 0n),
    proposers: Number(proposers.numInsertedOrUpdatedRows ?? 0n),
    users: insertedUsers,
    passwordMatches,
  };
}

/**
 * A secret that survives restarts: the value of `envName` when set, else the one stored in
 * `file` (mode 600), else a fresh random one written there so the next start reuses it.
 */
export function persistentSecret(
  file: string,
  envName: string,
  randomBytesCount: number,
  env: NodeJS.ProcessEnv = process.env,
): { value: string; source: 'env' | 'file' | 'generated' } {
  const fromEnv = env[envName];
  if (fromEnv) return { value: fromEnv, source: 'env' };
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored) {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      return { value: stored, source: 'file' };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const value = randomBytes(randomBytesCount).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { value, source: 'generated' };
}

/** The demo password: BANLI_DEMO_PASSWORD, else the one kept in `file` (created on first use). */
export function resolveDemoPassword(file: string, env: NodeJS.ProcessEnv = process.env): { password: string; source: 'env' | 'file' | 'generated' } {
  const { value, source } = persistentSecret(file, 'BANLI_DEMO_PASSWORD', 12, env);
  return { password: value, source };
}
