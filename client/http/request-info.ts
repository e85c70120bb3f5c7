import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { setCookie, deleteCookie } from 'hono/cookie';

// What a request says about where it came from. The address is read from a reverse proxy's
// X-Forwarded-For only when the connection itself comes from this machine (the usual
// nginx-in-front setup), so a remote client cannot pose as another address to dodge throttling.
// X-Forwarded-Proto is believed from anyone: a client that falsely claims TLS only gets cookies
// marked Secure, which its own plain-HTTP requests then do not carry; nobody else is affected.

function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // Not served by @hono/node-server (app.request in a unit test): no socket to ask.
    return null;
  }
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** The address to throttle sign-ins by: the socket's, or the local proxy's last hop. */
export function clientAddress(c: Context): string | null {
  const socket = socketAddress(c);
  const forwarded = c.req.header('x-forwarded-for');
  if (forwarded && socket !== null && LOOPBACK.test(socket)) {
    const last = forwarded.split(',').pop()?.trim();
    if (last && last.length <= 64) return last;
  }
  return socket;
}

/** True when the person's browser speaks TLS to us (directly, or to the proxy in front). */
export function servedOverTls(c: Context): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return proto === 'https';
}

/** Cookies the pages set: never readable by script, sent on top-level navigation from a mail. */
export function setPageCookie(c: Context, name: string, value: string, maxAgeSeconds?: number): void {
  setCookie(c, name, value, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: servedOverTls(c),
    path: '/',
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  });
}

export function clearPageCookie(c: Context, name: string): void {
  deleteCookie(c, name, { path: '/', secure: servedOverTls(c), httpOnly: true, sameSite: 'Lax' });
}
