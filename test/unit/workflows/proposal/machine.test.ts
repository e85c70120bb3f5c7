import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../../workflows/proposal/actions/index.js';
import { actionUpdates } from '../../../../workflows/proposal/definitions.js';
import { ACTION_NAMES, ACTION_TABLE, actionRule, FINAL_STAGES, STAGE_LABELS, SYSTEM_STEPS } from '../../../../workflows/proposal/machine.js';
import { parseActionInput } from '../../../../workflows/proposal/parse.js';
import type { Stage } from '../../../../workflows/shared/types.js';

// A walk over the stage machine's table: it is the process a newcomer reads, so it must be whole.

const ALL_STAGES = Object.keys(STAGE_LABELS) as Stage[];
const edges: { from: readonly Stage[]; to: readonly Stage[] }[] = [...ACTION_NAMES.map((n) => actionRule(n)), ...Object.values(SYSTEM_STEPS)];

describe('the stage machine table', () => {
  it('reaches every stage from registration', () => {
    const reached = new Set<Stage>(SYSTEM_STEPS.register.to);
    for (let grew = true; grew;) {
      grew = false;
      for (const edge of edges) {
        if (!edge.from.some((s) => reached.has(s))) continue;
        for (const to of edge.to) if (!reached.has(to)) grew = reached.add(to) !== undefined;
      }
    }
    expect([...reached].sort()).toEqual([...ALL_STAGES].sort());
  });

  it('leaves no final stage: merged, converted, not filed and withdrawn take no action and no step', () => {
    for (const final of FINAL_STAGES) {
      for (const edge of edges) expect(edge.from).not.toContain(final);
    }
  });

  it('has an Update, a check and a transition for every row, named alike', () => {
    for (const name of ACTION_NAMES) {
      expect(actionUpdates[name].name).toBe(name);
      expect(typeof ACTIONS[name].check).toBe('function');
      expect(typeof ACTIONS[name].apply).toBe('function');
    }
    expect(Object.keys(actionUpdates).sort()).toEqual([...ACTION_NAMES].sort());
  });

  it.each(ACTION_NAMES)('%s: its schema refuses unknown fields, with their names', (name) => {
    const parsed = parseActionInput(name, { notAField: 1 });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.message).join(' ')).toContain('notAField');
  });

  it.each(ACTION_NAMES)('%s: every stage it may lead to is a stage, and it is allowed somewhere', (name) => {
    const row = actionRule(name);
    expect(row.from.length).toBeGreaterThan(0);
    for (const to of row.to) expect(ALL_STAGES).toContain(to);
    expect(row.roles.length).toBeGreaterThan(0);
  });

  it('declares the door texts of an action only where its schema has the hash field', () => {
    for (const name of ACTION_NAMES) {
      const row = ACTION_TABLE[name];
      const texts: Readonly<Record<string, string>> = 'texts' in row ? row.texts : {};
      for (const hashField of Object.values(texts)) expect(Object.keys(row.input.shape)).toContain(hashField);
    }
  });

  it('refuses text PostgreSQL cannot store, impossible dates and fractional ids', () => {
    expect(parseActionInput('withdraw', { reason: 'a\u0000b' }).ok).toBe(false);
    expect(parseActionInput('withdraw', { reason: 'lone \ud800 surrogate' }).ok).toBe(false);
    expect(parseActionInput('withdraw', { reason: '正常的理由 😀' }).ok).toBe(true);
    expect(parseActionInput('requestExtension', { newDate: '2026-02-30', reason: 'x' }).ok).toBe(false);
    expect(parseActionInput('requestExtension', { newDate: '0000-01-01', reason: 'x' }).ok).toBe(false);
    expect(parseActionInput('requestExtension', { newDate: '2026-06-30', reason: 'x' }).ok).toBe(true);
    expect(parseActionInput('rate', { attitude: 'satisfied', result: 'satisfied', proposerId: 1.5 }).ok).toBe(false);
    expect(parseActionInput('withdraw', { reason: 'x'.repeat(1001) }).ok).toBe(false);
  });
});
