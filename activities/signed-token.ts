import { timingSafeEqual } from 'node:crypto';

// The envelope every personal link uses: a JSON payload in base64url, a dot, and its HMAC. Each
// kind of link brings its own MAC (key and domain) and checks its own claims in what `open` returns.

export interface SignedTokens {
  seal(claims: object): string;
  /** The payload of a token signed by this MAC, or null: exactly payload.signature, nothing appended. */
  open(token: string): Record<string, unknown> | null;
}

export function signedTokens(mac: (payload: string) => string): SignedTokens {
  return {
    seal(claims) {
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${payload}.${mac(payload)}`;
    },
    open(token) {
      const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
      if (!match) return null;
      const [, payload = '', signature = ''] = match;
      const expected = Buffer.from(mac(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      try {
        const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        return claims !== null && typeof claims === 'object' && !Array.isArray(claims) ? Object.fromEntries(Object.entries(claims)) : null;
      } catch {
        return null;
      }
    },
  };
}
