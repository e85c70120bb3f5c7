import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { FAILURES } from '../../workflows/shared/failures.js';
import { roleLabel } from '../../workflows/proposal/state.js';
import type { Role } from '../../workflows/shared/types.js';
import type { AppEnv } from './env.js';
import { readBody, type BodyKind } from './middleware/body.js';
import { doorIssues, invalidInput, problem } from './problem.js';

// One declaration per route: its path, parameters, query and body schemas are what the route
// validates (422 naming the field) and what the OpenAPI document says, so the two cannot drift.

type Method = 'get' | 'post' | 'put' | 'delete';
type Schema = z.ZodType | undefined;
type Out<T extends Schema> = T extends z.ZodType ? z.output<T> : undefined;

export interface RouteSpec<P extends Schema, Q extends Schema, B extends Schema> {
  method: Method;
  /** OpenAPI style: /api/proposals/{id} */
  path: string;
  summary: string;
  tag: string;
  /** Public routes need no login; everything else answers 401 without one. */
  public?: boolean;
  /**
   * The roles that may call the route at all; any other signed-in role is refused (403) before
   * anything it sent is read, so a caller who may not use a route learns nothing from its checks.
   * Absent: every signed-in role, narrowed by what the caller may see (visibility.ts).
   */
  roles?: readonly Role[];
  params?: P;
  query?: Q;
  body?: B;
  bodyKind?: BodyKind;
  /**
   * A body that is not JSON or CSV (an uploaded .xlsx): documented here by media type, read and
   * checked by the handler itself, since the route cannot parse it as a schema value.
   */
  bodyMedia?: Record<string, z.ZodType>;
  /** The success status and what it returns, in words. */
  ok?: { status: 200 | 201; description: string };
  /** Problem statuses this route answers with beyond the ones its shape implies. */
  problems?: number[];
  /** Left out of the document because it is documented another way (one path per action). */
  undocumented?: boolean;
}

export interface RouteInput<P extends Schema, Q extends Schema, B extends Schema> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
}

export type Handler<P extends Schema, Q extends Schema, B extends Schema> = (c: Context<AppEnv>, input: RouteInput<P, Q, B>) => Response | Promise<Response>;

const problemSchema = z
  .object({
    error: z.enum(Object.keys(FAILURES) as [keyof typeof FAILURES, ...(keyof typeof FAILURES)[]]),
    message: z.string().describe('中文说明：哪里不对、该怎么办'),
    field: z.string().optional().describe('出错的字段，如 proposers[0].email'),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

const PROBLEM_WORDS: Record<number, string> = {
  401: '未登录或登录已过期',
  403: '无权办理',
  404: '没有找到（或无权查看）',
  409: '当前阶段不能办理或与已有数据冲突',
  413: '请求内容太大',
  415: '请求内容类型不对',
  422: '字段缺失或无效',
  503: '服务暂时没有响应，请稍后用相同的幂等键重试',
};

/** The routes of one app, as OpenAPI 3.1 sees them. */
export class ApiDoc {
  private readonly registry = new OpenAPIHono();
  private built: unknown = null;

  constructor() {
    this.registry.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
    this.registry.openAPIRegistry.registerComponent('securitySchemes', 'cookieAuth', { type: 'apiKey', in: 'cookie', name: 'banli_session' });
  }

  add(spec: RouteSpec<Schema, Schema, Schema>, bodySchema: z.ZodType | undefined = spec.body): void {
    const problems = new Set(spec.problems ?? []);
    if (!spec.public) problems.add(401);
    if (spec.roles) problems.add(403);
    if (spec.params || spec.query || bodySchema || spec.bodyMedia) problems.add(422);
    if (bodySchema || spec.bodyMedia) problems.add(413).add(415);
    const ok = spec.ok ?? { status: 200, description: '成功' };
    const responses: RouteConfig['responses'] = { [ok.status]: { description: ok.description } };
    for (const status of [...problems].sort()) {
      responses[status] = { description: PROBLEM_WORDS[status] ?? '见 message', content: { 'application/json': { schema: problemSchema } } };
    }
    const mediaType = spec.bodyKind === 'csv' ? 'text/csv' : 'application/json';
    const request: NonNullable<RouteConfig['request']> = {
      ...(spec.params instanceof z.ZodObject ? { params: spec.params } : {}),
      ...(spec.query instanceof z.ZodObject ? { query: spec.query } : {}),
      ...(bodySchema ? { body: { required: true, content: { [mediaType]: { schema: bodySchema } } } } : {}),
      ...(spec.bodyMedia
        ? { body: { required: true, content: Object.fromEntries(Object.entries(spec.bodyMedia).map(([media, schema]) => [media, { schema }])) } }
        : {}),
    };
    const route = createRoute({
      method: spec.method,
      path: spec.path,
      summary: spec.summary,
      tags: [spec.tag],
      request,
      responses,
      ...(spec.public ? {} : { security: [{ bearerAuth: [] }, { cookieAuth: [] }] }),
      // Who may call it, for readers of the document and for the authorisation matrix test.
      ...(spec.roles ? { 'x-banli-roles': [...spec.roles] } : {}),
    });
    this.registry.openAPIRegistry.registerPath(route);
    this.built = null;
  }

  document(): unknown {
    this.built ??= this.registry.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Banli 提案办理 API',
        version: '1',
        description: '政协提案办理：登记、立案、交办、答复、征询意见。每项办理操作是一次 Workflow Update；拒绝时返回 { error, message, field? }。',
      },
    });
    return this.built;
  }
}

function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** Answers 401 (a Response) or sets the caller as `user` and says so (null). */
export type Authenticate = (c: Context<AppEnv>) => Promise<Response | null>;

/**
 * One resource's router: each route is declared once, documented in the app's ApiDoc, checks
 * the login unless it is public, then validates its parameters, query and body, in that order.
 */
export class Routes {
  readonly hono = new Hono<AppEnv>();

  constructor(
    readonly doc: ApiDoc,
    private readonly authenticate: Authenticate,
  ) {}

  mount<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined>(spec: RouteSpec<P, Q, B>, handler: Handler<P, Q, B>): void {
    if (!spec.undocumented) this.doc.add(spec);
    this.hono.on(spec.method.toUpperCase(), honoPath(spec.path), async (c) => {
      if (!spec.public) {
        const refused = await this.authenticate(c);
        if (refused) return refused;
        const role = c.get('user').role;
        if (spec.roles && !spec.roles.includes(role)) {
          return problem(c, 'FORBIDDEN_ROLE', `「${spec.summary}」只能由${spec.roles.map(roleLabel).join('、')}使用，当前身份是${roleLabel(role)}`);
        }
      }
      const params = spec.params ? spec.params.safeParse(c.req.param()) : null;
      if (params && !params.success) return invalidInput(c, doorIssues(params.error));
      const query = spec.query ? spec.query.safeParse(c.req.query()) : null;
      if (query && !query.success) return invalidInput(c, doorIssues(query.error));
      let body: unknown = undefined;
      if (spec.body) {
        const read = await readBody(c, spec.bodyKind ?? 'json');
        if (read instanceof Response) return read;
        const parsed = spec.body.safeParse(read.value);
        if (!parsed.success) return invalidInput(c, doorIssues(parsed.error));
        body = parsed.data;
      }
      return handler(c, { params: params?.data as Out<P>, query: query?.data as Out<Q>, body: body as Out<B> });
    });
  }
}
