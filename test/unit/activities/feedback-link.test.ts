import { describe, expect, it } from 'vitest';
import { createFeedbackLinks } from '../../../activities/feedback-link.js';

const links = createFeedbackLinks('a-test-secret-of-32-characters!!', 'https://banli.test/');
const claims = { workflowId: 'proposal:十四届三次会议:R1', proposerId: 7, round: 0, expiresAt: '2027-01-01T00:00:00.000Z' };
const now = new Date('2026-12-01T00:00:00Z');

describe('feedback links', () => {
  it('verifies what it signed', () => {
    expect(links.verify(links.sign(claims), now)).toEqual(claims);
    expect(links.url('x.y')).toBe('https://banli.test/feedback/x.y');
  });

  it('refuses a token with anything appended, changed or missing', () => {
    const token = links.sign(claims);
    for (const bad of [`${token}.extra`, `${token}x`, `${token}.`, token.replace('.', '..'), token.split('.')[0]!, `x${token}`, `${token} `, '']) {
      expect(links.verify(bad, now), bad).toBeNull();
    }
  });

  it('refuses an expired link and one signed with another secret', () => {
    expect(links.verify(links.sign(claims), new Date('2027-01-02T00:00:00Z'))).toBeNull();
    const other = createFeedbackLinks('another-secret-of-32-characters!', 'https://banli.test');
    expect(links.verify(other.sign(claims), now)).toBeNull();
  });

  it('refuses signed claims of the wrong shape', () => {
    const forged = links.sign({ ...claims, proposerId: '7' as unknown as number });
    expect(links.verify(forged, now)).toBeNull();
  });
});
