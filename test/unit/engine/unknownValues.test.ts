// Values unknown until deploy (intrinsics, `${...}` substitutions): every check that does not depend on them still
// runs, and the partial pattern marks exactly the conditions that hold them. The ASTs are built here as the
// document parser builds them: a `{"Ref": ...}` or `{"Fn::...": ...}` object becomes an unknown node, and a key
// written `${...}` becomes a key known only at deploy.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzePatternNode,
  compilePattern,
  describePartialPattern,
  parseJson,
  type Dialect,
  type PartialPattern,
  type PatternAnalysis,
} from '../../../server/src/engine';
import type { AstNode } from '../../../server/src/engine/jsonAst';

function isIntrinsic(node: AstNode): boolean {
  if (node.type !== 'object' || node.properties.length !== 1) return false;
  const key = node.properties[0].key.value;
  return key === 'Ref' || key.startsWith('Fn::');
}

function unknownOf(node: AstNode): AstNode {
  return { type: 'unknown', offset: node.offset, length: node.length, description: 'an intrinsic' };
}

/** Parses a pattern and turns its intrinsics and `${...}` keys into what is unknown until deploy. */
function withUnknowns(text: string): AstNode | undefined {
  const { root, errors } = parseJson(text);
  assert.deepEqual(errors, [], 'the test pattern must be JSON');
  const stack = root ? [root] : [];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'object') {
      for (const p of n.properties) {
        if (/^\$\{.*\}$/.test(p.key.value)) p.keyUnknown = 'a substitution';
        if (!p.value) continue;
        if (isIntrinsic(p.value)) p.value = unknownOf(p.value);
        else stack.push(p.value);
      }
    } else if (n.type === 'array') {
      n.items.forEach((item, i) => {
        if (isIntrinsic(item)) n.items[i] = unknownOf(item);
        else stack.push(item);
      });
    }
  }
  return root && isIntrinsic(root) ? unknownOf(root) : root;
}

function analyze(text: string, dialect?: Dialect): PatternAnalysis {
  return analyzePatternNode(withUnknowns(text), dialect ? { dialect } : {});
}

/** Each problem as [code, message]. */
function problems(text: string, dialect?: Dialect): [string, string][] {
  return analyze(text, dialect).problems.map((p) => [p.code, p.message]);
}

/** The partial pattern's sub-rules, each as `path: known values (+ unknown)` and its unknown parts. */
function shape(p: PartialPattern | undefined): { conditions: string[]; unknownParts: readonly string[] }[] | undefined {
  return p?.rules.map((r) => ({
    conditions: r.conditions.map((c) => {
      const known = c.matchers.map((m) => m.matcher.kind + ('value' in m.matcher ? ` ${String(m.matcher.value)}` : ''));
      return [`${c.path}:`, known.join(', '), c.unknown ? '+ unknown' : ''].filter((s) => s !== '').join(' ');
    }),
    unknownParts: r.unknownParts,
  }));
}

describe('the partial pattern', () => {
  test('an unknown value makes unknown only the condition that holds it', () => {
    const a = analyze(
      '{"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"bucket": {"name": [{"Ref": "B"}]}}}',
    );
    assert.deepEqual(a.problems, []);
    assert.equal(a.hasUnknownValues, true);
    assert.equal(a.pattern, undefined, 'nothing to match with');
    assert.equal(a.partialPattern?.complete, false);
    assert.deepEqual(shape(a.partialPattern), [
      {
        conditions: [
          'detail-type: exact-string Object Created',
          'detail.bucket.name: + unknown',
          'source: exact-string aws.s3',
        ],
        unknownParts: [],
      },
    ]);
  });

  test('known values beside an unknown one are kept, marked as not the whole condition', () => {
    const a = analyze('{"detail-type": ["A", {"Fn::ImportValue": "X"}], "detail": {"Fn::GetAtt": ["R", "A"]}}');
    assert.deepEqual(shape(a.partialPattern), [
      { conditions: ['detail: + unknown', 'detail-type: exact-string A + unknown'], unknownParts: [] },
    ]);
  });

  test('a match expression with an unknown operand makes its condition unknown', () => {
    for (const expression of [
      '{"prefix": {"Ref": "X"}}',
      '{"prefix": {"equals-ignore-case": {"Ref": "X"}}}',
      '{"numeric": [">", {"Ref": "P"}, "<", 5]}',
      '{"numeric": [{"Ref": "Op"}, 5]}',
      '{"numeric": {"Ref": "Range"}}',
      '{"anything-but": ["a", {"Ref": "X"}]}',
      '{"anything-but": {"prefix": {"Ref": "X"}}}',
      '{"anything-but": {"wildcard": ["a*", {"Ref": "X"}]}}',
      '{"exists": {"Ref": "X"}}',
      '{"cidr": {"Ref": "X"}}',
      '{"wildcard": {"Ref": "X"}}',
    ]) {
      const a = analyze(`{"source": ["a"], "detail": {"k": ["x", ${expression}]}}`);
      assert.deepEqual(a.problems, [], expression);
      assert.deepEqual(
        shape(a.partialPattern)?.[0]?.conditions,
        ['detail.k: exact-string x + unknown', 'source: exact-string a'],
        expression,
      );
    }
  });

  test('a $or branch unknown until deploy is a combination of its own, open where it joins', () => {
    const a = analyze('{"source": ["a"], "$or": [{"detail": {"x": ["1"]}}, {"Fn::If": ["C", {}, {}]}]}');
    assert.deepEqual(a.problems, [], 'two branches: no EB212');
    assert.deepEqual(shape(a.partialPattern), [
      { conditions: ['detail.x: exact-string 1', 'source: exact-string a'], unknownParts: [] },
      { conditions: ['source: exact-string a'], unknownParts: [''] },
    ]);
    const nested = analyze('{"source": ["a"], "detail": {"$or": {"Ref": "Branches"}}}');
    assert.deepEqual(shape(nested.partialPattern), [
      { conditions: ['source: exact-string a'], unknownParts: ['detail'] },
    ]);
  });

  test('a key known only at deploy: no check on it, and it may stand for any field', () => {
    const a = analyze('{"source": ["a"], "${Key}": ["b"], "detail": {"k": [{"${Op}": "x"}]}}');
    assert.deepEqual(a.problems, [], 'neither a field nor an operator can be judged');
    assert.deepEqual(shape(a.partialPattern), [
      { conditions: ['detail.k: + unknown', 'source: exact-string a'], unknownParts: [''] },
    ]);
  });

  test('a whole pattern unknown until deploy', () => {
    const a = analyze('{"Fn::If": ["C", {"a": ["b"]}, {"a": ["c"]}]}');
    assert.deepEqual(a.problems, []);
    assert.deepEqual(shape(a.partialPattern), [{ conditions: [], unknownParts: [''] }]);
  });

  test('a fully known pattern: complete, and the compiled pattern shares its sub-rules', () => {
    const a = analyze('{"source": ["a"], "$or": [{"b": ["1"]}, {"c": [2]}]}');
    assert.equal(a.hasUnknownValues, false);
    assert.equal(a.partialPattern?.complete, true);
    assert.ok(a.pattern);
    assert.deepEqual(
      a.pattern.rules,
      a.partialPattern.rules.map((r) => r.conditions),
    );
    assert.ok(
      a.partialPattern.rules.every((r) => r.unknownParts.length === 0 && r.conditions.every((c) => !c.unknown)),
    );
  });

  test('with an error there is neither pattern', () => {
    const a = analyze('{"source": "a", "detail": {"k": [{"Ref": "X"}]}}');
    assert.deepEqual(
      a.problems.map((p) => p.code),
      ['EB201'],
    );
    assert.equal(a.pattern, undefined);
    assert.equal(a.partialPattern, undefined);
  });

  test('described in plain words, saying what is known only at deploy', () => {
    const a = analyze('{"source": ["aws.s3"], "detail-type": ["A", {"Ref": "X"}], "detail": {"$or": {"Ref": "B"}}}');
    assert.equal(
      describePartialPattern(a.partialPattern!),
      'matches when detail-type is "A" or a value known only at deploy and source is "aws.s3" and conditions on detail known only at deploy',
    );
  });
});

describe('checks that do not depend on the unknown value still run', () => {
  test('a misspelt operator is reported whatever its operand', () => {
    assert.deepEqual(problems('{"k": [{"prefx": {"Ref": "X"}}]}'), [['EB207', 'Unrecognized match type prefx']]);
    assert.deepEqual(problems('{"k": [{"numric": [">", {"Ref": "P"}]}]}'), [
      ['EB207', 'Unrecognized match type numric'],
    ]);
    assert.deepEqual(problems('{"k": [{"Exists": {"Ref": "P"}}]}'), [['EB207', 'Unrecognized match type Exists']]);
    assert.deepEqual(problems('{"k": [{"anything-but": {"prefx": {"Ref": "X"}}}]}'), [
      ['EB321', 'Unsupported anything-but pattern: prefx'],
    ]);
    assert.deepEqual(problems('{"k": [{"prefix": {"equals-ignore-cas": {"Ref": "X"}}}]}'), [
      ['EB301', 'Unsupported prefix pattern: equals-ignore-cas'],
    ]);
  });

  test('one key per match expression', () => {
    assert.deepEqual(problems('{"k": [{"prefix": {"Ref": "X"}, "suffix": "a"}]}'), [
      ['EB206', 'Only one key allowed in match expression'],
    ]);
    assert.deepEqual(problems('{"k": [{"numeric": {"Ref": "X"}, "exists": true}]}'), [
      ['EB314', 'Too many elements in numeric expression'],
    ]);
  });

  test('the numeric expression around an unknown bound', () => {
    assert.deepEqual(problems('{"k": [{"numeric": ["=", {"Ref": "P"}, 5]}]}'), [
      ['EB314', 'Too many elements in numeric expression'],
    ]);
    assert.deepEqual(problems('{"k": [{"numeric": [">", {"Ref": "P"}, "<x", 5]}]}'), [
      ['EB316', 'Bad numeric range operator: <x'],
    ]);
    assert.deepEqual(problems('{"k": [{"numeric": [">", {"Ref": "P"}, "<", "5"]}]}'), [
      ['EB313', 'Value of < must be numeric'],
    ]);
    assert.deepEqual(problems('{"k": [{"numeric": [">", 1, {"Ref": "Op"}, 5, 6]}]}'), [
      ['EB317', 'Too many terms in numeric range expression'],
    ]);
    assert.deepEqual(problems('{"k": [{"numeric": ["~", {"Ref": "P"}]}]}'), [
      ['EB312', 'Unrecognized numeric range operator: ~'],
    ]);
  });

  test('anything-but lists around an unknown value', () => {
    assert.deepEqual(problems('{"k": [{"anything-but": ["a", 1, {"Ref": "X"}]}]}'), [
      ['EB323', 'Inside anything but list, either all values are number or string, mixed type is not supported'],
    ]);
    assert.deepEqual(problems('{"k": [{"anything-but": [true, {"Ref": "X"}]}]}'), [
      ['EB322', 'Inside anything but list, start|null|boolean is not supported.'],
    ]);
    assert.deepEqual(problems('{"k": [{"anything-but": {"prefix": ["", {"Ref": "X"}]}}]}'), [
      ['EB324', 'Null prefix/suffix not allowed'],
    ]);
    assert.deepEqual(problems('{"k": [{"anything-but": {"wildcard": ["a**", {"Ref": "X"}]}}]}'), [
      ['EB350', 'Consecutive wildcard characters at pos 2'],
    ]);
    assert.deepEqual(problems('{"k": [{"anything-but": {"equals-ignore-case": [1, {"Ref": "X"}]}}]}'), [
      ['EB325', 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
    ]);
  });

  test("the dialect's operators", () => {
    assert.deepEqual(problems('{"k": [{"wildcard": {"Ref": "X"}}]}', 'lambda'), [
      ['EB410', 'wildcard is not supported in Lambda event source mapping filter patterns'],
    ]);
    assert.deepEqual(problems('{"k": [{"anything-but": {"suffix": {"Ref": "X"}}}]}', 'pipes'), [
      ['EB410', 'anything-but/suffix is not supported in EventBridge Pipes filter patterns'],
    ]);
  });

  test('fields and $or around unknown values', () => {
    assert.deepEqual(problems('{"k": {"Ref": "X"}, "j": "bad"}'), [['EB201', '"j" must be an object or an array']]);
    assert.deepEqual(problems('{"$or": [{"prefix": {"Ref": "X"}}, {"b": ["c"]}]}'), [
      ['EB213', 'prefix is Ruler reserved fieldName which cannot be used inside $or.'],
    ]);
    assert.deepEqual(problems('{"$or": [{"Ref": "X"}]}'), [
      ['EB212', 'There must have at least 2 Objects in $or relationship.'],
    ]);
  });
});

describe('what runs patterns never gets one with unknown values', () => {
  test('no compiled pattern, whatever is known', () => {
    for (const text of [
      '{"source": [{"Ref": "S"}]}',
      '{"source": ["a"], "$or": [{"b": ["1"]}, {"Ref": "B"}]}',
      '{"${K}": ["a"]}',
      '{"k": [{"numeric": [">", {"Ref": "P"}]}]}',
    ]) {
      const a = analyze(text);
      assert.equal(a.hasUnknownValues, true, text);
      assert.equal(a.pattern, undefined, text);
      assert.ok(a.partialPattern, text);
    }
  });

  test('pattern text never holds unknown values: compilePattern is unchanged', () => {
    const c = compilePattern('{"source": ["a"], "detail": {"k": [{"prefix": "x"}]}}');
    assert.equal(c.ok, true);
  });
});

describe('messages quote the text the user wrote', () => {
  test('the source in a syntax message, and tokens', () => {
    const template = '{"account": ["${AWS::AccountId}"], "source": ["a"}';
    const parsed = parseJson('{"account": ["xxxxxxxxxxxxxxxxx"], "source": ["a"}', { displayText: template });
    assert.equal(
      parsed.errors[0]?.message,
      `Unexpected close marker '}': expected ']' (for Array starting at [Source: (String)"${template}"; line: 1, column: 46])`,
    );
    const token = parseJson('{"a": [xxxx]}', { displayText: '{"a": [${X}]}' });
    assert.match(token.errors[0]?.message ?? '', /^Unrecognized token '\$\{X\}': was expecting/);
    const char = parseJson('{"a": ["b" 0   ]}', { displayText: '{"a": ["b" ${X}]}' });
    assert.match(char.errors[0]?.message ?? '', /^Unexpected character \('\$' \(code 36\)\): was expecting comma/);
  });

  test('a display text of another length is ignored', () => {
    const parsed = parseJson('{"a": [}', { displayText: '{"a": [ }' });
    assert.match(parsed.errors[0]?.message ?? '', /Source: \(String\)"\{"a": \[\}"/);
  });
});
