import { createHmac } from 'node:crypto';
import { signedTokens } from './signed-token.js';
import type { FeedbackLinks } from './feedback-link.js';

// 联名邀请 links: a co-signer accepts or declines from the mail without an account. The link names
// the draft and the signer's place in it and expires with the invitation window.
//
// It is signed with a key of its own, derived from BANLI_LINK_SECRET, so a feedback link never
// passes as an invitation link or the reverse, whatever their payloads. The key is derived
// through the feedback signer (an HMAC of a fixed label under the secret) so every entry point
// that already has the one link secret signs and checks invitations without a new setting.

export interface JointLinkClaims {
  kind: 'joint-consent';
  draftId: string;
  position: number;
  expiresAt: string;
}

export interface JointLinks {
  sign(claims: Omit<JointLinkClaims, 'kind'>): string;
  verify(token: string, now?: Date): JointLinkClaims | null;
  url(token: string): string;
}

/** The label the joint-link key is derived from; its expiry lies in the past, so as a feedback link it verifies nowhere. */
const DERIVATION_CLAIMS = { workflowId: 'banli:link-key:joint-consent', proposerId: 0, round: 0, expiresAt: '1970-01-01T00:00:00.000Z' };

export function jointLinksFrom(feedbackLinks: FeedbackLinks): JointLinks {
  const key = feedbackLinks.sign(DERIVATION_CLAIMS).split('.')[1]!;
  const baseUrl = feedbackLinks.url('x').replace(/\/feedback\/x$/, '');
  return createJointLinks(key, baseUrl);
}

export function createJointLinks(key: string, baseUrl: string): JointLinks {
  if (key.length < 16) throw new Error('the joint-consent link key must be at least 16 characters');
  const tokens = signedTokens((payload) => createHmac('sha256', key).update(`joint-consent.${payload}`).digest('base64url'));
  return {
    sign: (claims) => tokens.seal({ kind: 'joint-consent', ...claims }),
    verify(token, now = new Date()) {
      const claims = tokens.open(token);
      if (!claims) return null;
      const { kind, draftId, position, expiresAt } = claims;
      if (kind !== 'joint-consent' || typeof draftId !== 'string' || typeof position !== 'number' || !Number.isInteger(position) || typeof expiresAt !== 'string')
        return null;
      if (!(Date.parse(expiresAt) >= now.getTime())) return null;
      return { kind, draftId, position, expiresAt };
    },
    url: (token) => `${baseUrl.replace(/\/$/, '')}/joint-consent/${token}`,
  };
}

/**
 * A link that is signed but past its expiry still says whose it was: the page can then tell the
 * co-signer that the window closed instead of calling the link broken.
 */
export function expiredClaims(links: JointLinks, token: string): JointLinkClaims | null {
  return links.verify(token, new Date(0));
}
