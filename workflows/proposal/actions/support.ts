import { invalidField } from '../../shared/failures.js';
import type { StepRecord } from '../../shared/step-record.js';
import type { Actor, DueDate, SignOffChain } from '../../shared/types.js';
import type { OfficeDecisionKind } from '../office-decisions.js';
import type { DueRequest, ProposalState } from '../state.js';

// What every action family shares. An action is a pair of pure functions: `check` throws a
// typed failure (it is the Update's validator and runs again under the workflow lock), and
// `apply` returns the next state and what the step must record, without touching anything.

export interface ActionContext {
  now: string;
  dues: DueDate[];
  /** A proposal number the system took for this step (立案 without a typed number). */
  allocatedProposalNo?: string;
  /** The unit's sign-off chain, read for the step (`needsSignOffChain`); undefined in runs from before chains. */
  signOffChain?: SignOffChain | null;
  /** The answers of the patches the action declared (`patches`), asked once per step by the handler. */
  patches?: Readonly<Record<string, boolean>>;
}

export interface ActionOutcome {
  state: ProposalState;
  record: StepRecord;
  /** Merge target to tell about this proposal's proposers (并案). */
  mergeInto?: string;
}

export interface ActionSpec<I> {
  check(state: ProposalState, actor: Actor, input: I, now: string): void;
  /**
   * Rules added after histories were recorded. Asked of a new request only (in the Update's
   * validator), never again under the lock: the handler re-runs `check` on replay too, and a
   * new refusal there would turn an Update the history accepted into one that fails.
   */
  admit?(state: ProposalState, actor: Actor, input: I, now: string): void;
  /** Another proposal the step names (并案), checked against the read model before it is recorded. */
  mergeTarget?(state: ProposalState, input: I): string | undefined;
  /** True when the step needs the session's next proposal number from the system. */
  needsProposalNumber?(state: ProposalState, input: I): boolean;
  dues?(state: ProposalState, actor: Actor, input: I, now: string): DueRequest[];
  /** The step starts the acting unit's sign-off chain, which is read from the directory first. */
  needsSignOffChain?: boolean;
  /** Patch ids whose answer `apply` needs: rules that change what a running workflow does next. */
  patches?: readonly string[];
  /** A request the office must decide (申请调整, 申请延期): the step also starts the office's decision deadline. */
  officeDecision?: OfficeDecisionKind;
  apply(state: ProposalState, actor: Actor, input: I, ctx: ActionContext): ActionOutcome;
}

export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A required text, trimmed; the schema has checked its type and length already at the door. */
export function text(value: unknown, field: string, label: string, max = 2000): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalidField(field, `请填写${label}`);
  if (value.length > max) throw invalidField(field, `${label}不能超过${max}字`);
  return value.trim();
}

export function isoDate(value: unknown, field: string, label: string): string {
  const valid =
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
    // Date.parse rolls 2026-02-30 over to March: a real date survives the round trip unchanged.
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
  if (!valid) throw invalidField(field, `${label}必须是 YYYY-MM-DD 格式的有效日期`);
  return value;
}

/** Business dates are Beijing dates, whatever the instant's UTC day. */
export function beijingToday(nowIso: string): string {
  return new Date(Date.parse(nowIso) + 8 * 3600_000).toISOString().slice(0, 10);
}

export function hash(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) throw invalidField(field, '正文引用无效，请重新提交正文');
  return value;
}

/** The office's decision deadline this step started, if any, as a date for the request's mail. */
export function decisionDueDate(dues: DueDate[]): string | null {
  return dues.find((d) => d.key.startsWith('decision:'))?.dueDate ?? null;
}

export const UNIT_WORDS: Record<string, string> = { working_days: '个工作日', calendar_days: '天', calendar_months: '个月', seconds: '秒' };
