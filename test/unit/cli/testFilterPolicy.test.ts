// `test-filter-policy`: one SNS message through one filter policy, with SNS's error for a policy it refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { runTestFilterPolicy } from '../../../server/src/cli/testFilterPolicyCommand';
import { UsageError } from '../../../server/src/cli/args';

function run(args: string[]): { code: number; out: string; err: string } {
  const out = new PassThrough();
  const err = new PassThrough();
  const code = runTestFilterPolicy(args, out, err);
  return { code, out: String(out.read() ?? ''), err: String(err.read() ?? '') };
}

const message = JSON.stringify({
  MessageAttributes: { store: { Type: 'String', Value: 'example_corp' }, price: { Type: 'Number', Value: '5' } },
  Message: '{"order":{"status":"paid"}}',
});

test('prints the result, and with --explain why a message does not match', () => {
  assert.deepEqual(run(['--filter-policy', '{"store":["example_corp"]}', '--message', message]), {
    code: 0,
    out: '{"Result": true}\n',
    err: '',
  });
  const miss = run(['--filter-policy', '{"price":[{"numeric":[">",10]}]}', '--message', message, '--explain']);
  assert.equal(miss.code, 0);
  assert.equal(miss.out, '{"Result": false}\ndoes not match: price is 5; the pattern wants: price > 10\n');
});

test('--scope MessageBody runs the JSON body', () => {
  const r = run(['--filter-policy', '{"order":{"status":["paid"]}}', '--message', message, '--scope', 'MessageBody']);
  assert.equal(r.out, '{"Result": true}\n');
});

test("a policy SNS refuses: SNS's error, exit 1", () => {
  const r = run(['--filter-policy', '{"order":{"status":["paid"]}}', '--message', message]);
  assert.equal(r.code, 1);
  assert.equal(
    r.err,
    'An error occurred (InvalidParameter): Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy\n',
  );
});

test('bad arguments are usage errors', () => {
  assert.throws(() => run(['--filter-policy', '{}']), UsageError);
  assert.throws(() => run(['--filter-policy', '{"a":["1"]}', '--message', '{}', '--scope', 'Body']), UsageError);
  assert.throws(() => run(['--filter-policy', '{"a":["1"]}', '--message', 'not json']), UsageError);
});
