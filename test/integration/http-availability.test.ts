import { Client, Connection } from '@temporalio/client';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createFeedbackLinks } from '../../activities/feedback-link.js';
import { startHttpServer, type RunningHttpServer } from '../../client/server.js';
import { ProposalClient } from '../../client/temporal.js';
import type { HttpLimits } from '../../client/settings.js';
import { createDb, type Db } from '../../db/connection.js';
import { TEST_LINK_BASE, TEST_LINK_SECRET } from '../support/constants.js';
import { eventually, jointProposal, proposalClient, seedOrg, testDb, uniq, type Org } from '../support/context.js';
import { enc } from '../support/http.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

// Bounded waits at the door: /healthz says which dependency is down within its bound, and an
// action whose Update does not finish in time answers 503 with Retry-After; asked again with
// the same key once the worker is back, it returns that Update's result, done once.

let db: Db;
let org: Org;
const servers: RunningHttpServer[] = [];
const clients: Client[] = [];
const workers: WorkerProcess[] = [];
const stalls: { server: Server; sockets: Set<Socket> }[] = [];

beforeAll(async () => {
  db = testDb();
  org = await seedOrg(db);
});
afterAll(async () => {
  for (const w of workers) await w.kill('SIGTERM');
  for (const s of servers) await s.close();
  for (const c of clients) await c.connection.close();
  for (const s of stalls) {
    for (const socket of s.sockets) socket.destroy();
    await new Promise((r) => s.server.close(r));
  }
  await db.destroy();
});

async function serve(options: { db?: Db; proposals?: ProposalClient; limits?: Partial<HttpLimits> }) {
  const proposals = options.proposals ?? (await proposalClient());
  clients.push(proposals.client);
  const server = await startHttpServer({
    db: options.db ?? db,
    proposals,
    host: '127.0.0.1',
    port: 0,
    feedbackLinks: createFeedbackLinks(TEST_LINK_SECRET, TEST_LINK_BASE),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  servers.push(server);
  return server;
}

async function call(server: RunningHttpServer, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies field by field
  return { status: res.status, json: (await res.json()) as any, headers: res.headers };
}

/** A TCP port that accepts connections and never answers: a stalled server. */
async function stalledPort(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  stalls.push({ server, sockets });
  return (server.address() as { port: number }).port;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('/healthz', () => {
  it('answers 200 with each check when PostgreSQL and Temporal answer', async () => {
    const server = await serve({});
    const res = await call(server, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, checks: { postgres: 'ok', temporal: 'ok' } });
  });

  it('answers 503 naming PostgreSQL when it refuses or stalls, within the bound', async () => {
    for (const port of [await closedPort(), await stalledPort()]) {
      const deadDb = createDb(`postgres://banli:x@127.0.0.1:${port}/banli`, 1);
      const server = await serve({ db: deadDb, limits: { healthTimeoutMs: 500 } });
      const started = Date.now();
      const res = await call(server, 'GET', '/healthz');
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ error: 'UNAVAILABLE', checks: { postgres: 'down', temporal: 'ok' } });
      expect(res.json.message).toContain('PostgreSQL');
      expect(Date.now() - started).toBeLessThan(2_000);
      void deadDb.destroy().catch(() => undefined);
    }
  });

  it('answers 503 naming Temporal when it refuses or stalls, within the bound', async () => {
    for (const port of [await closedPort(), await stalledPort()]) {
      const client = new Client({ connection: Connection.lazy({ address: `127.0.0.1:${port}` }), namespace: 'default' });
      const server = await serve({ proposals: new ProposalClient(client, inject('taskQueue')), limits: { healthTimeoutMs: 500 } });
      const started = Date.now();
      const res = await call(server, 'GET', '/healthz');
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ error: 'UNAVAILABLE', checks: { postgres: 'ok', temporal: 'down' } });
      expect(res.json.message).toContain('Temporal');
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });
});

describe('an Update that takes longer than the route waits', () => {
  it('answers 503 with Retry-After, and the same key later returns the result, done once', async () => {
    const taskQueue = uniq('slow-');
    workers.push(await startWorkerProcess(taskQueue));
    const server = await serve({ proposals: await proposalClient(taskQueue).then((p) => new ProposalClient(p.client, taskQueue, { waitMs: 1_500 })) });
    const login = async (key: string) => (await call(server, 'POST', '/api/login', undefined, org.users[key])).json.token as string;
    const office = await login('office');
    const committee = await login('committee');
    const created = await call(server, 'POST', '/api/proposals', office, jointProposal(org, uniq('R')));
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const id = created.json.workflowId as string;
    const path = `/api/proposals/${enc(id)}/actions/file`;
    expect((await call(server, 'POST', path, committee, { outcome: 'filed', proposalNo: `第${uniq('')}号` })).status).toBe(200);

    await workers[0]!.kill('SIGKILL');
    const key = uniq('assign-');
    const body = { mode: 'sole', units: [org.units.lead] };
    const started = Date.now();
    const waiting = await call(server, 'POST', `/api/proposals/${enc(id)}/actions/assign`, office, body, { 'idempotency-key': key });
    expect(waiting.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(waiting.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(waiting.headers.get('idempotency-key')).toBe(key);
    expect(waiting.json).toMatchObject({ error: 'UNAVAILABLE', idempotencyKey: key });
    expect(waiting.json.message).toContain('相同的幂等键');

    workers.push(await startWorkerProcess(taskQueue));
    const done = await eventually(async () => {
      const res = await call(server, 'POST', `/api/proposals/${enc(id)}/actions/assign`, office, body, { 'idempotency-key': key });
      if (res.status === 503) return null;
      return res;
    }, 60_000);
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    expect(done.json.proposal.stage).toBe('handling');
    const assigns = await db.selectFrom('events').select('idempotency_key').where('workflow_id', '=', id).where('step', '=', 'assign').execute();
    expect(assigns).toHaveLength(1);
    expect(assigns[0]!.idempotency_key.startsWith(`${id}:${key}:`)).toBe(true);
  });
});
