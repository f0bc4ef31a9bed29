// `cli lint` as CI calls it: the bundle in a child process, on the template fixtures and on files written here.
import '../hermeticAws';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { cliBundle, repoRoot } from '../repoPaths';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { globPatternToRegExp } from '../../../server/src/cli/lintCommand';

const FIXTURES = join(repoRoot, 'test', 'fixtures', 'templates');

interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

function lint(args: string[], cwd: string = FIXTURES) {
  return spawnSync(process.execPath, [cliBundle, 'lint', ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

function lintJson(args: string[], cwd?: string): { status: number | null; findings: Finding[]; stderr: string } {
  const r = lint([...args, '--format', 'json'], cwd);
  return { status: r.status, findings: JSON.parse(r.stdout) as Finding[], stderr: r.stderr };
}

function scratch(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ebp-lint-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

test('text format: file:line:col: severity code message, a summary, exit 1 on errors', () => {
  const r = lint(['pipes.yaml', 'cfn-rules.yaml', 'sam-template.yaml']);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.deepEqual(lines, [
    'pipes.yaml:26:17: error EB421 A filter Pattern must be a string holding JSON text, not an object: quote the pattern (or wrap it in Fn::ToJsonString)',
    "cfn-rules.yaml:66:21: error EB420 An archive's EventPattern must be a JSON object here, not a string: write the pattern as YAML/JSON structure",
    '2 problems (2 errors, 0 warnings, 0 infos, 0 hints) in 3 files',
  ]);
});

test("json format: 1-based positions and the language service's own diagnostics", () => {
  for (const name of [
    'pipes.yaml',
    'cfn-rules.yaml',
    'malformed.yaml',
    'orders.eventpattern.json',
    'lambda-esm.json',
  ]) {
    const { findings } = lintJson([name]);
    const text = readFileSync(join(FIXTURES, name), 'utf8');
    const uri = pathToFileURL(join(FIXTURES, name)).href;
    const doc = TextDocument.create(uri, name.endsWith('.json') ? 'json' : 'yaml', 1, text);
    const expected = getLanguageService()
      .doValidation(doc)
      .map((d) => ({
        file: name,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        severity: ({ 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' } as const)[d.severity ?? 1],
        code: String(d.code),
        message: typeof d.message === 'string' ? d.message : d.message.value,
      }));
    assert.deepEqual(findings, expected, name);
  }
});

test('positions and exit 0 on a file written here', () => {
  const dir = scratch({
    'bad.eventpattern.json': '{\n  "source": "x"\n}\n',
    'good.eventpattern.json': '{"source": ["x"]}',
    'typo.eventpattern.json': '{"soruce": ["aws.ec2"]}',
  });
  const bad = lintJson(['bad.eventpattern.json'], dir);
  assert.equal(bad.status, 1);
  assert.deepEqual(bad.findings, [
    {
      file: 'bad.eventpattern.json',
      line: 2,
      column: 13,
      endLine: 2,
      endColumn: 16,
      severity: 'error',
      code: 'EB201',
      message: '"source" must be an object or an array',
    },
  ]);
  // A lint rule's warning (as the editor shows it) does not fail the run.
  const typo = lintJson(['typo.eventpattern.json'], dir);
  assert.equal(typo.status, 0);
  assert.deepEqual(
    typo.findings.map((f) => [f.severity, f.code.slice(0, 3), f.line, f.column]),
    [['warning', 'EB5', 1, 2]],
  );
  const good = lint(['good.eventpattern.json'], dir);
  assert.equal(good.status, 0);
  assert.equal(good.stdout, 'no problems in 1 file\n');
  assert.deepEqual(lintJson(['good.eventpattern.json'], dir).findings, []);
});

test('globs: *, **, {a,b}; node_modules and .git are skipped; a file is linted once', () => {
  const bad = '{"source": "x"}';
  const dir = scratch({
    'a.eventpattern.json': bad,
    'sub/b.eventpattern.json': bad,
    'sub/deeper/c.eventpattern.yaml': 'source: x\n',
    'node_modules/pkg/d.eventpattern.json': bad,
    '.git/e.eventpattern.json': bad,
    'notes.txt': 'not linted',
  });
  const files = (args: string[]): string[] => [...new Set(lintJson(args, dir).findings.map((f) => f.file))];
  assert.deepEqual(files(['*.json']), ['a.eventpattern.json']);
  assert.deepEqual(files(['**/*.eventpattern.{json,yaml}']), [
    'a.eventpattern.json',
    'sub/b.eventpattern.json',
    'sub/deeper/c.eventpattern.yaml',
  ]);
  assert.deepEqual(files(['sub/*/*.yaml', 'sub/**/*.yaml']), ['sub/deeper/c.eventpattern.yaml']);
  assert.deepEqual(files([`${dir}/sub/?.eventpattern.json`]), ['sub/b.eventpattern.json']);
  assert.deepEqual(files(['node_modules/pkg/d.eventpattern.json']), ['node_modules/pkg/d.eventpattern.json']);
});

test('the glob matcher', () => {
  const m = (glob: string, path: string): boolean => globPatternToRegExp(glob).test(path);
  assert.ok(m('**/*.yaml', 'a.yaml'));
  assert.ok(m('**/*.yaml', 'x/y/a.yaml'));
  assert.ok(!m('*.yaml', 'x/a.yaml'));
  assert.ok(m('a/**/b', 'a/b') && m('a/**/b', 'a/x/y/b'));
  assert.ok(m('[ab].json', 'b.json') && !m('[!ab].json', 'b.json') && m('[!ab].json', 'c.json'));
  assert.ok(m('t.(1).json', 't.(1).json') && !m('t.json', 'tXjson'));
});

test('usage errors exit 2', () => {
  const none = lint([]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /give at least one file or glob/);
  const format = lint(['pipes.yaml', '--format', 'xml']);
  assert.equal(format.status, 2);
  assert.match(format.stderr, /--format must be text, json or sarif/);
  const empty = lint(['nothing/**/*.yaml']);
  assert.equal(empty.status, 2);
  assert.match(empty.stderr, /no files match nothing\/\*\*\/\*\.yaml/);
  assert.equal(lint(['--bogus', 'pipes.yaml']).status, 2);
});

test('missing files and directories are reported clearly; binary and huge files are skipped without a crash', () => {
  const huge = Buffer.alloc(9 * 1024 * 1024, 0x61);
  const dir = scratch({
    'folder/x.yaml': 'a: 1\n',
    'image.json': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x7b]),
    'huge.yaml': huge,
    'ok.eventpattern.json': '{"source": ["x"]}',
  });
  const r = lint(['folder', 'missing.yaml', 'image.json', 'huge.yaml', 'ok.eventpattern.json'], dir);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.deepEqual(lines.slice(0, 4), [
    'folder:1:1: error lint/directory is a directory: give files or a glob such as "dir/**/*.yaml"',
    'missing.yaml:1:1: error lint/unreadable cannot read the file: no such file (ENOENT)',
    'image.json:1:1: warning lint/binary not linted: a binary file',
    `huge.yaml:1:1: warning lint/too-large not linted: ${huge.length} bytes is more than the 8388608 bytes a template can be`,
  ]);
  assert.equal(lines[4], '4 problems (2 errors, 2 warnings, 0 infos, 0 hints) in 5 files');
  // Only warnings: exit 0. In json mode, problems with the inputs also go to stderr.
  const warned = lintJson(['image.json', 'ok.eventpattern.json'], dir);
  assert.equal(warned.status, 0);
  assert.equal(warned.findings.length, 1);
  assert.match(warned.stderr, /image\.json: not linted: a binary file/);
});

test('a large template: the one problem at its line', () => {
  const lines = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:'];
  for (let i = 0; i < 500; i++) {
    lines.push(
      `  Rule${i}:`,
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern:',
      `        source: ${i === 250 ? 'x' : '[x]'}`,
    );
  }
  const dir = scratch({ 'big.yaml': lines.join('\n') + '\n' });
  const { status, findings } = lintJson(['big.yaml'], dir);
  assert.equal(status, 1);
  assert.deepEqual(
    findings.map((f) => [f.line, f.column, f.code]),
    [[5 * 250 + 7, 17, 'EB201']],
  );
});

test('syntax errors: errors on the line to fix, exit 1; only in the files lint reads', () => {
  const rule = (patternLines: string[]): string =>
    [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern:',
      ...patternLines.map((l) => `        ${l}`),
      '',
    ].join('\n');
  const jsonRule = (members: string[]): string =>
    [
      '{',
      '  "Resources": {',
      '    "Rule": {',
      '      "Type": "AWS::Events::Rule",',
      '      "Properties": {',
      '        "EventPattern": {',
      ...members.map((m) => `          ${m}`),
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');
  const dir = scratch({
    'missing-bracket.yaml': rule(['source: [aws.ec2', 'detail-type: [x]']),
    'unclosed-quote.yaml': rule(['source: ["aws.ec2]', 'detail-type: [x]']),
    'bad-indent.yaml': rule(['source: [aws.ec2]', '  detail-type: [x]']),
    'missing-comma.json': jsonRule(['"source": ["aws.ec2"]', '"detail-type": ["x"]']),
    'missing-bracket.json': jsonRule(['"source": ["aws.ec2"']),
    'broken.eventpattern.yaml': 'source: [aws.s3\n',
    'unbroken.yaml': rule(['source: [aws.ec2]']),
    // Not a template, a Serverless file or a pattern file: its syntax is not ours to judge.
    'workflow.yaml': 'jobs:\n  build: [a\n',
    'package.json': '{"name": "x" "version": "1"}\n',
  });
  const { status, findings } = lintJson(['*'], dir);
  assert.equal(status, 1);
  // The first syntax error of each file (jsonc-parser's recovery from a missing `]` adds more at the end).
  const syntax = findings
    .filter((f, i) => f.code === 'EB430' && !findings.slice(0, i).some((g) => g.code === 'EB430' && g.file === f.file))
    .map((f) => [f.file, f.line, f.severity]);
  assert.deepEqual(syntax, [
    ['bad-indent.yaml', 8, 'error'],
    ['broken.eventpattern.yaml', 1, 'error'],
    ['missing-bracket.json', 7, 'error'],
    ['missing-bracket.yaml', 7, 'error'],
    ['missing-comma.json', 7, 'error'],
    ['unclosed-quote.yaml', 7, 'error'],
  ]);
  const comma = findings.find((f) => f.file === 'missing-comma.json' && f.code === 'EB430');
  assert.deepEqual(comma && [comma.column, comma.message], [
    '          "source": ["aws.ec2"]'.length + 1,
    'JSON syntax error: Comma expected',
  ]);
  assert.ok(!findings.some((f) => ['workflow.yaml', 'package.json', 'unbroken.yaml'].includes(f.file)));
  // One broken file alone fails the run; the unbroken one passes.
  assert.equal(lint(['missing-comma.json'], dir).status, 1);
  assert.equal(lint(['unbroken.yaml', 'workflow.yaml', 'package.json'], dir).status, 0);
  // The text report names the line and the code.
  assert.match(
    lint(['missing-bracket.yaml'], dir).stdout,
    /^missing-bracket\.yaml:7:25: error EB430 YAML syntax error: /m,
  );
});

test('the other readers: a flow-style .template, Serverless without functions, a StackSet TemplateBody', () => {
  const dir = scratch({
    // YAML in flow style, not JSON: read as YAML, so the scalar match value is found at its place.
    'flow.template': '{Resources: {R: {Type: AWS::Events::Rule, Properties: {EventPattern: {source: aws.s3}}}}}\n',
    'plain.template':
      '{"Resources": {"R": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": {"source": "x"}}}}}\n',
    'serverless.yml': [
      'service: rules-only',
      'provider:',
      '  name: aws',
      'resources:',
      '  Resources:',
      '    Rule:',
      '      Type: AWS::Events::Rule',
      '      Properties:',
      '        EventPattern:',
      '          source: aws.s3',
      '',
    ].join('\n'),
    'stackset.yaml': [
      'Resources:',
      '  Set:',
      '    Type: AWS::CloudFormation::StackSet',
      '    Properties:',
      '      TemplateBody: |',
      '        Resources:',
      '          Rule:',
      '            Type: AWS::Events::Rule',
      '            Properties:',
      '              EventPattern:',
      '                source: [aws.s3',
      '                detail: {size: [{numeric: [">", "0"]}]}',
      '',
    ].join('\n'),
  });
  const { findings } = lintJson(['*'], dir);
  assert.deepEqual(
    findings.map((f) => [f.file, f.line, f.column, f.code]),
    [
      ['flow.template', 1, 79, 'EB201'],
      ['plain.template', 1, 93, 'EB201'],
      ['serverless.yml', 10, 19, 'EB201'],
      // The nested pattern has a syntax error: what a recovering parser makes of the rest of it is not reported.
      ['stackset.yaml', 11, 32, 'EB430'],
    ],
  );
});

test('a path that exists is taken as written, glob characters and all; a glob that matches nothing does not stop the rest', () => {
  const rule = 'Resources:\n  R:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern:\n        source: aws.s3\n';
  const dir = scratch({ '{{cookiecutter.name}}/template.yaml': rule, '[id]/template.yaml': rule });
  const literal = lintJson(['{{cookiecutter.name}}/template.yaml', '[id]/template.yaml'], dir);
  assert.equal(literal.status, 1);
  assert.deepEqual(
    literal.findings.map((f) => [f.file, f.line, f.code]),
    [
      ['{{cookiecutter.name}}/template.yaml', 6, 'EB201'],
      ['[id]/template.yaml', 6, 'EB201'],
    ],
  );
  const mixed = lintJson(['missing/**/*.yaml', '[id]/template.yaml'], dir);
  assert.equal(mixed.status, 1);
  assert.equal(mixed.findings.length, 1);
  assert.match(mixed.stderr, /warning: no files match missing\/\*\*\/\*\.yaml/);
});
