// Who is told what. A step names its mails by kind; the templates are typed by the same list,
// so a kind without a template (or a template nobody sends) is a compile error.

export const NOTIFICATION_KINDS = [
  'assigned',
  'assigned_co',
  'not_filed',
  'merged',
  'converted',
  'withdrawn',
  'withdrawn_unit',
  'adjustment_requested',
  'adjustment_refused',
  'adjustment_accepted',
  'unit_removed',
  'co_opinion_received',
  'signoff_requested',
  'signoff_returned',
  'signoff_reminder',
  'rehandling',
  'publication_proposed',
  'key_proposal',
  'follow_up_due',
  'follow_up_reported',
  'deadline_reminder',
  'deadline_escalation',
  'supervision_notice', // 督办通知
  'supervision_assigned', // to the supervising leader, when a proposal is made key
  'extension_requested',
  'extension_approved',
  'extension_refused',
  'extension_proposer',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface RecipientSpec {
  proposers?: number[];
  unitLiaisons?: string[];
  unitLeaders?: string[];
  unitPrincipals?: string[];
  office?: boolean;
  committee?: boolean;
  /** People outside the directory, by address (a supervising leader). */
  addresses?: string[];
  /** Routine reminders: people who take the daily digest get them there instead. */
  digestAware?: boolean;
}

export type NotificationParams = Record<string, string | number | null>;

export interface NotificationIntent {
  kind: NotificationKind;
  to: RecipientSpec;
  cc?: RecipientSpec;
  params: NotificationParams;
}
