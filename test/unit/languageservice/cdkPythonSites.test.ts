// Patterns in AWS CDK code written in Python: every form is found, modelled as the JSON CDK synthesizes (snake_case
// keyword arguments renamed, helpers expanded), checked on the code's own characters; unknown values are never
// flagged; quick fixes and completions write Python that still parses.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { repoRoot } from '../repoPaths';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { toPlainValue } from '../../../server/src/engine/jsonAst';
import { loadGrammar, parseCode } from '../../../server/src/languageservice/parsing/codeGrammars';
import { grammarNeeded } from '../../../server/src/languageservice/sites/codeSites';
import { decodePythonString } from '../../../server/src/languageservice/sites/cdkPythonSites';

const ls = getLanguageService();
const HEAD = 'from aws_cdk import aws_events as events\n';

before(async () => {
  await loadGrammar('python');
});

function docOf(text: string, uri = 'file:///app/stacks/stack.py'): TextDocument {
  return TextDocument.create(uri, 'python', 1, text);
}

function sitesOf(text: string) {
  return ls.analyze(docOf(text)).sites.map((s) => ({
    kind: s.site.kind,
    dialect: s.site.dialect,
    name: s.site.name,
    pattern: toPlainValue(s.site.node),
  }));
}

/** Each diagnostic as its code and the code text it covers. */
function problems(text: string): { code: string; text: string }[] {
  const doc = docOf(text);
  return ls.doValidation(doc).map((d) => ({
    code: String(d.code),
    text: text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end)),
  }));
}

/** Asserts that Python code parses without a syntax error. */
function assertParses(code: string): void {
  const tree = parseCode('python', code)!;
  try {
    assert.equal(tree.rootNode.hasError, false, code);
  } finally {
    tree.delete();
  }
}

describe('the CDK Python forms', () => {
  const fixture = readFileSync(join(repoRoot, 'test', 'fixtures', 'cdk', 'order_stack.py'), 'utf8');

  test('every construct of the fixture stack is a site, with its kind, dialect and name', () => {
    assert.deepEqual(
      sitesOf(fixture).map((s) => [s.kind, s.dialect, s.name]),
      [
        ['eventsRule', 'eventbus', 'OrderPlaced'],
        ['eventsRule', 'eventbus', 'orders'],
        ['eventsRule', 'eventbus', 'FromProps'],
        ['eventsArchive', 'archive', 'Archive'],
        ['eventsRule', 'eventbus', 'Cfn'],
        ['eventsRule', 'eventbus', 'typed'],
        ['pipeFilter', 'pipes', undefined],
        ['eventSourceMappingFilter', 'lambda', undefined],
      ],
    );
  });

  test('the patterns are what CDK synthesizes: detail_type renamed, helpers expanded, CfnRule keys as written', () => {
    const [rule, added, fromProps, archive, cfn, typed, pipe, filter] = sitesOf(fixture).map((s) => s.pattern);
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
    // Unknown values (a parameter, an f-string, an unpacked dict) are left out of the plain value.
    assert.deepEqual(Object.keys(fromProps as object), ['source', 'detail-type', 'detail']);
    assert.deepEqual(Object.keys(archive as object), ['account']);
    assert.deepEqual(cfn, { 'detail-type': ['x'], detail: { n: [{ prefx: 'a' }] } });
    assert.deepEqual(typed, { source: ['aws.ec2'], detail: { state: ['running'], ok: [true, null] } });
    assert.deepEqual(pipe, { body: { kind: ['a'] } });
    assert.deepEqual(filter, { body: { size: [{ numeric: ['>', 1, '<=', 10] }], flag: [{ exists: true }] } });
  });

  test('broken parts are reported on the code that writes them, and only those', () => {
    const found = problems(fixture);
    assert.deepEqual(found, [
      { code: 'EB201', text: '5' },
      { code: 'EB207', text: '"prefx"' },
    ]);
    const doc = docOf(fixture);
    const lines = ls.doValidation(doc).map((d) => d.range.start.line + 1);
    assert.deepEqual(lines, [24, 31]);
  });

  test('imports in their Python forms, by any alias', () => {
    const forms = [
      'from aws_cdk import aws_events as events\nevents.Rule(self, "A", event_pattern=events.EventPattern(source=["x"]))',
      'from aws_cdk import (\n    Stack,\n    aws_events,\n)\naws_events.Rule(self, "A", event_pattern=aws_events.EventPattern(source=["x"]))',
      'import aws_cdk.aws_events as eb\neb.Rule(self, "A", event_pattern=eb.EventPattern(source=["x"]))',
      'import aws_cdk.aws_events\naws_cdk.aws_events.Rule(self, "A", event_pattern={"source": ["x"]})',
      'import aws_cdk as cdk\ncdk.aws_events.Rule(self, "A", event_pattern={"source": ["x"]})',
      'from aws_cdk.aws_events import Rule as R, EventPattern as P\nR(self, "A", event_pattern=P(source=["x"]))',
      'from aws_cdk.aws_events import (Rule, EventPattern)\nRule(self, "A", event_pattern=EventPattern(source=["x"]))',
    ];
    for (const text of forms) assert.deepEqual(sitesOf(text)[0]?.pattern, { source: ['x'] }, text);
  });

  test("other libraries' Rule, Match and FilterPattern are not read", () => {
    const texts = [
      'from my_rules import Rule\nRule(self, "A", event_pattern={"source": "x"})',
      'from aws_cdk import aws_logs as logs\nlogs.FilterPattern.from_object({"a": 1})',
      'import my_events as events\nevents.Rule(self, "A", event_pattern={"source": "x"})',
    ];
    for (const text of texts) assert.deepEqual(sitesOf(text), [], text);
    // assertions' Match is not events.Match: the value stays unknown, never flagged.
    const assertions = `${HEAD}from aws_cdk.assertions import Match\nevents.EventPattern(source=Match.object_like({}))`;
    assert.deepEqual(problems(assertions), []);
  });

  test('a name given as event_pattern is read when the function assigns it once, before the call', () => {
    const text = `${HEAD}def make(self):\n    pattern = {"source": ["x"], "detail": {"n": 5}}\n    events.CfnRule(self, "C", event_pattern=pattern)\n`;
    assert.deepEqual(sitesOf(text), [
      { kind: 'eventsRule', dialect: 'eventbus', name: 'C', pattern: { source: ['x'], detail: { n: 5 } } },
    ]);
    const twice = text.replace('    events.CfnRule', '    pattern = other()\n    events.CfnRule');
    assert.deepEqual(sitesOf(twice), []);
  });
});

describe('Match and FilterRule helpers by their Python names', () => {
  const match: [string, unknown][] = [
    ['Match.null_value()', [null]],
    ['Match.exists()', [{ exists: true }]],
    ['Match.does_not_exist()', [{ exists: false }]],
    ['Match.exact_string("a")', ['a']],
    ['Match.equals_ignore_case("a")', [{ 'equals-ignore-case': 'a' }]],
    ['Match.prefix("a")', [{ prefix: 'a' }]],
    ['Match.suffix("a")', [{ suffix: 'a' }]],
    ['Match.prefix_equals_ignore_case("a")', [{ prefix: { 'equals-ignore-case': 'a' } }]],
    ['Match.suffix_equals_ignore_case("a")', [{ suffix: { 'equals-ignore-case': 'a' } }]],
    ['Match.wildcard("a*")', [{ wildcard: 'a*' }]],
    ['Match.cidr("10.0.0.0/24")', [{ cidr: '10.0.0.0/24' }]],
    ['Match.ip_address_range("10.0.0.0/24")', [{ cidr: '10.0.0.0/24' }]],
    ['Match.anything_but("a")', [{ 'anything-but': ['a'] }]],
    ['Match.anything_but_prefix("a", "b")', [{ 'anything-but': { prefix: ['a', 'b'] } }]],
    ['Match.anything_but_suffix("a")', [{ 'anything-but': { suffix: ['a'] } }]],
    ['Match.anything_but_wildcard("a*")', [{ 'anything-but': { wildcard: ['a*'] } }]],
    ['Match.anything_but_equals_ignore_case("a")', [{ 'anything-but': { 'equals-ignore-case': ['a'] } }]],
    ['Match.greater_than(1)', [{ numeric: ['>', 1] }]],
    ['Match.greater_than_or_equal(1.5)', [{ numeric: ['>=', 1.5] }]],
    ['Match.less_than(1)', [{ numeric: ['<', 1] }]],
    ['Match.less_than_or_equal(1e3)', [{ numeric: ['<=', 1000] }]],
    ['Match.equal(-2)', [{ numeric: ['=', -2] }]],
    ['Match.interval(1, 2)', [{ numeric: ['>=', 1, '<=', 2] }]],
    ['Match.all_of(Match.greater_than(1), Match.less_than(2))', [{ numeric: ['>', 1, '<', 2] }]],
    ['Match.any_of(Match.prefix("a"), "b")', [{ prefix: 'a' }, 'b']],
  ];
  for (const [call, expected] of match) {
    test(call, () => {
      const text = `from aws_cdk.aws_events import Match, Rule\nRule(self, "A", event_pattern={"detail": {"f": ${call}}})`;
      assert.deepEqual(sitesOf(text)[0]?.pattern, { detail: { f: expected } });
      assert.deepEqual(problems(text), []);
    });
  }

  const filterRule: [string, unknown][] = [
    ['FilterRule.null()', [null]],
    ['FilterRule.empty()', ['']],
    ['FilterRule.is_equal("a")', ['a']],
    ['FilterRule.is_equal(3)', [{ numeric: ['=', 3] }]],
    ['FilterRule.or_("a", "b")', ['a', 'b']],
    ['FilterRule.not_equals("a")', [{ 'anything-but': ['a'] }]],
    ['FilterRule.between(1, 10)', [{ numeric: ['>', 1, '<=', 10] }]],
    ['FilterRule.exists()', [{ exists: true }]],
    ['FilterRule.not_exists()', [{ exists: false }]],
    ['FilterRule.begins_with("a")', [{ prefix: 'a' }]],
  ];
  for (const [call, expected] of filterRule) {
    test(call, () => {
      const text = `from aws_cdk.aws_lambda import FilterCriteria, FilterRule\nFilterCriteria.filter({"body": {"f": ${call}}})`;
      assert.deepEqual(sitesOf(text)[0]?.pattern, { body: { f: expected } });
      assert.deepEqual(problems(text), []);
    });
  }

  test("a helper's wrong operand is flagged on the operand", () => {
    const text = `${HEAD}events.EventPattern(detail={"f": events.Match.greater_than("ten")})`;
    assert.deepEqual(problems(text), [{ code: 'EB313', text: '"ten"' }]);
  });
});

describe('Python literals', () => {
  test('strings in every quoting, adjacent literals, escapes, raw strings and f-strings without fields', () => {
    const cases: [string, string][] = [
      ["'a'", 'a'],
      ['"a"', 'a'],
      ["'''a'''", 'a'],
      ['"""a\nb"""', 'a\nb'],
      ['"a" \'b\'', 'ab'],
      ['"\\x41\\u00e9\\n\\q"', 'Aé\n\\q'],
      ['r"\\d+"', '\\d+'],
      ['f"{{literal}}"', '{literal}'],
      ['U"x"', 'x'],
    ];
    for (const [literal, value] of cases) assert.equal(decodePythonString(literal), value, literal);
    for (const unknown of ['f"{x}"', 'b"x"', '"\\N{BULLET}"']) assert.equal(decodePythonString(unknown), undefined);
  });

  test('numbers, True/False/None, lists and tuples', () => {
    const text = `${HEAD}events.EventPattern(detail={"n": [1_000, -2.5, 0x10], "b": [True, False, None], "t": ("a", "b")})`;
    assert.deepEqual(sitesOf(text)[0]?.pattern, {
      detail: { n: [1000, -2.5, 16], b: [true, false, null], t: ['a', 'b'] },
    });
  });
});

describe('unknown values', () => {
  test('names, attributes, calls, f-strings, comprehensions, splats and computed keys are never flagged', () => {
    const text = `${HEAD}events.Rule(self, f"rule-{stage}", event_pattern=events.EventPattern(
    source=[props.source, cfg.get("s"), f"app.{stage}"],
    detail_type=types,
    detail={**base, key: ["x"], "size": events.Match.greater_than(limit), "when": events.Match.unknown_helper(1),
            "ids": [i for i in ids], "many": events.Match.any_of(*values)},
    **more,
))`;
    assert.deepEqual(problems(text), []);
  });

  test('an unknown value does not hide a broken neighbour', () => {
    const text = `${HEAD}events.EventPattern(source=[props.s], detail={"n": [{"numeric": [">"]}]})`;
    assert.equal(problems(text).length, 1);
  });
});

describe('quick fixes in Python', () => {
  function fixesOf(text: string): { d: Diagnostic; actions: CodeAction[]; doc: TextDocument }[] {
    const doc = docOf(text);
    return ls
      .doValidation(doc)
      .map((d) => ({ d, doc, actions: ls.doCodeActions(doc, d.range, { diagnostics: [d], only: ['quickfix'] }) }));
  }
  function apply(doc: TextDocument, action: CodeAction): string {
    return TextDocument.applyEdits(doc, action.edit!.changes![doc.uri]);
  }

  test('wrap a scalar, correct an operator, rename a misspelt key: the code still parses, the problem is gone', () => {
    const text = `${HEAD}events.CfnRule(self, "A", event_pattern={"source": ["aws.s3"], "detail": {"size": 5, "n": [{"Prefix": "a"}]}})
events.EventPattern(source=["aws.s3"], detailType=["Object Created"], detail={"key": ["it's"]})
events.Rule(self, "B", event_pattern={"source": ["aws.s3"], "detailType": ["Object Created"]})
`;
    const fixes = fixesOf(text);
    assert.equal(fixes.length, 4, JSON.stringify(fixes.map((f) => f.d.code)));
    const fixed: string[] = [];
    for (const { doc, actions } of fixes) {
      assert.ok(actions.length > 0, 'a fix is offered');
      const after = apply(doc, actions[0]);
      assertParses(after);
      assert.equal(problems(after).length, 3, after);
      fixed.push(after.slice(doc.offsetAt(actions[0].edit!.changes![doc.uri][0].range.start)).split(/[,)}]/)[0]);
    }
    assert.deepEqual(fixed, [
      '[5]',
      '"prefix": "a"',
      'detail_type=["Object Created"]',
      '"detail_type": ["Object Created"]',
    ]);
  });

  test('no fix is offered for what a helper call makes up', () => {
    const text = `${HEAD}events.EventPattern(detail={"f": [events.Match.prefix("a")]})`;
    const fixes = fixesOf(text);
    assert.equal(fixes.length, 1);
    assert.deepEqual(fixes[0].actions, []);
  });
});

describe('completion and hover in Python', () => {
  function complete(src: string) {
    const at = src.indexOf('|');
    const doc = docOf(src.slice(0, at) + src.slice(at + 1));
    return { items: ls.doComplete(doc, doc.positionAt(at))?.items ?? [], doc, at };
  }

  test("EventPattern's keyword arguments in snake_case, and no $or (it is no keyword of EventPattern)", () => {
    const { items } = complete(`${HEAD}events.EventPattern(source=["aws.s3"], |)`);
    const detailType = items.find((i) => i.label === 'detail_type');
    assert.ok(detailType, items.map((i) => i.label).join());
    assert.equal(detailType.textEdit?.newText, 'detail_type=[$1]');
    assert.ok(!items.some((i) => i.label === 'source'), 'a key already written is not offered');
    assert.ok(!items.some((i) => i.label === '$or'));
  });

  test("a Rule's dict takes EventPattern's snake_case names as strings; a CfnRule's EventBridge's", () => {
    const rule = complete(`${HEAD}events.Rule(self, "A", event_pattern={|})`).items;
    assert.equal(rule.find((i) => i.label === 'detail_type')?.textEdit?.newText, '"detail_type": [$1]');
    const cfn = complete(`${HEAD}events.CfnRule(self, "A", event_pattern={|})`).items;
    assert.equal(cfn.find((i) => i.label === 'detail-type')?.textEdit?.newText, '"detail-type": [$1]');
    assert.ok(cfn.some((i) => i.label === '$or'));
  });

  test('detail-types of the chosen source, and the completed code parses', () => {
    const { items, doc } = complete(`${HEAD}events.EventPattern(source=["aws.s3"], detail_type=["|"])`);
    const created = items.find((i) => i.label === 'Object Created');
    assert.equal(created?.textEdit?.newText, '"Object Created"');
    const edit = created.textEdit as TextEdit;
    assertParses(TextDocument.applyEdits(doc, [edit]));
  });

  test('hover on an operator produced by a Match helper explains the operator', () => {
    const text = `${HEAD}events.EventPattern(source=events.Match.prefix("aws."))`;
    const doc = docOf(text);
    const hover = ls.doHover(doc, doc.positionAt(text.indexOf('prefix') + 2));
    assert.match(JSON.stringify(hover?.contents), /prefix/);
  });
});

describe('code being typed', () => {
  test('every prefix of a stack, as it is typed, is read, validated, completed and hovered without a throw', () => {
    const full = `${HEAD}events.Rule(self, "A", event_pattern=events.EventPattern(source=["a\\"b", f"{x}"], detail_type=["X"],
    detail={"n": [{"numeric": [">", 1]}], "s": events.Match.any_of(events.Match.prefix("a"), *v), **k}))
rule.add_event_pattern(source=["""x\ny"""], detail={b"k": [1j], 'm': (-1, +2.5e3)})
`;
    for (let i = 0; i <= full.length; i++) {
      const doc = docOf(full.slice(0, i));
      ls.doValidation(doc);
      ls.doComplete(doc, doc.positionAt(i));
      ls.doHover(doc, doc.positionAt(Math.max(0, i - 1)));
    }
    assert.deepEqual(problems(full), []);
    // The bytes key is unknown (no JSON text); the tuple and the signed numbers are read.
    const added = sitesOf(full)[1]?.pattern as { source: unknown; detail: Record<string, unknown> };
    assert.deepEqual(added.source, ['x\ny']);
    assert.deepEqual(added.detail.m, [-1, 2500]);
  });
});

describe('reading Python is cheap', () => {
  test('a Python file that names no pattern construct needs no grammar', () => {
    assert.equal(grammarNeeded('import os\nprint(1)\n', 'file:///a.py'), undefined);
    assert.equal(grammarNeeded(HEAD, 'file:///a.py'), 'python');
  });
});
