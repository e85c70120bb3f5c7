import { z } from 'zod';
import { sha256 } from '../../db/repositories/blobs.js';
import { text } from '../../workflows/proposal/inputs.js';
import { ACTION_NAMES, actionRule, type ActionInput, type ActionName } from '../../workflows/proposal/machine.js';
import { parseActionInput, type InputIssue } from '../../workflows/proposal/parse.js';
import { doorIssues } from './problem.js';

// An action's body as a person sends it: the table's input schema with each long-text hash
// field (bodyHash, summaryHash) replaced by the text itself. The door parses this shape, hashes
// the texts here, and parses the result again with the table's own schema, so what reaches the
// workflow is exactly ActionInput<K>. Texts are stored only after both parses succeed.

export const MAX_TEXT = 100_000;

const TEXT_LABELS: Record<string, string> = {
  'saveDraft.body': '答复正文',
  'submitCoOpinion.body': '会办意见正文',
  'reportFollowUp.body': '落实情况报告',
  'recordConsultation.summary': '协商情况',
  'recordOfficeConsultation.summary': '面商情况',
};

function textFields(name: ActionName): [textField: string, hashField: string][] {
  const row = actionRule(name);
  return Object.entries(row.texts ?? {});
}

/** Every table input is a strict object, and so is its door shape: unknown fields are refused. */
function doorSchema(name: ActionName): z.ZodObject {
  const row = actionRule(name);
  const hashes = new Map(textFields(name).map(([textField, hashField]) => [hashField, textField]));
  const table: Record<string, z.ZodType> = row.input.shape;
  const shape: Record<string, z.ZodType> = {};
  for (const [field, schema] of Object.entries(table)) {
    const textField = hashes.get(field);
    if (textField === undefined) {
      shape[field] = schema;
      continue;
    }
    const label = TEXT_LABELS[`${name}.${textField}`] ?? '正文';
    const optional = schema.safeParse(undefined).success;
    shape[textField] = optional ? text(label, MAX_TEXT).nullish() : text(label, MAX_TEXT).refine((s) => s.trim().length > 0, `请填写${label}`);
  }
  return z.strictObject(shape);
}

/** The door shape of every action, built once from the table (also what OpenAPI shows). */
export const ACTION_BODIES: Readonly<Record<ActionName, z.ZodObject>> = Object.freeze(
  Object.fromEntries(ACTION_NAMES.map((name) => [name, doorSchema(name)])) as Record<ActionName, z.ZodObject>,
);

export interface ParsedAction<K extends ActionName> {
  input: ActionInput<K>;
  /** The long texts to store (trimmed), keyed by the hash the input now carries. */
  texts: { hash: string; content: string }[];
}

/** Parses a body in the door shape into the table's input; nothing is stored here. */
export function parseActionBody<K extends ActionName>(name: K, raw: unknown): { ok: true; value: ParsedAction<K> } | { ok: false; issues: InputIssue[] } {
  const door = ACTION_BODIES[name].safeParse(raw);
  if (!door.success) return { ok: false, issues: doorIssues(door.error) };
  const fields: Record<string, unknown> = { ...door.data };
  const texts: ParsedAction<K>['texts'] = [];
  for (const [textField, hashField] of textFields(name)) {
    const value = fields[textField];
    delete fields[textField];
    const content = typeof value === 'string' ? value.trim() : '';
    if (!content) continue;
    const hash = sha256(content);
    fields[hashField] = hash;
    texts.push({ hash, content });
  }
  const parsed = parseActionInput(name, fields);
  return parsed.ok ? { ok: true, value: { input: parsed.value, texts } } : parsed;
}
