import { createHmac, timingSafeEqual } from 'node:crypto';

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
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  return {
    sign(claims) {
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${payload}.${mac(payload)}`;
    },
    verify(token, now = new Date()) {
      // Exactly payload.signature in base64url: a token with anything appended is not the one we signed.
      const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
      if (!match) return null;
      const [, payload = '', signature = ''] = match;
      const expected = Buffer.from(mac(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      try {
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<FeedbackLinkClaims>;
        const { workflowId, proposerId, round, expiresAt } = claims;
        if (typeof workflowId !== 'string' || !Number.isInteger(proposerId) || !Number.isInteger(round) || typeof expiresAt !== 'string') return null;
        if (!(Date.parse(expiresAt) >= now.getTime())) return null;
        return { workflowId, proposerId: proposerId!, round: round!, expiresAt };
      } catch {
        return null;
      }
    },
    url: (token) => `${baseUrl.replace(/\/$/, '')}/feedback/${token}`,
  };
}
