// Shared by the global setup's worker, the test HTTP servers and spawned worker processes:
// a link signed by one must verify in the others.
export const TEST_LINK_SECRET = 'test-link-secret-0123456789';
export const TEST_LINK_BASE = 'http://banli.test';
