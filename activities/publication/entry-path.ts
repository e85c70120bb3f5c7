/** The public site's address of an entry: /public/002482031/2024-39047, each part of the 索引号 encoded on its own. */
export function publicEntryPath(indexNo: string): string {
  return `/public/${indexNo.split('/').map(encodeURIComponent).join('/')}`;
}

/** The entry's full address for a mail, or null when no public address is configured. */
export function publicEntryUrl(baseUrl: string | undefined, indexNo: string): string | null {
  return baseUrl ? `${baseUrl.replace(/\/$/, '')}${publicEntryPath(indexNo)}` : null;
}
