import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { csvCell, csvHeader, csvLine, EXPORT_COLUMNS, exportRow } from '../../src/core/usageExport';
import { ledgerFileName, serializeRecord, type UsageRecord } from '../../src/core/usageRecord';
import { exportLedger } from '../../src/usage/ledgerExport';
import { fakeKeys } from '../fakes/keys';
import { usageRecord } from './usageFixtures';

/** Every 20-character slice of the key: what a partial leak would show. */
function slices(key: string): string[] {
  const result: string[] = [];
  for (let i = 0; i + 20 <= key.length; i++) {
    result.push(key.slice(i, i + 20));
  }
  return result;
}

/** RFC 4180 parser, enough to read back what csvLine wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('core/usageExport (CSV and JSON of the ledger)', () => {
  it('quotes cells with commas, quotes and line breaks (RFC 4180), defuses spreadsheet formulas', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('+1'), "'+1");
    assert.equal(csvCell(12.5), '12.5');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(undefined), '');
    const record = usageRecord({ keyName: 'team, "prod"\nkey', costUsd: null, errorClass: 'rateLimited', outcome: 'error' });
    const rows = parseCsv(csvHeader() + csvLine(record));
    assert.deepEqual(rows[0], [...EXPORT_COLUMNS]);
    const back = Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, rows[1][i]]));
    assert.equal(back.keyName, 'team, "prod"\nkey');
    assert.equal(back.costUsd, 'price unknown');
    assert.equal(back.inputTokens, '100');
    assert.equal(back.errorClass, 'rateLimited');
    assert.equal(rows[1].length, EXPORT_COLUMNS.length);
  });

  it('holds only the ledger fields: a foreign field in a line is not copied, a key in a text field is masked', () => {
    const key = fakeKeys.apiKey();
    const record = { ...usageRecord({ keyName: `pasted ${key}` }), prompt: 'secret prompt text', apiKey: key } as UsageRecord;
    const row = exportRow(record);
    assert.equal('prompt' in row, false);
    assert.equal('apiKey' in row, false);
    const line = csvLine(record) + JSON.stringify(row);
    for (const slice of slices(key)) {
      assert.equal(line.includes(slice), false, `a 20-character slice of the key is in the export: ${slice}`);
    }
    assert.ok(String(row.keyName).startsWith('pasted sk-ant-api03-…'));
  });

  it('exportLedger streams every month file, oldest first, as CSV and as a JSON array; torn lines skipped', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-export-'));
    try {
      fs.writeFileSync(path.join(folder, ledgerFileName('2026-11')), serializeRecord(usageRecord({ time: '2026-11-30T10:00:00.000Z', requestId: 'req_a' })));
      fs.writeFileSync(path.join(folder, ledgerFileName('2026-12')), serializeRecord(usageRecord({ requestId: 'req_b', costUsd: null })) + '{"v":1,"tim');
      fs.writeFileSync(path.join(folder, 'notes.txt'), 'not a ledger file\n');
      const csv = path.join(folder, 'out.csv');
      const json = path.join(folder, 'out.json');
      assert.deepEqual(await exportLedger(folder, 'csv', csv), { records: 2 });
      assert.deepEqual(await exportLedger(folder, 'json', json), { records: 2 });
      const rows = parseCsv(fs.readFileSync(csv, 'utf8'));
      assert.equal(rows.length, 3);
      assert.equal(rows[1][EXPORT_COLUMNS.indexOf('requestId')], 'req_a');
      const parsed = JSON.parse(fs.readFileSync(json, 'utf8')) as Array<Record<string, unknown>>;
      assert.deepEqual(
        parsed.map((r) => [r.requestId, r.costUsd]),
        [
          ['req_a', 0.00035],
          ['req_b', null],
        ],
      );
      assert.deepEqual(await exportLedger(path.join(folder, 'missing'), 'json', json), { records: 0 });
      assert.deepEqual(JSON.parse(fs.readFileSync(json, 'utf8')), []);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
