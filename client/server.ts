import { serve, type ServerType } from '@hono/node-server';
import { createApp, type AppDeps } from './http/app.js';

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

export function startHttpServer(options: AppDeps & { host: string; port: number }): Promise<RunningHttpServer> {
  const { host, port, ...deps } = options;
  const app = createApp(deps);
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
      resolve({
        url: `http://${host}:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
