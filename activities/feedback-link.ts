import { createHmac } from 'node:crypto';
import { signedTokens } from './signed-token.js';

// 征询意见 links: a proposer can rate from the mail without an account. The link names the
// proposal, the proposer and the handling round, and is signed so nobody else (a handling unit
// included) can rate in the proposer's name.

export interface FeedbackLinkClaims {
  workflowId: string;
  proposerId: number;
  round: number;
  expiresAt: string;
}

export interface FeedbackLinks {
  sign(claims: FeedbackLinkClaims): string;
  verify(token: string, now?: Date): FeedbackLinkClaims | null;
  url(token: string): string;
}

export function createFeedbackLinks(secret: string, baseUrl: string): FeedbackLinks {
  if (secret.length < 16) throw new Error('BANLI_LINK_SECRET must be at least 16 characters');
  const tokens = signedTokens((payload) => createHmac('sha256', secret).update(payload).digest('base64url'));
  return {
    sign: (claims) => tokens.seal(claims),
    verify(token, now = new Date()) {
      const claims = tokens.open(token);
      if (!claims) return null;
      const { workflowId, proposerId, round, expiresAt } = claims;
      if (
        typeof workflowId !== 'string' ||
        typeof proposerId !== 'number' ||
        !Number.isInteger(proposerId) ||
        typeof round !== 'number' ||
        !Number.isInteger(round) ||
        typeof expiresAt !== 'string'
      )
        return null;
      if (!(Date.parse(expiresAt) >= now.getTime())) return null;
      return { workflowId, proposerId, round, expiresAt };
    },
    url: (token) => `${baseUrl.replace(/\/$/, '')}/feedback/${token}`,
  };
}
