import { describe, expect, it } from 'vitest';
import { createFeedbackLinks } from '../../../activities/feedback-link.js';
import { expiredClaims, jointLinksFrom } from '../../../activities/joint-link.js';

// 联名邀请 links: signed with a key derived from the one link secret, never interchangeable with
// the feedback links signed by the same secret.

const feedback = createFeedbackLinks('a-test-secret-of-32-characters!!', 'https://banli.test/');
const links = jointLinksFrom(feedback);
const claims = { draftId: 'joint:十四届三次会议:LM0001', position: 2, expiresAt: '2099-01-01T00:00:00.000Z' };

describe('joint-consent links', () => {
  it('a signed link names the draft and the co-signer and verifies until its expiry', () => {
    const token = links.sign(claims);
    expect(links.verify(token)).toEqual({ kind: 'joint-consent', ...claims });
    expect(links.url(token)).toBe(`https://banli.test/joint-consent/${token}`);
  });

  it('a link altered in its payload or signature, or with anything appended, is nobody’s', () => {
    const token = links.sign(claims);
    const [payload, signature] = token.split('.') as [string, string];
    const other = Buffer.from(JSON.stringify({ kind: 'joint-consent', ...claims, position: 1 })).toString('base64url');
    expect(links.verify(`${other}.${signature}`)).toBeNull();
    expect(links.verify(`${payload}.${signature.slice(0, -1)}A`)).toBeNull();
    expect(links.verify(`${token}.x`)).toBeNull();
    expect(links.verify('')).toBeNull();
  });

  it('expires at the end of the invitation window, but still says whose it was so a late answer is refused as late', () => {
    const token = links.sign({ ...claims, expiresAt: '2026-01-01T00:00:00.000Z' });
    expect(links.verify(token, new Date('2026-01-01T00:00:01.000Z'))).toBeNull();
    expect(links.verify(token, new Date('2025-12-31T23:59:59.000Z'))).not.toBeNull();
    expect(expiredClaims(links, token)?.position).toBe(2);
  });

  it('a feedback link is never an invitation link and an invitation link never a feedback link', () => {
    const feedbackToken = feedback.sign({ workflowId: claims.draftId, proposerId: 2, round: 0, expiresAt: claims.expiresAt });
    expect(links.verify(feedbackToken)).toBeNull();
    expect(expiredClaims(links, feedbackToken)).toBeNull();
    expect(feedback.verify(links.sign(claims))).toBeNull();
  });

  it('another deployment’s secret signs other links', () => {
    const elsewhere = jointLinksFrom(createFeedbackLinks('another-secret-of-32-characters!', 'https://banli.test'));
    expect(elsewhere.verify(links.sign(claims))).toBeNull();
  });
});
