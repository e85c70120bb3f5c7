import type { Context } from 'hono';
import type { z } from 'zod';
import type { InputIssue } from '../../../workflows/proposal/parse.js';
import { fieldLabel } from './labels.js';

// A page's form is generated from the same door schema the API parses (action-bodies.ts), so a
// field the table adds appears on the page by itself: the schema says which fields exist, which
// are required, which are choices (enums), dates, numbers, lists or long texts. The form's
// fields are turned back into the door shape here and parsed by the same code as the API's JSON.

export type FieldKind = 'enum' | 'date' | 'number' | 'list' | 'textarea' | 'text';

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  options: string[];
  maxLength: number | null;
}

type AnySchema = z.ZodType & { def: { type: string; innerType?: AnySchema; element?: AnySchema }; options?: unknown[]; maxLength?: number | null };

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  while (['optional', 'nullable', 'default', 'readonly'].includes(s.def.type) && s.def.innerType) s = s.def.innerType;
  return s;
}

/** A string schema that takes a real date and refuses other words is a date (isoDay). */
function isDate(s: AnySchema): boolean {
  return s.safeParse('2026-01-05').success && !s.safeParse('文字').success;
}

/** Long texts (the table's `texts`) and anything that may run past a line are textareas. */
const LONG_TEXT = 300;

export function fieldSpecs(action: string, schema: z.ZodObject, textFields: readonly string[] = []): FieldSpec[] {
  return Object.entries(schema.shape as Record<string, AnySchema>).map(([name, raw]) => {
    const inner = unwrap(raw);
    const required = !raw.safeParse(undefined).success;
    let kind: FieldKind = 'text';
    let options: string[] = [];
    if (inner.def.type === 'enum') {
      kind = 'enum';
      options = (inner.options ?? []).map(String);
    } else if (inner.def.type === 'array') kind = 'list';
    else if (inner.def.type === 'number') kind = 'number';
    else if (inner.def.type === 'string') {
      if (isDate(inner)) kind = 'date';
      else if (textFields.includes(name) || (inner.maxLength ?? 0) >= LONG_TEXT) kind = 'textarea';
    }
    return { name, label: fieldLabel(action, name), kind, required, options, maxLength: inner.maxLength ?? null };
  });
}

/** A submitted form's fields, whichever encoding the browser chose. */
export class FormFields {
  constructor(private readonly entries: [string, string][]) {}

  get(name: string): string | null {
    return this.entries.find(([k]) => k === name)?.[1] ?? null;
  }

  getAll(name: string): string[] {
    return this.entries.filter(([k]) => k === name).map(([, v]) => v);
  }

  has(name: string): boolean {
    return this.entries.some(([k]) => k === name);
  }

  /** Every field but the page's own (_csrf, _key …), for re-showing what the person typed. */
  values(): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of this.entries) {
      if (k.startsWith('_')) continue;
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  }
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** The request's form, or null when it is not one (a page takes forms only). */
export async function readForm(c: Context): Promise<FormFields | null> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) return null;
  if (type === 'application/x-www-form-urlencoded') return new FormFields([...new URLSearchParams(await c.req.text())]);
  // A multipart body that does not parse (no boundary, cut short) is no form: refused as such,
  // never a server error.
  const data = await c.req.formData().catch(() => null);
  if (!data) return null;
  const entries: [string, string][] = [];
  data.forEach((v, k) => {
    if (typeof v === 'string') entries.push([k, v]);
  });
  return new FormFields(entries);
}

/** Browsers send line ends as CRLF; the texts we store use LF. */
const lines = (v: string) => v.replace(/\r\n?/g, '\n');

/**
 * The form back in the door's shape: empty optional fields are left out (as a JSON client
 * would), an empty required choice is left out so the schema asks for it, numbers are numbers.
 */
export function bodyFromForm(specs: FieldSpec[], form: FormFields): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const spec of specs) {
    if (spec.kind === 'list') {
      body[spec.name] = form.getAll(spec.name).filter((v) => v.trim() !== '');
      continue;
    }
    const raw = form.get(spec.name);
    if (raw === null || raw === '') {
      if (spec.required && spec.kind !== 'enum' && spec.kind !== 'number') body[spec.name] = '';
      continue;
    }
    if (spec.kind === 'number') {
      const n = Number(raw);
      body[spec.name] = Number.isFinite(n) && raw.trim() !== '' ? n : raw;
    } else body[spec.name] = lines(raw);
  }
  return body;
}

/** Issues in the page's words: a choice not made says 请选择, whatever the schema's code-speak. */
export function pageIssues(specs: FieldSpec[], issues: InputIssue[], body: Record<string, unknown>): InputIssue[] {
  return issues.map((issue) => {
    const spec = specs.find((s) => s.name === issue.field);
    if (
      spec &&
      (spec.kind === 'enum' || spec.kind === 'list') &&
      (body[spec.name] === undefined || (Array.isArray(body[spec.name]) && (body[spec.name] as unknown[]).length === 0))
    ) {
      return { field: issue.field, message: `请选择${spec.label.replace(/（.*$/, '')}` };
    }
    return issue;
  });
}

/** An element id for a field of a form (several forms share a page): `file-proposalNo`. */
export function fieldId(form: string, field: string): string {
  return `${form}-${field.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+$/, '')}`;
}
