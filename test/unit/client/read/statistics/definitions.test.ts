import { describe, expect, it } from 'vitest';
import { FIGURE_KEYS, FIGURES, formatFigure, isFigureKey, percent } from '../../../../../client/read/statistics/definitions.js';
import { emptyFigures } from '../../../../../client/read/statistics/figures.js';

describe('statistics definitions', () => {
  it('a rate is num/den in percent rounded to one decimal, and nothing counted is no rate (not 0 %)', () => {
    expect(percent(5, 6)).toBe(83.3);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(1, 8)).toBe(12.5);
    expect(percent(0, 4)).toBe(0);
    expect(percent(4, 4)).toBe(100);
    expect(percent(0, 0)).toBeNull();
  });

  it('a rate shows as a percentage with one decimal, a count as its numerator, an empty rate as —', () => {
    expect(formatFigure('rate', 3, 4)).toBe('75.0%');
    expect(formatFigure('rate', 0, 0)).toBe('—');
    expect(formatFigure('count', 2, 5)).toBe('2');
  });

  it('every figure is defined once, with its Chinese name, numerator and denominator', () => {
    for (const key of FIGURE_KEYS) {
      expect(FIGURES[key].key).toBe(key);
      expect(FIGURES[key].label).toMatch(/\p{Script=Han}/u);
      expect(FIGURES[key].numerator.length).toBeGreaterThan(0);
      expect(FIGURES[key].denominator.length).toBeGreaterThan(0);
    }
    expect(new Set(FIGURE_KEYS.map((k) => FIGURES[k].label)).size).toBe(FIGURE_KEYS.length);
    expect(Object.keys(emptyFigures()).sort()).toEqual([...FIGURE_KEYS].sort());
  });

  it('only the defined figures are figure keys (the API refuses the rest)', () => {
    expect(isFigureKey('replied')).toBe(true);
    expect(isFigureKey('constructor')).toBe(false);
    expect(isFigureKey('Replied')).toBe(false);
  });
});
