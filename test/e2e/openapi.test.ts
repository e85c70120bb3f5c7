import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ACTION_BODIES } from '../../client/http/action-bodies.js';
import type { Db } from '../../db/connection.js';
import { ACTION_NAMES, ACTION_TABLE } from '../../workflows/proposal/machine.js';
import { testDb } from '../support/context.js';
import { startApi, type Api } from '../support/http.js';

// The OpenAPI document is generated from the same zod schemas the door parses with: every
// action of the table is there, in the shape a person sends (texts, never their hashes).

let db: Db;
let api: Api;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is read field by field
let doc: any;
beforeAll(async () => {
  db = testDb();
  api = await startApi(db);
  const res = await api.call(null, 'GET', '/api/openapi.json');
  expect(res.status).toBe(200);
  doc = res.json;
});
afterAll(async () => {
  await api.close();
  await db.destroy();
});

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document, served without a login', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toContain('Banli');
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.Problem.properties.error.enum).toContain('WRONG_STAGE');
  });

  it('lists every action of ACTION_TABLE as POST /api/proposals/{id}/actions/{name} with its request schema', () => {
    for (const name of ACTION_NAMES) {
      const op = doc.paths[`/api/proposals/{id}/actions/${name}`]?.post;
      expect(op, name).toBeDefined();
      expect(op.summary, name).toContain(ACTION_TABLE[name].label);
      expect(
        op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`),
        name,
      ).toEqual(['path:id']);
      const schema = op.requestBody.content['application/json'].schema;
      expect(schema.type, name).toBe('object');
      expect(schema.additionalProperties, name).toBe(false);
      const expected = z.toJSONSchema(ACTION_BODIES[name], { io: 'input', unrepresentable: 'any' }) as { properties?: object; required?: string[] };
      expect(Object.keys(schema.properties ?? {}).sort(), name).toEqual(Object.keys(expected.properties ?? {}).sort());
      expect([...(schema.required ?? [])].sort(), name).toEqual([...(expected.required ?? [])].sort());
      // Long texts are sent as text; their hashes are the door's business.
      for (const [textField, hashField] of Object.entries((ACTION_TABLE[name] as { texts?: Record<string, string> }).texts ?? {})) {
        expect(schema.properties, name).toHaveProperty(textField);
        expect(schema.properties, name).not.toHaveProperty(hashField);
      }
      expect(Object.keys(op.responses), name).toEqual(expect.arrayContaining(['200', '401', '403', '404', '409', '413', '415', '422', '503']));
      expect(op.security, name).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);
    }
    const documented = Object.keys(doc.paths).filter((p) => p.startsWith('/api/proposals/{id}/actions/'));
    expect(documented).toHaveLength(ACTION_NAMES.length);
  });

  it('lists the other routes too, with their parameters and bodies', () => {
    const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item as object).map((m) => `${m.toUpperCase()} ${path}`));
    for (const op of [
      'GET /healthz',
      'POST /api/login',
      'POST /api/logout',
      'GET /api/me',
      'PUT /api/me/preferences',
      'POST /api/proposals',
      'GET /api/proposals',
      'GET /api/proposals/{id}',
      'GET /api/proposals/{id}/events',
      'GET /api/proposals/{id}/deadlines',
      'GET /api/proposals/{id}/replies',
      'GET /api/proposals/{id}/co-opinions',
      'GET /api/proposals/{id}/consultations',
      'GET /api/proposals/{id}/ratings',
      'GET /api/proposals/{id}/follow-ups',
      'GET /api/proposals/{id}/documents',
      'GET /api/proposals/{id}/documents/{documentId}/{format}',
      'POST /api/proposals/batch',
      'POST /api/assignments/batch',
      'GET /api/workflow-id',
      'GET /api/worklists/{kind}',
      'GET /api/calendar/{year}',
      'PUT /api/calendar/{year}',
      'POST /api/calendar/{year}/import',
      'GET /api/policies/active',
      'PUT /api/policies/active',
      'GET /feedback/{token}',
      'POST /feedback/{token}',
      'GET /api/dev/mail',
    ]) {
      expect(ops).toContain(op);
    }
    const list = doc.paths['/api/proposals'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(['session', 'stage', 'limit', 'offset', 'after']);
    expect(list.parameters.find((p: { name: string }) => p.name === 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
    const register = doc.paths['/api/proposals'].post.requestBody.content['application/json'].schema;
    expect(register.required).toEqual(expect.arrayContaining(['sessionCode', 'receiptNo', 'title', 'body', 'proposerKind', 'proposers']));
    expect(doc.paths['/api/calendar/{year}/import'].post.requestBody.content).toHaveProperty('text/csv');
    expect(doc.paths['/healthz'].get.security).toBeUndefined();
    expect(doc.paths['/api/login'].post.security).toBeUndefined();
  });
});
