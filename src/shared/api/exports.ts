/**
 * The exports area: the query parameters of `GET /api/export/{dataset}` (and of an export started
 * in the app's window). Apart from export-contract.ts, so the preload script, which needs only
 * the export's channels, does not load zod.
 */
import { EXPORT_FORMATS } from '../export-contract';
import { dateTimeParam, enumParam, paramsObject } from './params';

/** The query parameters of every export. */
export const EXPORT_PARAMS = paramsObject({
  from: dateTimeParam({ description: 'Start of the range (inclusive), ISO 8601 with a zone' }),
  to: dateTimeParam({ description: 'End of the range (exclusive), ISO 8601 with a zone' }),
  format: enumParam(EXPORT_FORMATS, { default: 'csv', description: 'csv; for events also jsonl' }),
});
