import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../../db/connection.js';
import { seedOrg, testDb, type Org, type OrgOptions } from './context.js';
import { Driver } from './drive.js';
import { startApi, type Api } from './http.js';

export interface Suite {
  db: Db;
  api: Api;
  org: Org;
  d: Driver;
  /** Another organisation (session, units, people) with its own policy, for clock tests. */
  orgWith(options: OrgOptions): Promise<{ org: Org; d: Driver }>;
}

/** One HTTP server, database handle and seeded organisation per test file, closed at the end. */
export function useSuite(options: OrgOptions = {}): Suite {
  const suite = {} as Suite;
  beforeAll(async () => {
    suite.db = testDb();
    suite.api = await startApi(suite.db);
    suite.org = await seedOrg(suite.db, options);
    suite.d = await new Driver(suite.api, suite.db, suite.org).login();
    suite.orgWith = async (more) => {
      const org = await seedOrg(suite.db, more);
      return { org, d: await new Driver(suite.api, suite.db, org).login() };
    };
  });
  afterAll(async () => {
    await suite.api?.close();
    await suite.db?.destroy();
  });
  return suite;
}
