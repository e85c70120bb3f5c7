import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../workflows/shared/search-attributes.js';

export const IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;
export type IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;

export const SEARCH_ATTRIBUTE_TYPES: Record<(typeof SEARCH_ATTRIBUTE_DEFINITIONS)[number]['type'], IndexedValueType> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/** Banli's search attributes in the shape the operator API takes. */
export function banliSearchAttributes(): Record<string, IndexedValueType> {
  return Object.fromEntries(SEARCH_ATTRIBUTE_DEFINITIONS.map((sa) => [sa.name, SEARCH_ATTRIBUTE_TYPES[sa.type]]));
}
