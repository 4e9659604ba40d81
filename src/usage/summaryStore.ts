import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileAggregate } from './usageLedger';

const VERSION = 1;

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Per-file summaries kept on disk beside the ledger, so a new window does not read a year of
 * records again: a closed month never changes (its summary is used as is), the current month is
 * read on from the saved byte offset. A sidecar is written whole to a temporary file and renamed,
 * so a crash or a second window leaves the old one or the new one, never half of one. A sidecar
 * that is unreadable or of another version is ignored and rebuilt.
 */
export class SummaryStore {
  constructor(readonly folder: string) {}

  private fileOf(ledgerFile: string): string {
    return path.join(this.folder, `${path.basename(ledgerFile)}.summary.json`);
  }

  async load(ledgerFile: string): Promise<FileAggregate | undefined> {
    let raw: string;
    try {
      raw = await fs.promises.readFile(this.fileOf(ledgerFile), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const value: unknown = JSON.parse(raw);
      if (!isObject(value) || value.v !== VERSION || !isObject(value.aggregate)) {
        return undefined;
      }
      const a = value.aggregate;
      const s = a.summary;
      const maps = ['byDay', 'byModel', 'byKey', 'byDayModel', 'byDayKey', 'byMonth'];
      if (!['offset', 'size', 'mtimeMs', 'ino', 'pendingBytes'].every((name) => isCount(a[name])) || (a.head !== undefined && typeof a.head !== 'string') || !isObject(s) || !isObject(s.total) || !isCount(s.skippedLines) || !maps.every((name) => isObject(s[name]))) {
        return undefined;
      }
      return a as unknown as FileAggregate;
    } catch {
      return undefined;
    }
  }

  async save(ledgerFile: string, aggregate: FileAggregate): Promise<void> {
    const target = this.fileOf(ledgerFile);
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    await fs.promises.mkdir(this.folder, { recursive: true });
    try {
      await fs.promises.writeFile(temporary, JSON.stringify({ v: VERSION, aggregate }));
      await fs.promises.rename(temporary, target);
    } catch (error) {
      await fs.promises.rm(temporary, { force: true });
      throw error;
    }
  }

  async forget(ledgerFile: string): Promise<void> {
    await fs.promises.rm(this.fileOf(ledgerFile), { force: true });
  }
}
