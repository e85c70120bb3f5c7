import { Connection, type ConnectionOptions } from '@temporalio/client';
import { IndexedValueType, SEARCH_ATTRIBUTE_TYPES as TYPES } from './lib/search-attribute-types.js';
import { readFileSync } from 'node:fs';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../workflows/shared/search-attributes.js';

// Registers Banli's custom search attributes on a real Temporal cluster (the dev server started
// by `npm start` and the tests registers them itself). Idempotent: only missing ones are added.
// Reads the same TEMPORAL_* variables as the worker:
//   TEMPORAL_ADDRESS=temporal.example:7233 TEMPORAL_NAMESPACE=banli npx tsx scripts/register-search-attributes.ts
// Temporal Cloud does not allow this call; add them with tcld or the Cloud UI (printed below on refusal).

function typeName(value: IndexedValueType | undefined): string {
  const name = value === undefined ? undefined : IndexedValueType[value];
  return name ? name.replace('INDEXED_VALUE_TYPE_', '') : String(value);
}

function cloudHint(namespace: string): string {
  const flags = SEARCH_ATTRIBUTE_DEFINITIONS.map((sa) => `--search-attribute '${sa.name}=${sa.type}'`).join(' ');
  return `On Temporal Cloud add them in the Cloud UI (Namespace → Search Attributes) or with:\n  tcld namespace search-attributes add --namespace ${namespace} ${flags}`;
}

class UsageError extends Error {}

/** The connection the worker would make, from the same TEMPORAL_* variables (see worker/config.ts). */
function temporalFromEnv(env: NodeJS.ProcessEnv): { address: string; namespace: string; options: ConnectionOptions } {
  const address = env.TEMPORAL_ADDRESS;
  if (!address) throw new UsageError('TEMPORAL_ADDRESS is required (host:port of the Temporal frontend)');
  const namespace = env.TEMPORAL_NAMESPACE || 'default';
  if (env.TEMPORAL_TLS && env.TEMPORAL_TLS !== 'true' && env.TEMPORAL_TLS !== 'false') throw new UsageError('TEMPORAL_TLS must be true or false');
  if (env.TEMPORAL_TLS_CERT_PATH && !env.TEMPORAL_TLS_KEY_PATH) throw new UsageError('TEMPORAL_TLS_KEY_PATH is required with TEMPORAL_TLS_CERT_PATH');
  const apiKey = env.TEMPORAL_API_KEY || undefined;
  const useTls = env.TEMPORAL_TLS === 'true' || !!env.TEMPORAL_TLS_CERT_PATH || !!apiKey;
  const tls: ConnectionOptions['tls'] = useTls
    ? {
        ...(env.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME } : {}),
        ...(env.TEMPORAL_TLS_CERT_PATH && env.TEMPORAL_TLS_KEY_PATH
          ? { clientCertPair: { crt: readFileSync(env.TEMPORAL_TLS_CERT_PATH), key: readFileSync(env.TEMPORAL_TLS_KEY_PATH) } }
          : {}),
        ...(env.TEMPORAL_TLS_CA_PATH ? { serverRootCACertificate: readFileSync(env.TEMPORAL_TLS_CA_PATH) } : {}),
      }
    : false;
  return {
    address,
    namespace,
    options: { address, tls, ...(apiKey ? { apiKey } : {}), metadata: { 'temporal-namespace': namespace }, connectTimeout: 10_000 },
  };
}

async function main(): Promise<void> {
  const temporal = temporalFromEnv(process.env);
  const namespace = temporal.namespace;
  const connection = await Connection.connect(temporal.options);
  try {
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    const present = { ...(listed.customAttributes ?? {}) } as Record<string, IndexedValueType>;
    const missing: Record<string, IndexedValueType> = {};
    const conflicts: string[] = [];
    for (const sa of SEARCH_ATTRIBUTE_DEFINITIONS) {
      const want = TYPES[sa.type];
      const have = present[sa.name];
      if (have === undefined) missing[sa.name] = want;
      else if (have !== want) conflicts.push(`${sa.name} is ${typeName(have)} on the server, Banli needs ${typeName(want)}`);
      else process.stdout.write(`  ok       ${sa.name} (${sa.type})\n`);
    }
    if (conflicts.length > 0) {
      throw new Error(`search attributes with the wrong type (remove and re-add them by hand):\n  ${conflicts.join('\n  ')}`);
    }
    const names = Object.keys(missing);
    if (names.length === 0) {
      process.stdout.write(`all ${SEARCH_ATTRIBUTE_DEFINITIONS.length} search attributes present in namespace ${namespace} on ${temporal.address}\n`);
      return;
    }
    try {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
    } catch (err) {
      const code = (err as { code?: number }).code;
      // gRPC 7 PERMISSION_DENIED / 12 UNIMPLEMENTED: Temporal Cloud, or a role without operator rights.
      if (code === 7 || code === 12) throw new Error(`${(err as Error).message}\n${cloudHint(namespace)}`, { cause: err });
      throw err;
    }
    // Elasticsearch visibility adds them asynchronously: wait until they are listed.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const now = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
      if (names.every((n) => n in now)) break;
      if (Date.now() > deadline) throw new Error(`added ${names.join(', ')} but they are not listed after 60 s`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    for (const sa of SEARCH_ATTRIBUTE_DEFINITIONS) if (sa.name in missing) process.stdout.write(`  added    ${sa.name} (${sa.type})\n`);
    process.stdout.write(`namespace ${namespace} on ${temporal.address} now has all ${SEARCH_ATTRIBUTE_DEFINITIONS.length} Banli search attributes\n`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`register-search-attributes: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
