import { maskSecretsInAnyForm } from './maskAnyForm';
import type { UsageRecord } from './usageRecord';

/**
 * The ledger as CSV or JSON, one record at a time (a year of records never sits in memory). The
 * export holds the ledger's own fields and nothing else: a foreign field in a line is not copied,
 * and text fields pass the key masker as a second line of defence (the ledger only ever holds the
 * masked hint, but an export leaves the machine).
 */

export const EXPORT_COLUMNS = [
  'time',
  'operation',
  'keyName',
  'keyHint',
  'model',
  'inputTokens',
  'outputTokens',
  'cacheWrite5mTokens',
  'cacheWrite1hTokens',
  'cacheReadTokens',
  'serverToolUses',
  'requestId',
  'outcome',
  'errorClass',
  'latencyMs',
  'costUsd',
  'batch',
] as const;

export type ExportColumn = (typeof EXPORT_COLUMNS)[number];
export type ExportRow = { [C in ExportColumn]?: string | number | boolean | null };

const TEXT: ReadonlySet<ExportColumn> = new Set<ExportColumn>(['keyName', 'keyHint', 'model', 'requestId', 'errorClass']);

/** The record's known fields only, text masked. `costUsd` null stays null: "price unknown". */
export function exportRow(record: UsageRecord): ExportRow {
  const row: ExportRow = {};
  const source = record as unknown as Record<string, unknown>;
  for (const column of EXPORT_COLUMNS) {
    const value = source[column];
    if (value === undefined) {
      continue;
    }
    if (TEXT.has(column)) {
      row[column] = typeof value === 'string' ? maskSecretsInAnyForm(value) : String(value);
    } else if (typeof value === 'number' || typeof value === 'boolean' || value === null || typeof value === 'string') {
      row[column] = value;
    }
  }
  return row;
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled. Text
 * that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value !== 'string') {
    return String(value);
  }
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvHeader(): string {
  return EXPORT_COLUMNS.join(',') + '\r\n';
}

/** One CSV line, CRLF-terminated as RFC 4180 says. A null cost is written as `price unknown`. */
export function csvLine(record: UsageRecord): string {
  const row = exportRow(record);
  return EXPORT_COLUMNS.map((column) => (column === 'costUsd' && row.costUsd === null ? 'price unknown' : csvCell(row[column]))).join(',') + '\r\n';
}

/** JSON export: an array, written as `[`, one element per line with commas between, `]`. */
export const JSON_OPEN = '[\n';
export const JSON_CLOSE = '\n]\n';

export function jsonElement(record: UsageRecord, first: boolean): string {
  return (first ? '' : ',\n') + JSON.stringify(exportRow(record));
}
