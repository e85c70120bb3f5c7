import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

// Sign-in throttling. Failures are counted per account name (as typed, known or not, so the
// answer never tells which names exist) and per address; past the limit within the window the
// key is locked for a while and no password is even checked, so guessing costs the guesser time
// and us no argon2 work. The address limit is much higher than the account limit: a whole office
// often signs in from one NAT address, and one person's typos must not lock out their colleagues.

export interface ThrottlePolicy {
  windowMinutes: number;
  accountFailures: number;
  addressFailures: number;
  lockMinutes: number;
}

export const DEFAULT_THROTTLE: Readonly<ThrottlePolicy> = Object.freeze({ windowMinutes: 15, accountFailures: 5, addressFailures: 100, lockMinutes: 15 });

export type ThrottleScope = 'account' | 'address';

export interface Lockout {
  scope: ThrottleScope;
  until: Date;
}

export const accountKey = (username: string) => `user:${username.trim()}`;
export const addressKey = (address: string) => `addr:${address}`;

/** The lockout in force for this name or address, the later one first. */
export async function currentLockout(db: Kysely<Database>, username: string, address: string | null, now = new Date()): Promise<Lockout | null> {
  const keys = [accountKey(username), ...(address ? [addressKey(address)] : [])];
  const rows = await db.selectFrom('login_throttle').select(['key', 'locked_until']).where('key', 'in', keys).where('locked_until', '>', now).execute();
  const found = rows
    .map((r): Lockout => ({ scope: r.key.startsWith('user:') ? 'account' : 'address', until: new Date(r.locked_until!) }))
    .sort((a, b) => b.until.getTime() - a.until.getTime());
  return found[0] ?? null;
}

/**
 * Counts one failure for a key in one statement (two tabs failing at once both count) and locks
 * the key when it reaches the limit. Returns the failures counted in this window and the lock.
 */
async function countFailure(
  db: Kysely<Database>,
  key: string,
  limit: number,
  policy: ThrottlePolicy,
  now: Date,
): Promise<{ failures: number; lockedUntil: Date | null }> {
  const windowStart = new Date(now.getTime() - policy.windowMinutes * 60_000);
  const row = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, window_started_at: now, locked_until: null, updated_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql`case when login_throttle.window_started_at < ${windowStart} then 1 else login_throttle.failures + 1 end`,
        window_started_at: sql`case when login_throttle.window_started_at < ${windowStart} then ${now} else login_throttle.window_started_at end`,
        updated_at: now,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  if (row.failures < limit) return { failures: row.failures, lockedUntil: null };
  const lockedUntil = new Date(now.getTime() + policy.lockMinutes * 60_000);
  // The count starts again once the lock ends: the lock is the penalty, not a permanent state.
  await db.updateTable('login_throttle').set({ locked_until: lockedUntil, failures: 0, window_started_at: now }).where('key', '=', key).execute();
  return { failures: row.failures, lockedUntil };
}

export interface FailureOutcome {
  lockout: Lockout | null;
  /** Attempts left on this account name before it locks. */
  accountAttemptsLeft: number;
}

export async function recordLoginFailure(
  db: Kysely<Database>,
  username: string,
  address: string | null,
  policy: ThrottlePolicy = DEFAULT_THROTTLE,
  now = new Date(),
): Promise<FailureOutcome> {
  const account = await countFailure(db, accountKey(username), policy.accountFailures, policy, now);
  const addr = address ? await countFailure(db, addressKey(address), policy.addressFailures, policy, now) : null;
  const lockout: Lockout | null = account.lockedUntil
    ? { scope: 'account', until: account.lockedUntil }
    : addr?.lockedUntil
      ? { scope: 'address', until: addr.lockedUntil }
      : null;
  return { lockout, accountAttemptsLeft: account.lockedUntil ? 0 : policy.accountFailures - account.failures };
}

/** A successful sign-in clears the account's count (the address keeps its own). */
export async function clearAccountFailures(db: Kysely<Database>, username: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', accountKey(username)).execute();
}

/** 14:05 in Beijing time: what a person reads on the page. */
export function beijingClock(at: Date): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

export function lockoutMessage(lockout: Lockout): string {
  const when = beijingClock(lockout.until);
  return lockout.scope === 'account'
    ? `密码错误次数过多，该账户已暂时锁定，请于${when}后再试；如忘记密码，请联系系统管理员重置。`
    : `从您所在网络地址登录失败的次数过多，已暂停登录，请于${when}后再试。`;
}
