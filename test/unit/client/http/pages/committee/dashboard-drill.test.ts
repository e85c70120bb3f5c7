import { describe, expect, it } from 'vitest';
import { detailWords } from '../../../../../../client/http/pages/committee/dashboard-drill.js';

describe('drill-down details in words', () => {
  it('codes of ratings, consultation ways and task states read in Chinese; other words pass through', () => {
    expect(detailWords('basically_satisfied')).toBe('基本满意');
    expect(detailWords('face_to_face、phone')).toBe('面商、电话');
    expect(detailWords('dispatched')).toBe('已答复');
    expect(detailWords('截止2026-12-02，答复未答复')).toBe('截止2026-12-02，答复未答复');
  });
});
