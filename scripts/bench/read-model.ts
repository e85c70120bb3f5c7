import { sql } from 'kysely';
import { performance } from 'node:perf_hooks';
import { hashPassword } from '../../client/http/auth.js';
import type { Db } from '../../db/connection.js';
import { row, type Row } from './report.js';
import { NATIONAL, seedNational, sessionCode } from './statistics-data.js';

// P3: the lists people open all day, on a national read model (60,000 proposals in 10 sessions,
// ~200,000 unit tasks, 1,000,000 events), through HTTP with auth, beside one bare indexed query
// on the same table from the same process (the floor: no HTTP, no auth, no JSON).

const RUNS = Number(process.env.BENCH_READ_RUNS ?? 60);
const PAGE = 50;

/** Co-handling tasks of other units until the read model holds about `tasks` unit tasks. */
async function moreTasks(db: Db, tasks: number): Promise<void> {
  const have = Number((await sql<{ n: string }>`select count(*) as n from unit_tasks`.execute(db)).rows[0]!.n);
  const extra = Math.max(0, tasks - have);
  await sql`insert into unit_tasks (workflow_id, unit_id, role, status, round, assigned_at, due_at, completed_at, updated_at)
    select 'bench:' || (1 + i % ${NATIONAL.proposals}), 'bu' || ((i / ${NATIONAL.proposals} + 1 + i % 13) % ${NATIONAL.units}), 'co',
      case when i % 9 = 0 then 'due' else 'submitted' end, 0, timestamptz '2026-02-01', now() + ((i % 40) - 20) * interval '1 day',
      case when i % 9 = 0 then null else timestamptz '2026-03-01' end, now()
    from generate_series(1, ${extra}) i
    on conflict do nothing`.execute(db);
  await sql`analyze`.execute(db);
}

async function timed(runs: number, once: () => Promise<void>): Promise<number[]> {
  await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await once();
    samples.push(performance.now() - t);
  }
  return samples;
}

export async function measureReadModel(db: Db, base: string, officeToken: string): Promise<Row[]> {
  const t0 = performance.now();
  await seedNational(db, NATIONAL);
  await moreTasks(db, 200_000);
  const counts = (
    await sql<{
      p: string;
      t: string;
      e: string;
    }>`select (select count(*) from proposals) p, (select count(*) from unit_tasks) t, (select count(*) from events) e`.execute(db)
  ).rows[0]!;
  const scale = `${counts.p} proposals, ${counts.t} unit tasks, ${counts.e} events; seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`;
  await db
    .insertInto('users')
    .values({
      username: 'bench-bu3',
      display_name: 'bench-bu3',
      password_hash: await hashPassword('bench-password'),
      role: 'liaison',
      unit_id: 'bu3',
      proposer_id: null,
      email: null,
    })
    .execute();
  const login = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench-bu3', password: 'bench-password' }),
  });
  const unitToken = ((await login.json()) as { token: string }).token;
  const session = sessionCode(3);
  const get = (token: string, path: string) => async () => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`${path} → ${res.status} ${await res.text()}`);
    await res.text();
  };
  // Twenty pages deep by keyset, to show a late page costs what the first does.
  let deep = '';
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${base}/api/proposals?session=${encodeURIComponent(session)}&limit=${PAGE}${deep ? `&after=${deep}` : ''}`, {
      headers: { authorization: `Bearer ${officeToken}` },
    });
    deep = encodeURIComponent(((await res.json()) as { next: string }).next);
  }
  const bare = await timed(RUNS, async () => {
    await sql`select * from proposals where session_code = ${session} order by created_at desc, workflow_id desc limit ${PAGE}`.execute(db);
  });
  const ceiling = { name: 'bare indexed query (same table, no HTTP)', p50: row('P3', 'bare', bare).p50 };
  const target = 'p95 ≤ 50 ms';
  return [
    row('P3', `bare: one page of a session's proposals, straight from PostgreSQL (${scale})`, bare),
    row(
      'P3',
      `GET /api/proposals?session&limit=${PAGE} (office, first page)`,
      await timed(RUNS, get(officeToken, `/api/proposals?session=${encodeURIComponent(session)}&limit=${PAGE}`)),
      { ceiling, target },
    ),
    row(
      'P3',
      `GET /api/proposals … &after= (office, page 21 by keyset)`,
      await timed(RUNS, get(officeToken, `/api/proposals?session=${encodeURIComponent(session)}&limit=${PAGE}&after=${deep}`)),
      { ceiling, target },
    ),
    row('P3', `GET /api/proposals?limit=${PAGE} (a unit's liaison: its own proposals)`, await timed(RUNS, get(unitToken, `/api/proposals?limit=${PAGE}`)), {
      ceiling,
      target,
    }),
    row(
      'P3',
      `GET /api/worklists/overdue?session&limit=${PAGE} (office)`,
      await timed(RUNS, get(officeToken, `/api/worklists/overdue?session=${encodeURIComponent(session)}&limit=${PAGE}`)),
      { ceiling, target },
    ),
    row('P3', `GET /api/worklists/overdue (a unit's liaison: its own)`, await timed(RUNS, get(unitToken, `/api/worklists/overdue?limit=${PAGE}`)), {
      ceiling,
      target,
    }),
  ];
}
