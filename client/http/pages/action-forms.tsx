import { randomUUID } from 'node:crypto';
import type { UserRow } from '../../../db/schema.js';
import { ACTION_BODIES } from '../action-bodies.js';
import { actionRule, type ActionName } from '../../../workflows/proposal/machine.js';
import type { InputIssue } from '../../../workflows/proposal/parse.js';
import type { ProblemBody } from '../problem.js';
import { bodyFromForm, fieldId, fieldSpecs, type FieldSpec, type FormFields } from './form-fields.js';
import { Button, Choices, Select, TextArea, TextInput, type Choice } from './fields.js';
import { CsrfField } from './layout.js';
import { valueLabel } from './labels.js';

// A form per action, generated from the action's door schema (the API's own body shape): a
// choice is radios, a date a date input, a long text a textarea, a unit a select of units. The
// assignment form is the one shape the schema cannot say well (the first unit leads), so it
// asks for the lead and the co-units and builds the same `units` list.

export interface FormState {
  action: ActionName;
  values: Record<string, string | string[]>;
  issues: InputIssue[];
  problem: ProblemBody | null;
}

export interface FormContext {
  workflowId: string;
  csrf: string;
  user: UserRow;
  /** Every unit, for fields that name a new unit. */
  units: { id: string; name: string }[];
  /** The proposal's own units, for fields that name one of them. */
  proposalUnits: string[];
  replyClasses: string[];
  notFiledReasons: { code: string; label: string }[];
  /** Shown in fields before the person types (the latest draft in the draft editor). */
  prefill?: Partial<Record<ActionName, Record<string, string>>>;
}

const HINTS: Record<string, string> = {
  'file.proposalNo': '不填写则按本届次的编号规则自动编号',
  'file.mergedInto': '填写被并入提案的系统编号（proposal:届次:登记号）',
  'saveDraft.body': '逐条回应提案的每一项建议；会办单位的意见请一并吸收',
  'saveDraft.changeNote': '例如：按领导意见逐条回应',
  'recordConsultation.summary': '协商的主要内容和提案者的意见',
  'signOff.reason': '请写明需要修改的地方，承办单位联络员会收到通知',
  'assign.lead': '单独办理时只选这一个单位；主办＋会办时它负责答复',
};

/** Fields a role never fills: who rates is the signed-in proposer unless the office enters a paper form. */
function visibleSpecs(action: ActionName, specs: FieldSpec[], user: Pick<UserRow, 'role'>): FieldSpec[] {
  return specs.filter((s) => !(action === 'rate' && s.name === 'proposerId' && user.role !== 'office'));
}

export function actionSpecs(action: ActionName, user: Pick<UserRow, 'role'>): FieldSpec[] {
  return visibleSpecs(action, fieldSpecs(action, ACTION_BODIES[action], Object.keys(actionRule(action).texts ?? {})), user);
}

/** The form's fields in the action's door shape (what the API would take as JSON). */
export function actionBodyFromForm(action: ActionName, form: FormFields, user: UserRow): Record<string, unknown> {
  const specs = actionSpecs(action, user);
  if (action === 'assign') {
    const lead = form.get('lead') ?? '';
    const co = form.getAll('co').filter((u) => u && u !== lead);
    const mode = form.get('mode');
    return { ...(mode ? { mode } : {}), units: [...(lead ? [lead] : []), ...co] };
  }
  return bodyFromForm(specs, form);
}

const isUnitField = (name: string) => /^(unitId|\w+UnitId)$/.test(name);
const NEW_UNIT_FIELDS = new Set(['replacementUnitId', 'addUnitId']);

function str(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function Field(p: { action: ActionName; spec: FieldSpec; ctx: FormContext; value: string | string[] | undefined; error: string | undefined }) {
  const { action, spec, ctx } = p;
  const id = fieldId(action, spec.name);
  // A label that already says when the field is needed (（退回时必填）) is not also marked 选填.
  const common = {
    id,
    name: spec.name,
    label: spec.label,
    required: spec.required,
    noOptionalMark: spec.label.includes('（'),
    error: p.error,
    hint: HINTS[`${action}.${spec.name}`],
  };
  const unitName = (uid: string) => ctx.units.find((u) => u.id === uid)?.name ?? uid;
  if (spec.name === 'replyClass') {
    const choices = ctx.replyClasses.map((c) => ({ value: c, label: valueLabel(action, 'replyClass', c) }));
    return <Choices {...common} choices={choices} selected={[str(p.value) ?? '']} />;
  }
  if (spec.name === 'reasonCode' && ctx.notFiledReasons.length > 0) {
    return <Select {...common} choices={ctx.notFiledReasons.map((r) => ({ value: r.code, label: r.label }))} selected={str(p.value)} />;
  }
  if (isUnitField(spec.name)) {
    const ids = NEW_UNIT_FIELDS.has(spec.name) ? ctx.units.map((u) => u.id) : ctx.proposalUnits;
    return <Select {...common} choices={ids.map((u) => ({ value: u, label: unitName(u) }))} selected={str(p.value)} />;
  }
  switch (spec.kind) {
    case 'enum': {
      const choices: Choice[] = spec.options.map((o) => ({ value: o, label: valueLabel(action, spec.name, o) }));
      return <Choices {...common} choices={choices} selected={[str(p.value) ?? '']} inline={choices.length <= 3} />;
    }
    case 'date':
      return <TextInput {...common} type="date" width="short" value={str(p.value)} />;
    case 'number':
      return <TextInput {...common} inputmode="numeric" width="short" value={str(p.value)} />;
    case 'textarea':
      return <TextArea {...common} value={str(p.value)} rows={spec.maxLength && spec.maxLength > 5000 ? 12 : 4} maxLength={spec.maxLength} />;
    default:
      return <TextInput {...common} value={str(p.value)} maxLength={spec.maxLength} />;
  }
}

/** Which field of the assignment form an issue about `units` belongs to. */
function assignField(field: string): string {
  if (field === 'units' || field === 'units[0]') return 'lead';
  if (field.startsWith('units[')) return 'co';
  return field;
}

function AssignFields(p: { ctx: FormContext; values: Record<string, string | string[]>; errors: Record<string, string> }) {
  const choices = p.ctx.units.map((u) => ({ value: u.id, label: u.name }));
  const co = p.values.co === undefined ? [] : Array.isArray(p.values.co) ? p.values.co : [p.values.co];
  const modes: Choice[] = [
    { value: 'sole', label: '单独办理', hint: '一个单位办理并答复' },
    { value: 'lead', label: '主办＋会办', hint: '主办单位答复；会办单位向主办单位提交会办意见' },
    { value: 'split', label: '分别办理（分办）', hint: '每个单位各自答复其负责的部分' },
  ];
  return (
    <>
      <Choices id="assign-mode" name="mode" label="办理方式" required choices={modes} selected={[str(p.values.mode) ?? '']} error={p.errors.mode} />
      <Select
        id="assign-lead"
        name="lead"
        label="主办单位"
        required
        choices={choices}
        selected={str(p.values.lead)}
        error={p.errors.lead}
        hint={HINTS['assign.lead']}
      />
      <Choices id="assign-co" name="co" label="会办或分办单位" choices={choices} selected={co} multiple error={p.errors.co} hint="单独办理时不选" />
    </>
  );
}

export function issueFieldId(action: ActionName, field: string): string {
  return action === 'assign' ? fieldId('assign', assignField(field)) : fieldId(action, field);
}

export function ActionForm(p: { action: ActionName; ctx: FormContext; state: FormState | null }) {
  const { action, ctx } = p;
  const rule = actionRule(action);
  const specs = actionSpecs(action, ctx.user);
  const mine = p.state?.action === action ? p.state : null;
  const values: Record<string, string | string[]> = mine ? mine.values : (ctx.prefill?.[action] ?? {});
  const errors: Record<string, string> = {};
  for (const issue of mine?.issues ?? []) {
    const key = action === 'assign' ? assignField(issue.field) : issue.field;
    errors[key] ??= issue.message;
  }
  return (
    <form method="post" action={`/proposals/${encodeURIComponent(ctx.workflowId)}/act/${action}`} class="action-form" novalidate>
      <CsrfField token={ctx.csrf} />
      {/* One key per rendered form: a double click or a resent form is the same Update, done once. */}
      <input type="hidden" name="_key" value={`page-${randomUUID()}`} />
      {action === 'assign' ? (
        <AssignFields ctx={ctx} values={values} errors={errors} />
      ) : (
        specs.map((spec) => <Field action={action} spec={spec} ctx={ctx} value={values[spec.name]} error={errors[spec.name]} />)
      )}
      <Button kind={action === 'withdraw' ? 'warning' : 'primary'}>{rule.label}</Button>
    </form>
  );
}
