import type { z } from 'zod';
import { invalidField } from '../shared/failures.js';
import { ACTION_TABLE, type ActionInput, type ActionName } from './machine.js';

// One parser for an action's input, used at the HTTP door, by the CLI, and in the Update's
// validator: the same words for the same mistake, wherever it is caught.

export interface InputIssue {
  field: string;
  message: string;
}

export type ParsedInput<T> = { ok: true; value: T } | { ok: false; issues: InputIssue[] };

function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replace(/\.\[/g, '[');
}

export function issuesOf(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({
    field: fieldPath(issue.path),
    message: issue.code === 'unrecognized_keys' ? `不认识的字段：${issue.keys.join('、')}` : issue.message,
  }));
}

export function parseActionInput<K extends ActionName>(name: K, raw: unknown): ParsedInput<ActionInput<K>> {
  const result = ACTION_TABLE[name].input.safeParse(raw);
  // The row's schema is the one ActionInput<K> is inferred from; the compiler cannot follow a
  // generic key through the table, so the link is stated once here.
  return result.success ? { ok: true, value: result.data as ActionInput<K> } : { ok: false, issues: issuesOf(result.error) };
}

/** parseActionInput for workflow code: the first problem becomes a typed INVALID_INPUT failure. */
export function requireActionInput<K extends ActionName>(name: K, raw: unknown): ActionInput<K> {
  const parsed = parseActionInput(name, raw);
  if (parsed.ok) return parsed.value;
  const first = parsed.issues[0]!;
  throw invalidField(first.field, first.field ? `${first.field}：${first.message}` : first.message);
}
