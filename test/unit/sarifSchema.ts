import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';

/** The SARIF 2.1.0 schema check the CLI tests share. */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SARIF_SCHEMA = path.join(ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

let compiledSarif: ((data: unknown) => boolean) | undefined;

/** A validator that fails the test with Ajv's reasons when the data is not valid SARIF 2.1.0. */
export function sarifValidator(): (data: unknown) => boolean {
  compiledSarif ??= compileSarifValidator();
  return compiledSarif;
}

function compileSarifValidator(): (data: unknown) => boolean {
  // The schema is draft-04 (`id`, `$schema` draft-04) but uses only keywords Ajv 8's draft-07 knows;
  // one of its patterns is not valid with the u flag, hence unicodeRegExp: false.
  const schema = JSON.parse(fs.readFileSync(SARIF_SCHEMA, 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => !/[\s\\]/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  const validate = ajv.compile(schema);
  return (data) => {
    const ok = validate(data);
    assert.ok(ok, `SARIF does not match the 2.1.0 schema: ${ajv.errorsText(validate.errors)}`);
    return ok;
  };
}
