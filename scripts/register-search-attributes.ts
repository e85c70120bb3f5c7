import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../workflows/search-attributes.js';
import { ConfigError, loadConfig } from '../worker/config.js';

// Registers Banli's custom search attributes on a real Temporal cluster (the dev server started
// by `npm start` and the tests registers them itself). Idempotent: only missing ones are added.
// Reads the same TEMPORAL_* variables as the worker:
//   TEMPORAL_ADDRESS=temporal.example:7233 TEMPORAL_NAMESPACE=banli npx tsx scripts/register-search-attributes.ts
// Temporal Cloud does not allow this call; add them with tcld or the Cloud UI (printed below on refusal).

const IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;
type IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;

const TYPES: Record<(typeof SEARCH_ATTRIBUTE_DEFINITIONS)[number]['type'], IndexedValueType> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

function typeName(value: IndexedValueType | undefined): string {
  const name = value === undefined ? undefined : IndexedValueType[value];
  return name ? name.replace('INDEXED_VALUE_TYPE_', '') : String(value);
}

function cloudHint(namespace: string): string {
  const flags = SEARCH_ATTRIBUTE_DEFINITIONS.map((sa) => `--search-attribute '${sa.name}=${sa.type}'`).join(' ');
  return `On Temporal Cloud add them in the Cloud UI (Namespace → Search Attributes) or with:\n  tcld namespace search-attributes add --namespace ${namespace} ${flags}`;
}

async function main(): Promise<void> {
  // Only the Temporal settings matter here; placeholders satisfy the worker's other required variables.
  const temporalEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('TEMPORAL_')));
  const { temporal } = loadConfig({ ...temporalEnv, DATABASE_URL: 'postgres://unused', SMTP_URL: 'smtp://unused' });
  const namespace = temporal.namespace;

  const connection = await Connection.connect({
    address: temporal.address,
    tls: temporal.tls,
    ...(temporal.apiKey ? { apiKey: temporal.apiKey } : {}),
    metadata: { 'temporal-namespace': namespace },
    connectTimeout: 10_000,
  });
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
      if (code === 7 || code === 12) throw new Error(`${(err as Error).message}\n${cloudHint(namespace)}`);
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
    for (const n of names) process.stdout.write(`  added    ${n} (${typeName(missing[n])})\n`);
    process.stdout.write(`namespace ${namespace} on ${temporal.address} now has all ${SEARCH_ATTRIBUTE_DEFINITIONS.length} Banli search attributes\n`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`register-search-attributes: ${err instanceof ConfigError ? err.message : (err as Error).message ?? String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
