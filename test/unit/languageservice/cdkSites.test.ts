// Patterns in AWS CDK code (TypeScript, JavaScript): every form is found, modelled as the JSON CDK synthesizes, and
// checked on the code's own characters; unknown values are never flagged; quick fixes leave code that still parses.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { repoRoot } from '../repoPaths';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { toPlainValue } from '../../../server/src/engine/jsonAst';
import { loadGrammar, parseCode } from '../../../server/src/languageservice/parsing/codeGrammars';
import { grammarNeeded } from '../../../server/src/languageservice/sites/codeSites';

const ls = getLanguageService();
const HEAD = "import * as events from 'aws-cdk-lib/aws-events';\n";

before(async () => {
  await loadGrammar('typescript');
  await loadGrammar('tsx');
});

function docOf(text: string, uri = 'file:///app/lib/stack.ts'): TextDocument {
  return TextDocument.create(uri, uri.endsWith('.js') ? 'javascript' : 'typescript', 1, text);
}

function sitesOf(text: string, uri?: string) {
  return ls.analyze(docOf(text, uri)).sites.map((s) => ({
    kind: s.site.kind,
    dialect: s.site.dialect,
    name: s.site.name,
    pattern: toPlainValue(s.site.node),
  }));
}

/** Each diagnostic as its code and the code text it covers. */
function problems(text: string, uri?: string): { code: string; text: string }[] {
  const doc = docOf(text, uri);
  return ls.doValidation(doc).map((d) => ({
    code: String(d.code),
    text: text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end)),
  }));
}

describe('the CDK forms', () => {
  const fixture = readFileSync(join(repoRoot, 'test', 'fixtures', 'cdk', 'orderStack.ts'), 'utf8');

  test('every construct of the fixture stack is a site, with its kind, dialect and name', () => {
    const sites = sitesOf(fixture);
    assert.deepEqual(
      sites.map((s) => [s.kind, s.dialect, s.name]),
      [
        ['eventsRule', 'eventbus', 'OrderPlaced'],
        ['eventsRule', 'eventbus', 'orders'],
        ['eventsRule', 'eventbus', 'FromProps'],
        ['eventsArchive', 'archive', 'Archive'],
        ['eventsRule', 'eventbus', 'Cfn'],
        ['eventsRule', 'eventbus', 'typed'],
        ['eventsRule', 'eventbus', undefined],
        ['pipeFilter', 'pipes', undefined],
        ['eventSourceMappingFilter', 'lambda', undefined],
      ],
    );
  });

  test('the patterns are what CDK synthesizes: detail-type renamed, helpers expanded, CfnRule keys as written', () => {
    const [rule, added, , , cfn, typed, cast, pipe, filter] = sitesOf(fixture).map((s) => s.pattern);
    assert.deepEqual(rule, {
      source: ['com.example.orders'],
      'detail-type': ['Order Placed'],
      detail: {
        total: [{ numeric: ['>', 100] }],
        currency: [{ 'anything-but': ['XXX', 'YYY'] }],
        'customer-tier': [{ prefix: 'gold' }, 'platinum'],
        amount: 5,
      },
    });
    assert.deepEqual(added, { 'detail-type': ['Order Updated'] });
    assert.deepEqual(cfn, { 'detail-type': ['x'], detail: { n: [{ prefx: 'a' }] } });
    assert.deepEqual(typed, { source: ['aws.ec2'], detail: { state: ['running'] } });
    assert.deepEqual(cast, { source: ['aws.s3'], region: [{ 'anything-but': { prefix: ['us-gov'] } }] });
    assert.deepEqual(pipe, { body: { kind: ['a'] } });
    assert.deepEqual(filter, { body: { size: [{ numeric: ['>', 1, '<=', 10] }], flag: [{ exists: true }] } });
  });

  test('broken parts are reported on the code that writes them, and only those', () => {
    assert.deepEqual(problems(fixture), [
      { code: 'EB201', text: '5' },
      { code: 'EB207', text: 'prefx' },
    ]);
  });

  test('imports by any name: require, named imports with aliases, aws-cdk-lib submodules, @aws-cdk/aws-events', () => {
    const forms = [
      "const events = require('aws-cdk-lib/aws-events');\nnew events.Rule(this, 'A', { eventPattern: { source: ['x'] } });",
      "const { Rule: R } = require('@aws-cdk/aws-events');\nnew R(this, 'A', { eventPattern: { source: ['x'] } });",
      "import { Rule as R } from '@aws-cdk/aws-events';\nnew R(this, 'A', { eventPattern: { source: ['x'] } });",
      "import * as cdk from 'aws-cdk-lib';\nnew cdk.aws_events.Rule(this, 'A', { eventPattern: { source: ['x'] } });",
      "import { aws_events as e } from 'aws-cdk-lib';\nnew e.Rule(this, 'A', { eventPattern: { source: ['x'] } });",
    ];
    for (const text of forms)
      assert.deepEqual(sitesOf(text, 'file:///app/bin/app.js')[0]?.pattern, { source: ['x'] }, text);
  });

  test('a Rule of another library is not read', () => {
    const text = "import { Rule } from 'my-rules';\nnew Rule(this, 'A', { eventPattern: { source: 'x' } });";
    assert.deepEqual(sitesOf(text), []);
  });
});

describe('Match helpers', () => {
  const cases: [string, unknown][] = [
    ['Match.nullValue()', [null]],
    ['Match.exists()', [{ exists: true }]],
    ['Match.doesNotExist()', [{ exists: false }]],
    ["Match.exactString('a')", ['a']],
    ["Match.equalsIgnoreCase('a')", [{ 'equals-ignore-case': 'a' }]],
    ["Match.prefix('a')", [{ prefix: 'a' }]],
    ["Match.suffix('a')", [{ suffix: 'a' }]],
    ["Match.prefixEqualsIgnoreCase('a')", [{ prefix: { 'equals-ignore-case': 'a' } }]],
    ["Match.suffixEqualsIgnoreCase('a')", [{ suffix: { 'equals-ignore-case': 'a' } }]],
    ["Match.wildcard('a*')", [{ wildcard: 'a*' }]],
    ["Match.cidr('10.0.0.0/24')", [{ cidr: '10.0.0.0/24' }]],
    ["Match.ipAddressRange('10.0.0.0/24')", [{ cidr: '10.0.0.0/24' }]],
    ["Match.anythingBut('a')", [{ 'anything-but': ['a'] }]],
    ["Match.anythingButPrefix('a', 'b')", [{ 'anything-but': { prefix: ['a', 'b'] } }]],
    ["Match.anythingButSuffix('a')", [{ 'anything-but': { suffix: ['a'] } }]],
    ["Match.anythingButWildcard('a*')", [{ 'anything-but': { wildcard: ['a*'] } }]],
    ["Match.anythingButEqualsIgnoreCase('a')", [{ 'anything-but': { 'equals-ignore-case': ['a'] } }]],
    ['Match.greaterThan(1)', [{ numeric: ['>', 1] }]],
    ['Match.greaterThanOrEqual(1)', [{ numeric: ['>=', 1] }]],
    ['Match.lessThan(1)', [{ numeric: ['<', 1] }]],
    ['Match.lessThanOrEqual(1e3)', [{ numeric: ['<=', 1000] }]],
    ['Match.equal(-2)', [{ numeric: ['=', -2] }]],
    ['Match.interval(1, 2)', [{ numeric: ['>=', 1, '<=', 2] }]],
    ['Match.allOf(Match.greaterThan(1), Match.lessThan(2))', [{ numeric: ['>', 1, '<', 2] }]],
    ["Match.anyOf(Match.prefix('a'), 'b')", [{ prefix: 'a' }, 'b']],
  ];
  for (const [call, expected] of cases) {
    test(call, () => {
      const text = `import { Match, Rule } from 'aws-cdk-lib/aws-events';\nnew Rule(this, 'A', { eventPattern: { detail: { f: ${call} } } });`;
      assert.deepEqual(sitesOf(text)[0]?.pattern, { detail: { f: expected } });
      assert.deepEqual(problems(text), []);
    });
  }

  test("a helper's wrong operand is flagged on the operand", () => {
    const text = `${HEAD}new events.Rule(this, 'A', { eventPattern: { detail: { f: events.Match.greaterThan('ten') } } });`;
    assert.deepEqual(problems(text), [{ code: 'EB313', text: "'ten'" }]);
  });
});

describe('unknown values', () => {
  test('identifiers, calls, template literals with substitutions, spreads and computed keys are never flagged', () => {
    const text = `${HEAD}new events.Rule(this, 'A', { eventPattern: {
  source: [props.source, cfg.get('s'), \`app.\${stage}\`],
  detailType: props.types,
  detail: { ...base, [key]: ['x'], size: events.Match.greaterThan(limit), when: events.Match.unknownHelper(1) },
} });`;
    assert.deepEqual(problems(text), []);
  });

  test('an unknown value does not hide a broken neighbour', () => {
    const text = `${HEAD}new events.Rule(this, 'A', { eventPattern: { source: [props.s], detail: { n: [{ numeric: ['>'] }] } } });`;
    assert.equal(problems(text).length, 1);
  });
});

describe('quick fixes in code', () => {
  function fixesOf(text: string): { d: Diagnostic; actions: CodeAction[]; doc: TextDocument }[] {
    const doc = docOf(text);
    return ls
      .doValidation(doc)
      .map((d) => ({ d, doc, actions: ls.doCodeActions(doc, d.range, { diagnostics: [d], only: ['quickfix'] }) }));
  }
  function apply(doc: TextDocument, action: CodeAction): string {
    return TextDocument.applyEdits(doc, action.edit!.changes![doc.uri]);
  }

  test('wrap a scalar, correct an operator, rename a misspelt envelope key: the code still parses, the problem is gone', () => {
    const text = `${HEAD}new events.CfnRule(this, 'A', { eventPattern: { source: ['aws.s3'], detail: { size: 5, n: [{ Prefix: 'a' }] } } });
new events.Rule(this, 'B', { eventPattern: { source: ['aws.s3'], detail: { key: ["it's"] } } });`;
    const fixes = fixesOf(text);
    assert.deepEqual(
      fixes.map((f) => f.actions.map((a) => a.title)),
      [['Wrap the value in an array (a match list)'], ['Change Prefix to prefix (operators are lower-case)']],
    );
    for (const { doc, actions } of fixes) {
      const fixed = apply(doc, actions[0]);
      const tree = parseCode('typescript', fixed)!;
      try {
        assert.equal(tree.rootNode.hasError, false, fixed);
      } finally {
        tree.delete();
      }
      assert.equal(problems(fixed).length, 1, fixed);
    }
  });

  test('no fix is offered for what a helper call makes up', () => {
    const text = `${HEAD}new events.Rule(this, 'A', { eventPattern: { detail: { f: [events.Match.prefix('a')] } } });`;
    const fixes = fixesOf(text);
    assert.equal(fixes.length, 1);
    assert.deepEqual(fixes[0].actions, []);
  });

  test('no conversion to a JSON string is offered in code', () => {
    const text = `${HEAD}new events.Rule(this, 'A', { eventPattern: { source: ['aws.s3'] } });`;
    const doc = docOf(text);
    const at = doc.positionAt(text.indexOf('source'));
    assert.deepEqual(ls.doCodeActions(doc, { start: at, end: at }, { diagnostics: [] }), []);
  });
});

describe('completion and hover in code', () => {
  function complete(src: string, uri?: string) {
    const at = src.indexOf('|');
    const doc = docOf(src.slice(0, at) + src.slice(at + 1), uri);
    return ls.doComplete(doc, doc.positionAt(at))?.items ?? [];
  }

  test("envelope keys in CDK's spelling, with a list to type in", () => {
    const items = complete(`${HEAD}new events.Rule(this, 'A', { eventPattern: { source: ['aws.s3'], | } });`);
    const detailType = items.find((i) => i.label === 'detailType');
    assert.ok(detailType, items.map((i) => i.label).join());
    assert.equal(detailType.textEdit?.newText, 'detailType: [$1]');
    assert.ok(!items.some((i) => i.label === 'source'), 'a key already written is not offered');
  });

  test('CfnRule takes EventBridge names, quoted where they are not identifiers', () => {
    const items = complete(`${HEAD}new events.CfnRule(this, 'A', { eventPattern: { | } });`);
    assert.equal(items.find((i) => i.label === 'detail-type')?.textEdit?.newText, "'detail-type': [$1]");
  });

  test('detail-types of the chosen source, quoted as the file quotes', () => {
    const items = complete(
      `${HEAD}new events.Rule(this, "A", { eventPattern: { source: ["aws.s3"], detailType: ["|"] } });`,
    );
    const created = items.find((i) => i.label === 'Object Created');
    assert.equal(created?.textEdit?.newText, '"Object Created"');
  });

  test('hover on an operator produced by a Match helper explains the operator', () => {
    const text = `${HEAD}new events.Rule(this, 'A', { eventPattern: { source: [events.Match.prefix('aws.')] } });`;
    const doc = docOf(text.replace('[events.Match.prefix', 'events.Match.prefix').replace("')] }", "') }"));
    const hover = ls.doHover(doc, doc.positionAt(doc.getText().indexOf('prefix') + 2));
    assert.match(JSON.stringify(hover?.contents), /prefix/);
  });
});

describe('reading code is cheap', () => {
  test('a source file that names no pattern construct needs no grammar', () => {
    assert.equal(grammarNeeded('export const x = 1;', 'file:///a.ts'), undefined);
    assert.equal(grammarNeeded("import * as events from 'aws-cdk-lib/aws-events';", 'file:///a.ts'), 'typescript');
    assert.equal(grammarNeeded("import * as events from 'aws-cdk-lib/aws-events';", 'file:///a.jsx'), 'tsx');
    assert.equal(grammarNeeded('EventPattern', 'file:///a.d.ts'), undefined);
  });
});
