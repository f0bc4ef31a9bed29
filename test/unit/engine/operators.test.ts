// Edge cases of each operator, beyond the recorded corpus, as SEMANTICS.md and AWS's behaviour define them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matches, awsReason } from './engineTestKit';

describe('exact values', () => {
  test('numbers match by value when exactly representable', () => {
    assert.equal(matches('{"a":[300]}', '{"a":3.0e2}'), true);
    assert.equal(matches('{"a":[300]}', '{"a":300.0}'), true);
    assert.equal(matches('{"a":[0.1]}', '{"a":1e-1}'), true);
    assert.equal(matches('{"a":[300]}', '{"a":"300"}'), false, 'a string is not a number');
  });
  test('numbers beyond a double match only their exact spelling', () => {
    assert.equal(matches('{"a":[12345678901234567890]}', '{"a":12345678901234567890}'), true);
    assert.equal(matches('{"a":[12345678901234567890]}', '{"a":12345678901234567891}'), false);
    assert.equal(matches('{"a":[12345678901234567890]}', '{"a":1.234567890123456789e19}'), false);
  });
  test('true, false and null match only their literals', () => {
    assert.equal(matches('{"a":[true]}', '{"a":true}'), true);
    assert.equal(matches('{"a":["true"]}', '{"a":true}'), false);
    assert.equal(matches('{"a":[null]}', '{"a":null}'), true);
    assert.equal(matches('{"a":[null]}', '{"b":1}'), false, 'null is not missing');
    assert.equal(matches('{"a":[""]}', '{"a":null}'), false);
    assert.equal(matches('{"a":[""]}', '{"a":""}'), true);
  });
  test('strings that look like IP addresses match any spelling of the address', () => {
    assert.equal(matches('{"ip":["2001:db8::1"]}', '{"ip":"2001:0db8:0:0:0:0:0:1"}'), true);
    assert.equal(matches('{"ip":["10.0.0.1"]}', '{"ip":"10.0.0.1"}'), true);
    assert.equal(matches('{"ip":["10.0.0.1"]}', '{"ip":"10.0.0.2"}'), false);
  });
  test('an event array matches when any element does', () => {
    assert.equal(matches('{"a":["x"]}', '{"a":["y","x"]}'), true);
    assert.equal(matches('{"a":["x"]}', '{"a":[]}'), false);
  });
  test('duplicate pattern keys: the last one wins', () => {
    assert.equal(matches('{"a":["x"],"a":["y"]}', '{"a":"y"}'), true);
    assert.equal(matches('{"a":["x"],"a":["y"]}', '{"a":"x"}'), false);
  });
  test('dotted keys equal nesting, in patterns and events', () => {
    assert.equal(matches('{"a.b":["x"]}', '{"a":{"b":"x"}}'), true);
    assert.equal(matches('{"a":{"b":["x"]}}', '{"a.b":"x"}'), true);
  });
});

describe('prefix, suffix, equals-ignore-case', () => {
  test('empty prefix matches every string but no number', () => {
    assert.equal(matches('{"a":[{"prefix":""}]}', '{"a":""}'), true);
    assert.equal(matches('{"a":[{"prefix":""}]}', '{"a":5}'), false);
  });
  test('suffix and its ignore-case form', () => {
    assert.equal(matches('{"f":[{"suffix":".png"}]}', '{"f":"a.png"}'), true);
    assert.equal(matches('{"f":[{"suffix":".png"}]}', '{"f":"a.PNG"}'), false);
    assert.equal(matches('{"f":[{"suffix":{"equals-ignore-case":".png"}}]}', '{"f":"a.PnG"}'), true);
  });
  test('prefix ignore-case and equals-ignore-case fold per character (ß matches SS)', () => {
    assert.equal(matches('{"s":[{"prefix":{"equals-ignore-case":"EVENTB"}}]}', '{"s":"eventbridge"}'), true);
    assert.equal(matches('{"s":[{"equals-ignore-case":"straße"}]}', '{"s":"STRASSE"}'), true);
    assert.equal(matches('{"s":[{"equals-ignore-case":"i"}]}', '{"s":"İ"}'), false);
    assert.equal(matches('{"s":[{"equals-ignore-case":"abc"}]}', '{"s":"abcd"}'), false);
  });
  test('prefix with a nested operator other than equals-ignore-case is rejected', () => {
    assert.equal(awsReason('{"a":[{"prefix":{"wildcard":"x"}}]}'), 'Unsupported prefix pattern: wildcard');
    assert.equal(awsReason('{"a":[{"suffix":{}}]}'), 'Suffix expression name not found');
  });
});

describe('wildcard', () => {
  test('a star matches zero or more characters', () => {
    assert.equal(matches('{"k":[{"wildcard":"*bc"}]}', '{"k":"bc"}'), true);
    assert.equal(matches('{"k":[{"wildcard":"*"}]}', '{"k":""}'), true);
    assert.equal(matches('{"k":[{"wildcard":"a*b*c"}]}', '{"k":"abbc"}'), true);
    assert.equal(matches('{"k":[{"wildcard":"a*b*c"}]}', '{"k":"acb"}'), false);
    assert.equal(matches('{"k":[{"wildcard":""}]}', '{"k":"x"}'), false);
  });
  test('escaped stars and backslashes are literal', () => {
    assert.equal(matches('{"k":[{"wildcard":"a\\\\*b"}]}', '{"k":"a*b"}'), true);
    assert.equal(matches('{"k":[{"wildcard":"a\\\\*b"}]}', '{"k":"axb"}'), false);
    assert.equal(matches('{"k":[{"wildcard":"a\\\\\\\\b"}]}', '{"k":"a\\\\b"}'), true);
  });
  test('bad escapes and double stars report UTF-8 byte positions in the quoted value', () => {
    assert.equal(awsReason('{"k":[{"wildcard":"é**"}]}'), 'Consecutive wildcard characters at pos 3');
    assert.equal(awsReason('{"k":[{"wildcard":"ab\\\\c"}]}'), 'Invalid escape character at pos 3');
    assert.equal(awsReason('{"k":[{"wildcard":"ab\\\\"}]}'), 'Invalid escape character at pos 3');
  });
  test('backtracking-bait patterns get an answer', () => {
    const value = 'a'.repeat(200_000);
    assert.equal(matches('{"k":[{"wildcard":"*a*a*a*a*b"}]}', JSON.stringify({ k: value })), false);
  });
  test('overly complex wildcards are rejected as AWS does, simple ones accepted', () => {
    assert.match(awsReason('{"k":[{"wildcard":"*:*:*:*:*:event-bus/*"}]}') ?? '', /^Rule is too complex/);
    assert.equal(awsReason('{"k":[{"wildcard":"arn:aws:events:us-east-1:*:event-bus/*"}]}'), undefined);
  });
});

describe('anything-but', () => {
  test('is type-blind and never matches a missing field', () => {
    assert.equal(matches('{"a":[{"anything-but":123}]}', '{"a":"abc"}'), true);
    assert.equal(matches('{"a":[{"anything-but":"abc"}]}', '{"a":123}'), true);
    assert.equal(matches('{"a":[{"anything-but":"abc"}]}', '{"a":null}'), true);
    assert.equal(matches('{"a":[{"anything-but":"abc"}]}', '{"b":1}'), false);
    assert.equal(matches('{"a":[{"anything-but":"abc"}]}', '{"a":[]}'), false);
  });
  test('numeric lists compare by value', () => {
    assert.equal(matches('{"a":[{"anything-but":[100,200]}]}', '{"a":100.0}'), false);
    assert.equal(matches('{"a":[{"anything-but":[100,200]}]}', '{"a":150}'), true);
  });
  test('event arrays match when some element is not excluded', () => {
    assert.equal(matches('{"a":[{"anything-but":["x"]}]}', '{"a":["x","y"]}'), true);
    assert.equal(matches('{"a":[{"anything-but":["x","y"]}]}', '{"a":["x","y"]}'), false);
  });
  test('prefix, suffix, equals-ignore-case and wildcard forms; non-strings always pass', () => {
    assert.equal(matches('{"r":[{"anything-but":{"prefix":"us-"}}]}', '{"r":"eu-west-1"}'), true);
    assert.equal(matches('{"r":[{"anything-but":{"prefix":["us-","eu-"]}}]}', '{"r":"eu-west-1"}'), false);
    assert.equal(matches('{"f":[{"anything-but":{"suffix":".png"}}]}', '{"f":"a.png"}'), false);
    assert.equal(matches('{"s":[{"anything-but":{"equals-ignore-case":["OK"]}}]}', '{"s":"ok"}'), false);
    assert.equal(matches('{"p":[{"anything-but":{"wildcard":"*/lib/*"}}]}', '{"p":"/a/lib/b"}'), false);
    assert.equal(matches('{"p":[{"anything-but":{"wildcard":"*/lib/*"}}]}', '{"p":5}'), true);
    assert.equal(matches('{"p":[{"anything-but":{"wildcard":""}}]}', '{"p":"x"}'), true);
  });
  test('validation messages', () => {
    assert.equal(awsReason('{"a":[{"anything-but":[]}]}'), 'Inside anything but list, either all values are number or string, mixed type is not supported');
    assert.equal(awsReason('{"a":[{"anything-but":true}]}'), 'Value of anything-but must be an array or single string/number value.');
    assert.equal(awsReason('{"a":[{"anything-but":{"numeric":[">",1]}}]}'), 'Unsupported anything-but pattern: numeric');
    assert.equal(awsReason('{"a":[{"anything-but":{}}]}'), 'Anything-But expression name not found');
  });
});

describe('numeric', () => {
  test('single bounds and ranges', () => {
    assert.equal(matches('{"n":[{"numeric":[">",0,"<=",5]}]}', '{"n":5}'), true);
    assert.equal(matches('{"n":[{"numeric":[">",0,"<=",5]}]}', '{"n":0}'), false);
    assert.equal(matches('{"n":[{"numeric":[">=",0,"<",5]}]}', '{"n":0}'), true);
    assert.equal(matches('{"n":[{"numeric":["=",3.018e2]}]}', '{"n":301.8}'), true);
    assert.equal(matches('{"n":[{"numeric":[">",6e9]}]}', '{"n":7e9}'), true, 'full double range');
  });
  test('only JSON numbers match: not strings, not null', () => {
    assert.equal(matches('{"n":[{"numeric":[">",0]}]}', '{"n":"5"}'), false);
    assert.equal(matches('{"n":[{"numeric":[">",0]}]}', '{"n":null}'), false);
  });
  test('event numbers that are not exact doubles never match numerically', () => {
    assert.equal(matches('{"n":[{"numeric":[">",0]}]}', '{"n":12345678901234567890}'), false);
  });
  test('validation, in parse order', () => {
    assert.equal(awsReason('{"n":[{"numeric":[]}]}'), 'Invalid member in numeric match: ]');
    assert.equal(awsReason('{"n":[{"numeric":[5]}]}'), 'Invalid member in numeric match: 5');
    assert.equal(awsReason('{"n":[{"numeric":[">=",5,"<=",5]}]}'), 'Bottom must be less than top');
    assert.equal(awsReason('{"n":[{"numeric":[">",1,3]}]}'), 'Bad value in numeric range: 3');
    assert.equal(awsReason('{"n":[{"numeric":[">",0.10000000000000000001]}]}'), 'Cannot compare number : 0.10000000000000000001');
    assert.equal(awsReason('{"n":[{"numeric":["=",5],"x":1}]}'), 'Too many elements in numeric expression');
  });
});

describe('exists', () => {
  test('true needs a leaf value; null and "" count; objects and empty arrays do not', () => {
    assert.equal(matches('{"a":[{"exists":true}]}', '{"a":null}'), true);
    assert.equal(matches('{"a":[{"exists":true}]}', '{"a":""}'), true);
    assert.equal(matches('{"a":[{"exists":true}]}', '{"a":{"b":1}}'), false);
    assert.equal(matches('{"a":[{"exists":true}]}', '{"a":[]}'), false);
    assert.equal(matches('{"a":[{"exists":true}]}', '{"a":[{"c":1}]}'), false);
  });
  test('false matches missing, empty-array and object-valued fields', () => {
    assert.equal(matches('{"a":[{"exists":false}]}', '{"b":1}'), true);
    assert.equal(matches('{"a":[{"exists":false}]}', '{"a":[]}'), true);
    assert.equal(matches('{"a":[{"exists":false}]}', '{"a":{"b":1}}'), true);
    assert.equal(matches('{"a":[{"exists":false}]}', '{"a":0}'), false);
  });
  test('combined with values it is an OR', () => {
    assert.equal(matches('{"a":["x",{"exists":false}]}', '{"b":1}'), true);
    assert.equal(matches('{"a":["x",{"exists":false}]}', '{"a":"x"}'), true);
    assert.equal(matches('{"a":["x",{"exists":false}]}', '{"a":"y"}'), false);
  });
  test('exists:false inside arrays is judged in sorted field order, as EventBridge does', () => {
    const event = '{"d":[{"a":1},{"b":2}]}';
    assert.equal(matches('{"d":{"a":[{"exists":false}],"b":[{"exists":true}]}}', event), false);
    assert.equal(matches('{"d":{"z":[{"exists":false}],"b":[{"exists":true}]}}', '{"d":[{"z":1},{"b":2}]}'), true);
  });
  test('value must be a boolean', () => {
    assert.equal(awsReason('{"a":[{"exists":"true"}]}'), 'exists match pattern must be either true or false.');
  });
});

describe('cidr', () => {
  test('IPv4 and IPv6 ranges, any spelling, host bits allowed', () => {
    assert.equal(matches('{"ip":[{"cidr":"10.0.0.0/24"}]}', '{"ip":"10.0.0.255"}'), true);
    assert.equal(matches('{"ip":[{"cidr":"10.0.0.0/24"}]}', '{"ip":"10.0.1.0"}'), false);
    assert.equal(matches('{"ip":[{"cidr":"220.160.153.171/31"}]}', '{"ip":"220.160.153.170"}'), true);
    assert.equal(matches('{"ip":[{"cidr":"2001:db8::/32"}]}', '{"ip":"2001:0DB8:ffff::1"}'), true);
    assert.equal(matches('{"ip":[{"cidr":"10.0.0.0/8"}]}', '{"ip":"::ffff:10.0.0.1"}'), false);
    assert.equal(matches('{"ip":[{"cidr":"10.0.0.0/8"}]}', '{"ip":167772161}'), false, 'numbers never match');
  });
  test('mask limits', () => {
    assert.equal(awsReason('{"ip":[{"cidr":"10.0.0.0/32"}]}'), 'IPv4 mask bits must be < 32');
    assert.equal(awsReason('{"ip":[{"cidr":"::/128"}]}'), 'IPv6 mask bits must be < 128');
    assert.equal(awsReason('{"ip":[{"cidr":"10.0.0.0/-1"}]}'), 'Malformed CIDR, mask bits must not be negative');
    assert.equal(awsReason('{"ip":[{"cidr":"300.0.0.0/8"}]}'), 'Invalid IP address: 300.0.0.0');
  });
});

describe('$or and arrays', () => {
  test('$or at nested levels, combined with sibling fields', () => {
    const p = '{"source":["s"],"detail":{"$or":[{"a":["1"]},{"b":["2"],"$or":[{"c":["3"]},{"d":["4"]}]}]}}';
    assert.equal(matches(p, '{"source":"s","detail":{"a":"1"}}'), true);
    assert.equal(matches(p, '{"source":"s","detail":{"b":"2","d":"4"}}'), true);
    assert.equal(matches(p, '{"source":"s","detail":{"b":"2"}}'), false);
    assert.equal(matches(p, '{"source":"x","detail":{"a":"1"}}'), false);
  });
  test('$or validation', () => {
    assert.equal(awsReason('{"$or":[{"a":["1"]}]}'), 'There must have at least 2 Objects in $or relationship.');
    assert.equal(awsReason('{"$or":[{"a":["1"]},"b"]}'), 'Only JSON object is allowed in array of $or relationship.');
    assert.equal(awsReason('{"$or":[{"prefix":["1"]},{"b":["2"]}]}'), 'prefix is Ruler reserved fieldName which cannot be used inside $or.');
  });
  test('fields of one pattern object must come from the same array element', () => {
    const p = '{"d":{"a":["1"],"b":["2"]}}';
    assert.equal(matches(p, '{"d":[{"a":"1"},{"b":"2"}]}'), false);
    assert.equal(matches(p, '{"d":[{"a":"1","b":"2"}]}'), true);
    assert.equal(matches(p, '{"d":[{"a":"0","b":"2"},{"a":"1","b":"2"}]}'), true);
  });
});

describe('structure errors and first-error order', () => {
  test('structural messages', () => {
    assert.equal(awsReason(''), 'Filter is not an object');
    assert.equal(awsReason('{}'), 'Empty objects are not allowed');
    assert.equal(awsReason('{"a":{}}'), 'Empty objects are not allowed');
    assert.equal(awsReason('{"a":[[1]]}'), 'Match value must be String, number, true, false, or null');
    assert.equal(awsReason('{"a":[{}]}'), 'Match expression name not found');
    assert.equal(awsReason('{"a":[{"exactly":1}]}'), 'exact match pattern must be a string');
  });
  test('AWS reports the problem its parser meets first, syntax or not', () => {
    // The unsupported operator comes before the syntax error in the text.
    assert.equal(awsReason('{"a": [ { "anything-but": { "foo": 3 } ] }'), 'Unsupported anything-but pattern: foo');
    // Here the syntax error comes first.
    assert.match(awsReason('{"a": [ { "numeric": [">", 1 "<", 2] }, {"prefix": 5} ] }') ?? '', /was expecting comma/);
    // Two semantic errors: the earlier one.
    assert.equal(awsReason('{"a":[{"cidr":"x"}],"b":[{"numeric":5}]}'), "Malformed CIDR, one '/' required");
  });
  test('Jackson syntax messages', () => {
    assert.equal(awsReason('{"a":[1,]}'), "Unexpected character (']' (code 93)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
    assert.equal(awsReason('{"a":[01]}'), 'Invalid numeric value: Leading zeroes not allowed');
    assert.equal(awsReason('{"a" ["x"]}'), "Unexpected character ('[' (code 91)): was expecting a colon to separate field name and value");
    assert.equal(awsReason('{"a":["x"]'), 'Unexpected end-of-input: expected close marker for Object (start marker at [Source: (String)"{"a":["x"]"; line: 1, column: 1])');
    assert.equal(awsReason('{"a":["x\ny"]}'), 'Illegal unquoted character ((CTRL-CHAR, code 10)): has to be escaped using backslash to be included in string value');
    assert.equal(awsReason('{"a":[NaN]}'), "Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow");
    assert.equal(awsReason('// c\n{}'), "Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)");
  });
  test('text after the closing brace is ignored, as AWS does', () => {
    assert.equal(awsReason('{"a":["x"]} junk'), undefined);
  });
});

describe('dialects', () => {
  test('Pipes and Lambda filters reject operators they do not support', () => {
    assert.equal(awsReason('{"a":[{"wildcard":"x*"}]}', 'pipes'), undefined, 'not an AWS-worded error');
    assert.equal(awsReason('{"a":[{"wildcard":"x*"}]}', 'eventbus'), undefined);
  });
});

import { allProblems } from './engineTestKit';
describe('dialect problems are reported by us, not as AWS errors', () => {
  test('wildcard in a Lambda filter and anything-but prefix in Pipes', () => {
    assert.ok(allProblems('{"a":[{"wildcard":"x*"}]}', 'lambda').includes('wildcard is not supported in Lambda event source mapping filter patterns'));
    assert.ok(allProblems('{"a":[{"anything-but":{"prefix":"x"}}]}', 'pipes').includes('anything-but/prefix is not supported in EventBridge Pipes filter patterns'));
    assert.deepEqual(allProblems('{"a":[{"prefix":"x"}]}', 'pipes'), []);
  });
});
