import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes registered on the dev server at start (and by scripts/register-search-attributes.ts
// on a real cluster) so the Temporal UI and `temporal workflow list --query` can find proposals.
export const BanliSession = defineSearchAttributeKey('BanliSession', SearchAttributeType.KEYWORD);
export const BanliStage = defineSearchAttributeKey('BanliStage', SearchAttributeType.KEYWORD);
export const BanliUnits = defineSearchAttributeKey('BanliUnits', SearchAttributeType.KEYWORD_LIST);
export const BanliKeyProposal = defineSearchAttributeKey('BanliKeyProposal', SearchAttributeType.BOOL);
export const BanliNextDue = defineSearchAttributeKey('BanliNextDue', SearchAttributeType.DATETIME);
export const BanliProposalNo = defineSearchAttributeKey('BanliProposalNo', SearchAttributeType.KEYWORD);

// The CLI's --search-attribute flag and the operator API spell types this way.
export const SEARCH_ATTRIBUTE_DEFINITIONS = [
  { name: 'BanliSession', type: 'Keyword' },
  { name: 'BanliStage', type: 'Keyword' },
  { name: 'BanliUnits', type: 'KeywordList' },
  { name: 'BanliKeyProposal', type: 'Bool' },
  { name: 'BanliNextDue', type: 'Datetime' },
  { name: 'BanliProposalNo', type: 'Keyword' },
] as const;
