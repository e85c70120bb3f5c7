import { sql } from 'kysely';
import type { AppDeps } from '../env.js';
import { problem } from '../problem.js';
import type { Routes } from '../route.js';

// Liveness for load balancers and the dev stack: PostgreSQL and Temporal are each asked with a
// short bound, in parallel, and a 503 names the one that did not answer.

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function healthRoutes(r: Routes, deps: AppDeps, timeoutMs: number): void {
  r.mount({ method: 'get', path: '/healthz', summary: '健康检查：PostgreSQL 与 Temporal', tag: '运维', public: true, problems: [503] }, async (c) => {
    const [postgres, temporal] = await Promise.all([
      within(timeoutMs, sql`select 1`.execute(deps.db)).then(
        () => 'ok' as const,
        () => 'down' as const,
      ),
      within(timeoutMs, deps.proposals.ping(timeoutMs)).then(
        () => 'ok' as const,
        () => 'down' as const,
      ),
    ]);
    const checks = { postgres, temporal };
    if (postgres === 'ok' && temporal === 'ok') return c.json({ ok: true, checks });
    const down = [postgres === 'down' ? 'PostgreSQL' : null, temporal === 'down' ? 'Temporal' : null].filter(Boolean).join('、');
    return problem(c, 'UNAVAILABLE', `${down} 在 ${timeoutMs} 毫秒内没有响应`, undefined, { ok: false, checks });
  });
}
