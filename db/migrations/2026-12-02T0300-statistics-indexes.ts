import { sql, type Kysely } from 'kysely';

// The statistics (client/read/statistics/) read the event log by step (征询期满, 督办 notices) and
// consultations by proposal, unit and round; without these they scan a national log of a million
// events. Frozen in time like every migration.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists events_step_workflow on events (step, workflow_id)`.execute(db);
  await sql`create index if not exists consultations_task on consultations (workflow_id, unit_id, round)`.execute(db);
  await sql`create index if not exists unit_tasks_round_workflow on unit_tasks (workflow_id, round)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists unit_tasks_round_workflow`.execute(db);
  await sql`drop index if exists consultations_task`.execute(db);
  await sql`drop index if exists events_step_workflow`.execute(db);
}
