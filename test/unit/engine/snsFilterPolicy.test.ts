// SNS subscription filter policies (dialect `sns`): validation with SNS's limits and wording, and messages run
// through policies in both scopes. Figures and examples follow the Amazon SNS developer guide.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzePatternText,
  compilePattern,
  explainSnsMessage,
  matchesSnsMessage,
  awsMessage,
  type CompiledPattern,
  type SnsFilterPolicyScope,
} from '../../../server/src/engine';

function codes(text: string, scope: SnsFilterPolicyScope = 'MessageAttributes'): string[] {
  return analyzePatternText(text, { dialect: 'sns', scope }).problems.map((p) => `${p.code} ${p.message}`);
}

function awsError(text: string, scope: SnsFilterPolicyScope = 'MessageAttributes'): string | undefined {
  const a = analyzePatternText(text, { dialect: 'sns', scope });
  return a.awsError ? awsMessage(a.awsError) : undefined;
}

function policy(text: string, scope: SnsFilterPolicyScope = 'MessageAttributes'): CompiledPattern {
  const c = compilePattern(text, { dialect: 'sns', scope });
  if (!c.ok) throw new Error(c.error.message);
  return c.pattern;
}

const attrs = (a: Record<string, { Type: string; Value: string }>) => ({ MessageAttributes: a });
const str = (Value: string) => ({ Type: 'String', Value });
const num = (Value: string) => ({ Type: 'Number', Value });
const arr = (Value: string) => ({ Type: 'String.Array', Value });

describe('SNS filter policy validation', () => {
  test('the shared reasons, in SNS words (InvalidParameter: FilterPolicy: ...)', () => {
    assert.equal(
      awsError('{"key":[{"wrong-operator":true}]}'),
      'Invalid parameter: FilterPolicy: Unrecognized match type wrong-operator',
    );
    assert.equal(
      awsError('{"key":[["value"]]}'),
      'Invalid parameter: FilterPolicy: Match value must be String, number, true, false, or null',
    );
    assert.equal(
      awsError('{"key":[{"numeric":[">",3,"<",1]}]}'),
      'Invalid parameter: FilterPolicy: Bottom must be less than top',
    );
    assert.equal(
      awsError('{"key_a":"value_one"}'),
      'Invalid parameter: FilterPolicy: "key_a" must be an object or an array',
    );
    const c = compilePattern('{"key":[{"exists":"no"}]}', { dialect: 'sns' });
    assert.equal(c.ok, false);
    assert.deepEqual(!c.ok && c.error, {
      code: 'InvalidParameter',
      message: 'Invalid parameter: FilterPolicy: exists match pattern must be either true or false.',
    });
  });

  test('MessageAttributes scope: no nested policy; MessageBody takes it', () => {
    const nested = '{"object":{"key":[{"prefix":"auto-"}]}}';
    assert.equal(
      awsError(nested, 'MessageAttributes'),
      'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy',
    );
    const a = analyzePatternText(nested, { dialect: 'sns', scope: 'MessageAttributes' });
    assert.equal(a.problems[0].offset, nested.indexOf('"object"'), 'on the nested key');
    assert.equal(a.pattern, undefined);
    assert.deepEqual(codes(nested, 'MessageBody'), []);
    // Nested inside a $or branch too.
    assert.match(codes('{"$or":[{"a":["1"]},{"b":{"c":["2"]}}]}').join(), /EB440/);
    // Default scope is MessageAttributes.
    assert.match(
      analyzePatternText(nested, { dialect: 'sns' })
        .problems.map((p) => p.code)
        .join(),
      /EB440/,
    );
  });

  test('at most five keys; only the top level counts in a nested policy', () => {
    const six = '{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}';
    assert.equal(awsError(six), 'Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys');
    const a = analyzePatternText(six, { dialect: 'sns' });
    assert.equal(a.problems[0].offset, six.indexOf('"f"'));
    assert.deepEqual(codes('{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"]}'), []);
    assert.deepEqual(codes('{"a":{"x":["1"],"y":["1"],"z":["1"],"w":["1"],"v":["1"],"u":["1"]}}', 'MessageBody'), []);
    // Each $or combination counts its own keys: 4 beside + 1 per branch = 5.
    assert.deepEqual(codes('{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"$or":[{"e":["1"]},{"f":["1"]}]}'), []);
    assert.match(
      codes('{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"$or":[{"e":["1"],"g":["1"]},{"f":["1"]}]}').join(),
      /EB441/,
    );
  });

  test('at most 150 combinations of values (the product of the array sizes; nested keys count their depth)', () => {
    const values = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => `v${i}`));
    assert.deepEqual(codes(`{"store":${values(150)}}`), []);
    assert.equal(awsError(`{"store":${values(151)}}`), 'Invalid parameter: FilterPolicy: Filter policy is too complex');
    // 3 x 1 x 2 = 6 (AWS's example) passes; 10 x 16 = 160 does not.
    assert.deepEqual(codes(`{"key_a":${values(3)},"key_b":${values(1)},"key_c":${values(2)}}`), []);
    assert.match(codes(`{"a":${values(10)},"b":${values(16)}}`).join(), /EB442 Filter policy is too complex/);
    // MessageBody: AWS's example 3 x 4 x 2 x 3 = 72 passes; depth 3 x 26 values x depth 2 x 1 value... > 150 fails.
    assert.deepEqual(
      codes(`{"key_a":{"key_b":{"key_c":${values(4)}}},"key_d":{"key_e":${values(3)}}}`, 'MessageBody'),
      [],
    );
    assert.match(
      codes(`{"key_a":{"key_b":{"key_c":${values(26)}}},"key_d":{"key_e":${values(1)}}}`, 'MessageBody').join(),
      /EB442/,
    );
    // $or combinations add up: 2 x 80 = 160.
    assert.match(codes(`{"$or":[{"a":${values(80)}},{"b":${values(80)}}]}`).join(), /EB442/);
    assert.deepEqual(codes(`{"$or":[{"a":${values(70)}},{"b":${values(80)}}]}`), []);
  });

  test('numbers beyond ±10^9 or with more than five decimals: a warning (SNS only promises that range)', () => {
    assert.deepEqual(codes('{"p":[{"numeric":[">",0,"<=",1000000000]}]}'), []);
    assert.deepEqual(codes('{"p":[{"numeric":["=",0.12345]}]}'), []);
    const [big] = analyzePatternText('{"p":[{"numeric":["<",1000000001]}]}', { dialect: 'sns' }).problems;
    assert.equal(big.code, 'EB443');
    assert.equal(big.severity, 'warning');
    assert.match(big.message, /1000000001 is outside that range/);
    assert.match(codes('{"p":[1.123456]}').join(), /EB443 .*1\.123456 is more precise than that/);
    // Warnings do not stop the policy from compiling.
    assert.ok(compilePattern('{"p":[{"numeric":["<",5e9]}]}', { dialect: 'sns' }).ok);
  });

  test('operators SNS does not take', () => {
    assert.match(
      codes('{"a":[{"wildcard":"x*"}]}').join(),
      /EB410 wildcard is not supported in SNS subscription filter patterns/,
    );
    assert.match(codes('{"a":[{"anything-but":{"suffix":"x"}}]}').join(), /EB410 anything-but\/suffix/);
    assert.match(codes('{"a":[{"anything-but":{"equals-ignore-case":"x"}}]}').join(), /EB411/);
    for (const ok of [
      '{"a":[{"prefix":"x"}]}',
      '{"a":[{"suffix":"x"}]}',
      '{"a":[{"equals-ignore-case":"x"}]}',
      '{"a":[{"anything-but":{"prefix":"x"}}]}',
      '{"a":[{"anything-but":["x","y"]}]}',
      '{"a":[{"cidr":"10.0.0.0/24"}]}',
      '{"a":[{"exists":false}]}',
      '{"a":[{"numeric":[">",0]}]}',
      '{"$or":[{"a":["1"]},{"b":["2"]}]}',
    ]) {
      assert.deepEqual(codes(ok), [], ok);
    }
  });

  test('size: at most 256 KB', () => {
    const big = `{"a":[${JSON.stringify('x'.repeat(256 * 1024))}]}`;
    assert.match(codes(big).join(), /EB444 The filter policy is \d+ bytes long; SNS allows at most 256 KB/);
    // EventBridge's 4096-character limit is not SNS's.
    assert.deepEqual(codes(`{"a":[${JSON.stringify('x'.repeat(5000))}]}`), []);
  });
});

describe('SNS messages through a policy', () => {
  test('String attributes: exact, prefix, anything-but (AWS examples)', () => {
    const p = policy('{"customer_interests":["rugby","tennis"]}');
    assert.equal(matchesSnsMessage(p, attrs({ customer_interests: str('rugby') })), true);
    assert.equal(matchesSnsMessage(p, attrs({ customer_interests: str('baseball') })), false);
    const prefix = policy('{"customer_interests":[{"prefix":"bas"}]}');
    assert.equal(matchesSnsMessage(prefix, attrs({ customer_interests: str('basketball') })), true);
    assert.equal(matchesSnsMessage(prefix, attrs({ customer_interests: str('rugby') })), false);
    const notPrefix = policy('{"event":[{"anything-but":{"prefix":"order-"}}]}');
    assert.equal(matchesSnsMessage(notPrefix, attrs({ event: str('order_number') })), true);
    assert.equal(matchesSnsMessage(notPrefix, attrs({ event: str('order-cancelled') })), false);
  });

  test('String.Array: matches when an element matches', () => {
    const p = policy('{"customer_interests":["rugby","tennis"]}');
    assert.equal(matchesSnsMessage(p, attrs({ customer_interests: arr('["rugby","tennis"]') })), true);
    assert.equal(matchesSnsMessage(p, attrs({ customer_interests: arr('["soccer","rugby","hockey"]') })), true);
    assert.equal(matchesSnsMessage(p, attrs({ customer_interests: arr('["baseball"]') })), false);
    // anything-but: AWS's example, ["rugby","baseball"] holds a value that is neither rugby nor tennis.
    const notP = policy('{"customer_interests":[{"anything-but":["rugby","tennis"]}]}');
    assert.equal(matchesSnsMessage(notP, attrs({ customer_interests: arr('["rugby","baseball"]') })), true);
    assert.equal(matchesSnsMessage(notP, attrs({ customer_interests: str('rugby') })), false);
    // The String.Array value is JSON text: a plain string there is not a String.Array.
    const bad = explainSnsMessage(p, attrs({ customer_interests: arr('rugby') }));
    assert.equal(bad.matched, false);
    assert.match(bad.error ?? '', /String\.Array whose value is not a JSON array/);
  });

  test('Number attributes compare as numbers; a String attribute does not', () => {
    const p = policy('{"price_usd":[{"numeric":["=",301.5]}]}');
    assert.equal(matchesSnsMessage(p, attrs({ price_usd: num('301.5') })), true);
    assert.equal(matchesSnsMessage(p, attrs({ price_usd: num('3.015e2') })), true);
    assert.equal(matchesSnsMessage(p, attrs({ price_usd: str('301.5') })), false);
    const range = policy('{"price_usd":[{"numeric":[">",0,"<=",150]}]}');
    assert.equal(matchesSnsMessage(range, attrs({ price_usd: num('150') })), true);
    assert.equal(matchesSnsMessage(range, attrs({ price_usd: num('150.5') })), false);
    const notNum = policy('{"price":[{"anything-but":[100,500]}]}');
    assert.equal(matchesSnsMessage(notNum, attrs({ price: num('100.1') })), true);
    assert.equal(matchesSnsMessage(notNum, attrs({ price: num('100') })), false);
    // Custom Number types (Number.float) are Numbers.
    assert.equal(matchesSnsMessage(p, attrs({ price_usd: { Type: 'Number.float', Value: '301.5' } })), true);
  });

  test('Binary attributes are ignored: they neither match nor exist', () => {
    const exists = policy('{"store":[{"exists":true}]}');
    assert.equal(matchesSnsMessage(exists, attrs({ store: str('fans') })), true);
    assert.equal(matchesSnsMessage(exists, attrs({ store: { Type: 'Binary', Value: 'AAE=' } })), false);
    assert.equal(matchesSnsMessage(exists, attrs({ store: num('99') })), true);
    const missing = policy('{"store":[{"exists":false}]}');
    assert.equal(matchesSnsMessage(missing, attrs({ other: str('x') })), true);
    assert.equal(matchesSnsMessage(missing, attrs({ store: str('x') })), false);
  });

  test('Publish-style attributes (DataType, StringValue) read the same', () => {
    const p = policy('{"store":["example_corp"]}');
    assert.equal(
      matchesSnsMessage(p, { MessageAttributes: { store: { DataType: 'String', StringValue: 'example_corp' } } }),
      true,
    );
  });

  test('a message without the attribute does not match; the policy ignores other attributes', () => {
    const p = policy('{"a":["1"]}');
    assert.equal(matchesSnsMessage(p, { Message: 'hello' }), false);
    assert.equal(matchesSnsMessage(p, attrs({ a: str('1'), b: str('2') })), true);
  });

  test('MessageBody: the JSON body runs like an event; non-JSON bodies never match', () => {
    const p = policy('{"object":{"key":[{"prefix":"auto-"}]}}', 'MessageBody');
    assert.equal(matchesSnsMessage(p, { Message: '{"object": {"key": "auto-test"}}' }, 'MessageBody'), true);
    assert.equal(matchesSnsMessage(p, { Message: { object: { key: 'auto-test' } } }, 'MessageBody'), true);
    assert.equal(matchesSnsMessage(p, { Message: '{"object": {"key": "manual"}}' }, 'MessageBody'), false);
    const x = explainSnsMessage(p, { Message: 'not json' }, 'MessageBody');
    assert.equal(x.matched, false);
    assert.match(x.reasons[0], /not a JSON object/);
    // Arrays in the body: any element.
    const q = policy('{"customer_interests":["rugby"]}', 'MessageBody');
    assert.equal(matchesSnsMessage(q, { Message: '{"customer_interests":["soccer","rugby"]}' }, 'MessageBody'), true);
    // Attributes do not count in MessageBody scope.
    assert.equal(
      matchesSnsMessage(q, { Message: '{}', MessageAttributes: { customer_interests: str('rugby') } }, 'MessageBody'),
      false,
    );
  });

  test('suffix, equals-ignore-case, cidr and $or', () => {
    assert.equal(matchesSnsMessage(policy('{"f":[{"suffix":"ball"}]}'), attrs({ f: str('baseball') })), true);
    assert.equal(matchesSnsMessage(policy('{"f":[{"equals-ignore-case":"RUGBY"}]}'), attrs({ f: str('rugby') })), true);
    const cidr = policy('{"source_ip":[{"cidr":"10.0.0.0/24"}]}');
    assert.equal(matchesSnsMessage(cidr, attrs({ source_ip: str('10.0.0.255') })), true);
    assert.equal(matchesSnsMessage(cidr, attrs({ source_ip: str('10.1.1.0') })), false);
    const or = policy(
      '{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}',
    );
    assert.equal(matchesSnsMessage(or, attrs({ source: str('aws.cloudwatch'), namespace: str('AWS/EC2') })), true);
    assert.equal(matchesSnsMessage(or, attrs({ source: str('aws.cloudwatch'), namespace: str('AWS/RDS') })), false);
  });

  test('explanations name the attribute', () => {
    const x = explainSnsMessage(policy('{"store":["example_corp"]}'), attrs({ store: str('other') }));
    assert.equal(x.matched, false);
    assert.match(x.reasons[0], /^store is "other"/);
  });

  test('unreadable messages get a reason, never a crash', () => {
    const p = policy('{"a":["1"]}');
    for (const m of [
      null,
      'text',
      [],
      { MessageAttributes: [] },
      { MessageAttributes: { a: 'x' } },
      { MessageAttributes: { a: { Value: '1' } } },
    ]) {
      const x = explainSnsMessage(p, m);
      assert.equal(x.matched, false);
      assert.ok(x.error, JSON.stringify(m));
    }
  });
});
