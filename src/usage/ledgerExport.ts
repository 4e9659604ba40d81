import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineSplitter } from '../core/lineSplitter';
import { csvHeader, csvLine, jsonElement, JSON_CLOSE, JSON_OPEN } from '../core/usageExport';
import { ledgerFileMonth, parseRecord } from '../core/usageRecord';
import type { ExportFormat } from '../shared/usageProtocol';

/**
 * Writes every record of the ledger folder, oldest month first, to `target` as CSV or JSON. Streams
 * file by file and line by line (bounded memory for a year of records), waiting for the disk when the
 * write stream's buffer is full. Torn or foreign lines are skipped, as everywhere else.
 */
export async function exportLedger(folder: string, format: ExportFormat, target: string): Promise<{ records: number }> {
  let names: string[];
  try {
    names = (await fs.promises.readdir(folder)).filter((name) => ledgerFileMonth(name) !== undefined).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
    names = [];
  }
  const out = fs.createWriteStream(target, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  let records = 0;
  let batch = '';
  const flush = async (): Promise<void> => {
    if (batch && !out.write(batch)) {
      await Promise.race([new Promise<void>((resolve) => out.once('drain', () => resolve())), failed]);
    }
    batch = '';
  };
  try {
    batch = format === 'csv' ? csvHeader() : JSON_OPEN;
    for (const name of names) {
      const splitter = new LineSplitter();
      // One 64 KB chunk's lines at a time, then the disk: memory stays bounded whatever the month's size.
      for await (const chunk of fs.createReadStream(path.join(folder, name), { highWaterMark: 1 << 16 })) {
        splitter.push(chunk as Buffer, (line) => {
          const record = parseRecord(line);
          if (record) {
            batch += format === 'csv' ? csvLine(record) : jsonElement(record, records === 0);
            records++;
          }
        });
        await flush();
      }
    }
    batch += format === 'csv' ? '' : JSON_CLOSE;
    await flush();
    await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
  } catch (error) {
    out.destroy();
    throw error;
  }
  return { records };
}
