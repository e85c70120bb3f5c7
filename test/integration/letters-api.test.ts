import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { enqueueNotification } from '../../db/repositories/notifications.js';
import { seedAdmin, seedOrg, uniq, type Org } from '../support/context.js';
import type { Driver } from '../support/drive.js';
import { enc, type Api } from '../support/http.js';
import { useSuite } from '../support/suite.js';

// The administrator's routes for letters as data (client/http/api/letters.ts, publication.ts): a
// unit's wording with the letter it makes and every problem by field, saved only when it makes a
// letter; each unit's publishing profile; and the office's list of mail that could not go out.

const suite = useSuite();
let db: Db;
let api: Api;
let org: Org;
let d: Driver;
let admin: string;
/** A unit of its own, so saving its style changes no other test's letters. */
let unit: string;

beforeAll(async () => {
  ({ db, api, org, d } = suite);
  const username = uniq('admin-');
  await seedAdmin(db, username, 'pw-admin');
  admin = await api.login(username, 'pw-admin');
  unit = (await seedOrg(db)).units.lead;
});

const call = (token: string | null, method: string, path: string, body?: unknown) => api.call(token, method, path, body);

describe('a unit’s letter style', () => {
  it('shows the saved wording and the letter it makes', async () => {
    const res = await call(admin, 'GET', `/api/units/${enc(unit)}/letter-style`);
    expect(res.status).toBe(200);
    expect(res.json.unit).toEqual({});
    expect(res.json.preview.problems).toEqual([]);
    expect(res.json.preview.text).toContain(res.json.unitName);
    expect(res.json.preview.html).toContain('<article class="letter"');
  });

  it('previews a change without saving it, with every problem by field, and as a .docx', async () => {
    const good = await call(admin, 'POST', `/api/units/${enc(unit)}/letter-style/preview`, { unit: { number: { kindWords: { reply: '提复' } } } });
    expect(good.status).toBe(200);
    expect(good.json.problems).toEqual([]);
    expect(good.json.text).toMatch(/提复〔\d{4}〕1号/);
    const bad = await call(admin, 'POST', `/api/units/${enc(unit)}/letter-style/preview`, { unit: { number: { form: '{prefix}{kind}〔{year}〕{serail}号' } } });
    expect(bad.status).toBe(200);
    expect(bad.json.problems.map((p: { field: string }) => p.field)).toContain('number.form');
    expect(bad.json.text).toBeNull();
    const shape = await call(admin, 'POST', `/api/units/${enc(unit)}/letter-style/preview`, { unit: { closing: 7 } });
    expect(shape.json.problems[0].field).toMatch(/^unit\.closing/);
    // Nothing was saved by any preview.
    expect((await call(admin, 'GET', `/api/units/${enc(unit)}/letter-style`)).json.unit).toEqual({});

    const res = await fetch(`${api.server.url}/api/units/${enc(unit)}/letter-style/preview?format=docx`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ unit: { number: { kindWords: { reply: '提复' } } } }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename\*=UTF-8''/);
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('saves a wording that makes a letter, and refuses one that does not (422 by field, nothing saved)', async () => {
    const refused = await call(admin, 'PUT', `/api/units/${enc(unit)}/letter-style`, { number: { form: '{prefix}{kind}〔{year}〕{serail}号' } });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toBe('INVALID_INPUT');
    expect(refused.json.issues.map((i: { field: string }) => i.field)).toContain('number.form');
    const unknownKey = await call(admin, 'PUT', `/api/units/${enc(unit)}/letter-style`, { numbr: {} });
    expect(unknownKey.status).toBe(422);
    expect((await call(admin, 'GET', `/api/units/${enc(unit)}/letter-style`)).json.unit).toEqual({});

    const saved = await call(admin, 'PUT', `/api/units/${enc(unit)}/letter-style`, { number: { kindWords: { reply: '提复' } }, closing: { reply: '专此答复。' } });
    expect(saved.status).toBe(200);
    expect(saved.json.saved).toBe(true);
    expect(saved.json.preview.text).toContain('专此答复。');
    const after = await call(admin, 'GET', `/api/units/${enc(unit)}/letter-style`);
    expect(after.json.unit).toEqual({ number: { kindWords: { reply: '提复' } }, closing: { reply: '专此答复。' } });
    expect(after.json.preview.text).toMatch(/提复〔\d{4}〕1号/);
    const row = await db.selectFrom('letter_styles').select(['updated_by']).where('key', '=', `unit:${unit}`).executeTakeFirstOrThrow();
    expect(row.updated_by).not.toBeNull();
  });

  it('the deployment’s wording: read, and saved again as it is', async () => {
    // The deployment's row is shared by every test in the run: leave it as found (absent or not).
    const hadRow = !!(await db.selectFrom('letter_styles').select('key').where('key', '=', 'deployment').executeTakeFirst());
    const current = await call(admin, 'GET', '/api/letter-style');
    expect(current.status).toBe(200);
    expect(current.json.preview.problems).toEqual([]);
    // Saving what is there changes no other test's letters.
    const again = await call(admin, 'PUT', '/api/letter-style', current.json.deployment);
    expect(again.status).toBe(200);
    const refused = await call(admin, 'PUT', '/api/letter-style', { title: { reply: '关于{nothing}的答复' } });
    expect(refused.status).toBe(422);
    expect((await call(admin, 'GET', '/api/letter-style')).json.deployment).toEqual(current.json.deployment);
    if (!hadRow) await db.deleteFrom('letter_styles').where('key', '=', 'deployment').execute();
  });

  it('is for the administrator only: 403 to every other role, 404 for a unit that does not exist, 401 without a login', async () => {
    for (const who of ['office', 'committee', 'leadLiaison', 'leadLeader', 'proposer']) {
      expect((await call(d.tokens[who]!, 'GET', `/api/units/${enc(unit)}/letter-style`)).status, who).toBe(403);
      expect((await call(d.tokens[who]!, 'PUT', `/api/units/${enc(unit)}/letter-style`, {})).status, who).toBe(403);
      expect((await call(d.tokens[who]!, 'POST', `/api/units/${enc(unit)}/letter-style/preview`, {})).status, who).toBe(403);
      expect((await call(d.tokens[who]!, 'GET', '/api/letter-style')).status, who).toBe(403);
      expect((await call(d.tokens[who]!, 'PUT', '/api/letter-style', {})).status, who).toBe(403);
    }
    // The unit's own liaison may not change its letters either.
    expect((await call(d.tokens.leadLiaison!, 'PUT', `/api/units/${enc(org.units.lead)}/letter-style`, {})).status).toBe(403);
    expect((await call(admin, 'GET', `/api/units/${enc(`${unit}-nope`)}/letter-style`)).status).toBe(404);
    expect((await call(admin, 'PUT', `/api/units/${enc(`${unit}-nope`)}/letter-style`, {})).status).toBe(404);
    expect((await call(null, 'GET', `/api/units/${enc(unit)}/letter-style`)).status).toBe(401);
  });
});

describe('a unit’s publishing profile', () => {
  it('is read and saved by the administrator, checked at the door', async () => {
    const target = org.units.other;
    const before = await call(admin, 'GET', `/api/units/${enc(target)}/publication-profile`);
    expect(before.status).toBe(200);
    expect(before.json.profile).toMatchObject({ orgCode: `T${org.prefix}3`, organ: '省教育厅', classification: '政协委员提案' });

    const slash = await call(admin, 'PUT', `/api/units/${enc(target)}/publication-profile`, { orgCode: '0024/82031', organ: '省教育厅' });
    expect(slash.status).toBe(422);
    expect(slash.json.field).toBe('orgCode');
    const noOrgan = await call(admin, 'PUT', `/api/units/${enc(target)}/publication-profile`, { orgCode: '002482099', organ: ' ' });
    expect(noOrgan.status).toBe(422);
    expect(noOrgan.json.field).toBe('organ');

    const orgCode = `E${org.prefix}`;
    const saved = await call(admin, 'PUT', `/api/units/${enc(target)}/publication-profile`, { orgCode, organ: '浙江省教育厅', classification: '建议提案' });
    expect(saved.status).toBe(200);
    expect(saved.json.profile).toMatchObject({ unitId: target, orgCode, organ: '浙江省教育厅', classification: '建议提案' });
    expect((await call(admin, 'GET', `/api/units/${enc(target)}/publication-profile`)).json.profile.orgCode).toBe(orgCode);

    // A unit without a profile yet: there, with none.
    const bare = await seedOrg(db);
    await db.deleteFrom('publication_profiles').where('unit_id', '=', bare.units.co2).execute();
    expect((await call(admin, 'GET', `/api/units/${enc(bare.units.co2)}/publication-profile`)).json.profile).toBeNull();
  });

  it('is for the administrator only', async () => {
    for (const who of ['office', 'committee', 'otherLiaison', 'proposer']) {
      expect((await call(d.tokens[who]!, 'GET', `/api/units/${enc(org.units.other)}/publication-profile`)).status, who).toBe(403);
      expect((await call(d.tokens[who]!, 'PUT', `/api/units/${enc(org.units.other)}/publication-profile`, { orgCode: 'X1', organ: 'x' })).status, who).toBe(403);
    }
    expect((await call(admin, 'GET', `/api/units/nope-${uniq()}/publication-profile`)).status).toBe(404);
    expect((await call(admin, 'PUT', `/api/units/nope-${uniq()}/publication-profile`, { orgCode: 'X1', organ: 'x' })).status).toBe(404);
  });
});

describe('GET /api/notifications/failed', () => {
  it('lists for the office the mail that will not go out without someone acting, newest first', async () => {
    const key = `test:${uniq()}#0:reply`;
    // No address for anyone: queued as failed at once, with the reason.
    await enqueueNotification(db, { idempotencyKey: key, workflowId: null, kind: 'reply', to: [], cc: [], subject: `答复函 ${key}`, bodyText: '正文' });
    const res = await call(d.tokens.office!, 'GET', '/api/notifications/failed?limit=500');
    expect(res.status).toBe(200);
    const item = res.json.items.find((i: { key: string }) => i.key === key);
    expect(item).toMatchObject({ kind: 'reply', to: [], subject: `答复函 ${key}`, lastError: '没有收件人地址', attempts: 0 });
    expect(item).not.toHaveProperty('bodyText');
    expect(res.json.items[0].key).toBe(key);
    expect((await call(d.tokens.office!, 'GET', '/api/notifications/failed?limit=0')).status).toBe(422);
  });

  it('is refused to every other role', async () => {
    for (const token of [admin, d.tokens.committee!, d.tokens.leadLiaison!, d.tokens.leadLeader!, d.tokens.proposer!]) {
      expect((await call(token, 'GET', '/api/notifications/failed')).status).toBe(403);
    }
    expect((await call(null, 'GET', '/api/notifications/failed')).status).toBe(401);
  });
});

describe('the OpenAPI document', () => {
  it('lists the publication, letter-style and failed-mail routes with their security', async () => {
    const doc = (await call(null, 'GET', '/api/openapi.json')).json;
    for (const [method, path] of [
      ['get', '/api/proposals/{id}/publication/preview'],
      ['get', '/api/units/{unitId}/publication-profile'],
      ['put', '/api/units/{unitId}/publication-profile'],
      ['get', '/api/units/{unitId}/letter-style'],
      ['put', '/api/units/{unitId}/letter-style'],
      ['post', '/api/units/{unitId}/letter-style/preview'],
      ['get', '/api/letter-style'],
      ['put', '/api/letter-style'],
      ['get', '/api/notifications/failed'],
    ] as const) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.security, path).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);
      expect(Object.keys(op.responses), path).toEqual(expect.arrayContaining(['200', '401', '403']));
    }
    expect(doc.paths['/api/units/{unitId}/letter-style'].put.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
  });
});
