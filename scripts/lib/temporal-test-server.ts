import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '1.31.0';
const POM = fileURLToPath(new URL('../time-skipping/pom.xml', import.meta.url));

/**
 * Returns an executable that starts Temporal's Java test server (with time skipping), for
 * @temporalio/testing's `existing-path` option. The jars come from Maven Central once, into the
 * local Maven repository; the wrapper `exec`s java so stopping it stops the server.
 */
export function ensureTemporalTestServer(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): string {
  // The classpath follows the pom: a changed pom resolves again into its own folder.
  const pomHash = createHash('sha256').update(readFileSync(POM)).digest('hex').slice(0, 8);
  const cache = process.env.BANLI_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'banli');
  const dir = join(cache, 'temporal-test-server', `${VERSION}-${pomHash}`);
  const wrapper = join(dir, 'test-server');
  if (existsSync(wrapper)) return wrapper;
  mkdirSync(dir, { recursive: true });
  const classpathFile = join(dir, 'classpath.txt');
  log(`[test-server] resolving io.temporal:temporal-test-server:${VERSION} from Maven Central (first time only)…`);
  execFileSync('mvn', ['-q', '-B', '-f', POM, 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`], { stdio: ['ignore', 'inherit', 'inherit'] });
  writeFileSync(wrapper, `#!/bin/sh\nexec java -cp "$(cat '${classpathFile}')" io.temporal.testserver.TestServer "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}
