// The worker's workflow bundle entry: every workflow type is exported from here.
export { proposalHandling } from './proposal/workflow.js';
export { dailyDigest } from './daily-digest.js';
export { coHandlingOpinion } from './co-opinion/workflow.js';
export { unitReplyTask } from './reply-task/workflow.js';
export { jointConsentWorkflow } from './joint-consent/workflow.js';
