// The worker's workflow bundle entry: every workflow type is exported from here.
export { proposalHandling } from './proposal-handling.js';
export { dailyDigest } from './daily-digest.js';
export { coHandlingOpinion } from './co-handling-opinion.js';
export { unitReplyTask } from './reply-task.js';
