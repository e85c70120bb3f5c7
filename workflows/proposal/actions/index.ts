import type { ActionInput, ActionName } from '../machine.js';
import { assign, decideAdjustment, reassign, requestAdjustment } from './assignment.js';
import { close, markKey, reportFollowUp, withdraw } from './closing.js';
import { submitCoOpinion, waiveCoOpinion } from './co-opinion.js';
import { recordConsultation, recordNoConsultation, recordOfficeConsultation } from './consultation.js';
import { decideExtension, requestExtension } from './extension.js';
import { orderRehandling, rate } from './feedback.js';
import { file } from './filing.js';
import { approvePublication, proposePublication } from './publication.js';
import { overrideClass, saveDraft, signOff, submitForSignOff } from './reply.js';
import type { ActionSpec } from './support.js';

/** Every action's check and transition, by name: the compiler refuses a table row without one. */
export const ACTIONS: { [K in ActionName]: ActionSpec<ActionInput<K>> } = {
  file,
  assign,
  requestAdjustment,
  decideAdjustment,
  recordConsultation,
  recordNoConsultation,
  submitCoOpinion,
  waiveCoOpinion,
  saveDraft,
  overrideClass,
  submitForSignOff,
  signOff,
  rate,
  proposePublication,
  approvePublication,
  close,
  reportFollowUp,
  withdraw,
  markKey,
  orderRehandling,
  reassign,
  requestExtension,
  decideExtension,
  recordOfficeConsultation,
};

export type { ActionContext, ActionOutcome, ActionSpec } from './support.js';
