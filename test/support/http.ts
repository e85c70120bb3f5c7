import { inject } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../client/server.js';
import type { Db } from '../../db/connection.js';
import { TEST_LINK_BASE, TEST_LINK_SECRET } from './constants.js';
import { proposalClient } from './context.js';
import { createFeedbackLinks } from '../../activities/feedback-link.js';

export interface Api {
  server: RunningHttpServer;
  login(username: string, password: string): Promise<string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies field by field
  call(token: string | null, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

/** The real HTTP server on a free port, in front of the real workflows. */
export async function startApi(db: Db): Promise<Api> {
  const proposals = await proposalClient();
  const feedbackLinks = createFeedbackLinks(TEST_LINK_SECRET, TEST_LINK_BASE);
  const server = await startHttpServer({ db, proposals, host: '127.0.0.1', port: 0, mailCatcherDir: inject('mailDir'), feedbackLinks });
  const call: Api['call'] = async (token, method, path, body, headers = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json };
  };
  return {
    server,
    call,
    async login(username, password) {
      const res = await call(null, 'POST', '/api/login', { username, password });
      if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.json)}`);
      return res.json.token as string;
    },
    async close() {
      await server.close();
      await proposals.client.connection.close();
    },
  };
}

export const enc = encodeURIComponent;
