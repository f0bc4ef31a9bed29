// `cli lint` for CI: `--format sarif` checked against the SARIF 2.1.0 JSON schema (as Microsoft's SARIF SDK ships
// it, in @microsoft/jest-sarif), `--max-warnings`, and the parameter options lint shares with match-rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { cliBundle } from '../repoPaths';
import { sarifReport } from '../../../server/src/cli/sarifReport';
import { problemDocUrl, ProblemCode } from '../../../server/src/engine';

function lint(args: string[], cwd: string) {
  return spawnSync(process.execPath, [cliBundle, 'lint', ...args], { cwd, encoding: 'utf8' });
}

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ebp-lint-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

function sarifValidator(): (log: unknown) => string[] {
  const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { $schema: string };
  assert.equal(schema.$schema, 'http://json-schema.org/draft-04/schema#');
  // The rtm.5 schema's `language` pattern has a stray `]` (fixed in the OASIS errata): legal without the `u` flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (log) => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}

// Two warnings (misspelled envelope keys) in one file, an error (an archive pattern written as a string) in another,
// one clean file, and a file name that needs escaping in a URI.
const FILES = {
  'patterns/warn me.eventpattern.json': '{"source": ["aws.ec2"],\n "detail-typ": ["x"],\n "acount": ["1"]}\n',
  'patterns/clean.eventpattern.json': '{"source": ["aws.ec2"]}\n',
  'templates/archive.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Stage:
    Type: String
Resources:
  Archive:
    Type: AWS::Events::Archive
    Properties:
      SourceArn: arn:aws:events:us-east-1:123456789012:event-bus/default
      EventPattern: '{"source": ["app"]}'
`,
};

test('--format sarif: a SARIF 2.1.0 log the schema accepts, rules with help links, 1-based regions, mapped levels', () => {
  const validate = sarifValidator();
  const dir = scratch(FILES);
  const r = lint(['patterns/*.json', 'templates/**/*.yaml', '--format', 'sarif'], dir);
  assert.equal(r.status, 1, r.stderr);
  const log = JSON.parse(r.stdout) as {
    version: string;
    runs: {
      tool: { driver: { name: string; rules: { id: string; helpUri?: string }[] } };
      results: {
        ruleId: string;
        ruleIndex: number;
        level: string;
        message: { text: string };
        locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[];
      }[];
    }[];
  };
  assert.deepEqual(validate(log), []);
  assert.equal(log.version, '2.1.0');
  const [run] = log.runs;
  assert.equal(run.tool.driver.name, 'eventbridge-patterns');
  // The same findings as --format json, one result each, in order.
  const json = JSON.parse(lint(['patterns/*.json', 'templates/**/*.yaml', '--format', 'json'], dir).stdout) as {
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    severity: string;
    code: string;
    message: string;
  }[];
  assert.equal(json.length, 3);
  assert.deepEqual(
    run.results.map((res) => ({
      file: decodeURIComponent(res.locations[0].physicalLocation.artifactLocation.uri),
      ...res.locations[0].physicalLocation.region,
      severity: res.level,
      code: res.ruleId,
      message: res.message.text,
    })),
    json.map((f) => ({
      file: f.file,
      startLine: f.line,
      startColumn: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      severity: f.severity,
      code: f.code,
      message: f.message,
    })),
  );
  assert.deepEqual(
    run.results.map((res) => [res.ruleId, res.level, res.locations[0].physicalLocation.region.startLine]),
    [
      ['EB502', 'warning', 2],
      ['EB502', 'warning', 3],
      ['EB420', 'error', 10],
    ],
  );
  assert.equal(
    run.results[0].locations[0].physicalLocation.artifactLocation.uri,
    'patterns/warn%20me.eventpattern.json',
  );
  assert.deepEqual(run.tool.driver.rules, [
    { id: 'EB420', helpUri: problemDocUrl('EB420' as ProblemCode) },
    { id: 'EB502', helpUri: problemDocUrl(ProblemCode.MisspelledEnvelopeKey) },
  ]);
  for (const res of run.results) assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
});

test('SARIF levels and locations for every severity, a file outside the working directory, and no findings', () => {
  const validate = sarifValidator();
  const outside = join(tmpdir(), 'some dir', 'x.yaml');
  const finding = (severity: 'error' | 'warning' | 'info' | 'hint', code: string, file = 'a.yaml') => ({
    file,
    line: 3,
    column: 5,
    endLine: 4,
    endColumn: 1,
    severity,
    code,
    message: `${severity} here`,
  });
  const log = sarifReport(
    [
      finding('error', 'EB100'),
      finding('warning', 'EB500'),
      finding('info', 'EB506'),
      finding('hint', 'EB506', outside),
      finding('error', 'lint/unreadable'),
    ],
    new Map([['EB100', problemDocUrl(ProblemCode.JsonSyntax)]]),
  ) as {
    runs: {
      tool: { driver: { rules: object[] } };
      results: {
        level: string;
        ruleId?: string;
        locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
      }[];
    }[];
  };
  assert.deepEqual(validate(log), []);
  const [run] = log.runs;
  assert.deepEqual(
    run.results.map((r) => r.level),
    ['error', 'warning', 'note', 'note', 'error'],
  );
  assert.equal(run.results[3].locations[0].physicalLocation.artifactLocation.uri, pathToFileURL(outside).href);
  assert.deepEqual(run.tool.driver.rules, [
    { id: 'EB100', helpUri: problemDocUrl(ProblemCode.JsonSyntax) },
    { id: 'EB500' },
    { id: 'EB506' },
    { id: 'lint/unreadable' },
  ]);
  assert.deepEqual(validate(sarifReport([], new Map())), []);
  // The validator does reject what is not SARIF.
  assert.notDeepEqual(validate({ version: '2.1.0', runs: [{ results: [] }] }), []);
});

test('--max-warnings N: exit 1 when there are more than N warnings, as ESLint does', () => {
  const dir = scratch(FILES);
  const files = ['patterns/*.json'];
  assert.equal(lint(files, dir).status, 0);
  assert.equal(lint([...files, '--max-warnings', '2'], dir).status, 0);
  const over = lint([...files, '--max-warnings', '1'], dir);
  assert.equal(over.status, 1);
  assert.match(over.stdout, /2 problems \(0 errors, 2 warnings/);
  assert.equal(over.stderr, 'lint: 2 warnings, more than --max-warnings 1 allows\n');
  assert.equal(lint([...files, '--max-warnings=0', '--format', 'json'], dir).status, 1);
  assert.equal(lint(['patterns/clean.eventpattern.json', '--max-warnings', '0'], dir).status, 0);
  for (const bad of ['-1', 'many', '']) {
    const r = lint([...files, '--max-warnings', bad], dir);
    assert.equal(r.status, 2, bad);
    assert.match(r.stderr, /--max-warnings (must be a whole number|needs a value)/);
  }
});

test('lint --parameter/--parameters: checked and accepted; a name no linted template declares is warned about', () => {
  const dir = scratch({
    ...FILES,
    'params.json': '[{"ParameterKey": "Stage", "ParameterValue": "prod"}]',
    'bad.txt': 'Stage\n',
  });
  const ok = lint(['templates/archive.yaml', '--parameters', 'params.json', '--parameter', 'Stage=dev'], dir);
  assert.equal(ok.status, 1);
  assert.equal(ok.stderr, '');
  const typo = lint(['templates/archive.yaml', '--parameter', 'Stgae=dev'], dir);
  assert.equal(typo.stderr, 'warning: parameter Stgae was given a value, but no template declares it in Parameters\n');
  const bad = lint(['templates/archive.yaml', '--parameters', 'bad.txt'], dir);
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, '');
  assert.equal(bad.stderr, 'lint: bad.txt:1: "Stage": expected Key=Value\n');
});
