import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { FIGURES, isFigureKey, percent, type FigureKey } from './definitions.js';
import { factsCte, type StatisticsScope } from './facts.js';
import { refreshStatistics, storedFactsCte, summedCounts, summedScope } from './stored-facts.js';

// Counting the facts: per unit (each unit's own tasks, forms and replies) and per session in
// total. A session's total counts each proposal (or form, or reply) once: a proposal handled by
// several units is replied when all of them answered, on time when all of them were.

export interface FigureValue {
  num: number;
  den: number;
  /** num/den in percent with one decimal, null when den is 0. */
  rate: number | null;
}

export type FigureSet = Record<FigureKey, FigureValue>;

export interface FigureRow {
  sessionCode: string;
  /** null: the session's total. */
  unitId: string | null;
  figures: FigureSet;
}

interface CountRow {
  figure: string;
  session_code: string;
  unit_id: string | null;
  den: number;
  num: number;
}

export function emptyFigures(): FigureSet {
  const zero = (): FigureValue => ({ num: 0, den: 0, rate: null });
  // Spelled out so the compiler checks that every figure has its place.
  return {
    replied: zero(),
    onTime: zero(),
    attitudeSatisfied: zero(),
    resultSatisfied: zero(),
    noFeedback: zero(),
    faceToFace: zero(),
    classA: zero(),
    classB: zero(),
    classC: zero(),
    rehandled: zero(),
    publishedInWindow: zero(),
    paperRatings: zero(),
    merged: zero(),
  };
}

/** Every figure per session and unit, and each session's total, for the scope. */
export async function countFigures(db: Kysely<Database>, scope: StatisticsScope): Promise<FigureRow[]> {
  await refreshStatistics(db);
  if (summedScope(scope)) return assemble((await sql<CountRow>`${summedCounts(scope)}`.execute(db)).rows);
  return assemble((await sql<CountRow>`${storedFactsCte(scope)} ${COUNT_FACTS}`.execute(db)).rows);
}

/**
 * The same figures counted straight from the read model and the event log, without anything kept
 * ahead: the reference the kept figures are checked against, and a slow way to check them by hand.
 */
export async function countFiguresFromLog(db: Kysely<Database>, scope: StatisticsScope): Promise<FigureRow[]> {
  return assemble((await sql<CountRow>`${factsCte(scope, false)} ${COUNT_FACTS}`.execute(db)).rows);
}

/** Counts `facts` per session and unit, and per session over counted things (a thing counts once). */
const COUNT_FACTS = sql`
select figure, session_code, unit_id, (count(*) filter (where den))::int as den, (count(*) filter (where den and num))::int as num
from facts
where unit_id is not null
group by figure, session_code, unit_id
union all
select figure, session_code, null, (count(*) filter (where den))::int, (count(*) filter (where den and num))::int
from (
  select figure, session_code, workflow_id, item, bool_or(den) as den, coalesce(bool_and(num) filter (where den), false) as num
  from facts
  group by figure, session_code, workflow_id, item
) per_item
group by figure, session_code
`;

function assemble(rows: CountRow[]): FigureRow[] {
  const byKey = new Map<string, FigureRow>();
  for (const r of rows) {
    if (!isFigureKey(r.figure)) continue;
    const key = `${r.session_code}\u0000${r.unit_id ?? ''}`;
    let row = byKey.get(key);
    if (!row) {
      row = { sessionCode: r.session_code, unitId: r.unit_id, figures: emptyFigures() };
      byKey.set(key, row);
    }
    row.figures[r.figure] = { num: r.num, den: r.den, rate: FIGURES[r.figure].kind === 'rate' ? percent(r.num, r.den) : null };
  }
  return [...byKey.values()].sort((a, b) => a.sessionCode.localeCompare(b.sessionCode) || (a.unitId ?? '').localeCompare(b.unitId ?? ''));
}
