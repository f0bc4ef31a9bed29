// `test-filter-policy`: runs one SNS message through one SNS subscription filter policy, locally. SNS has no API
// for this; the answer mirrors test-event-pattern's (`{"Result": true|false}`), and a policy SNS would refuse prints
// SNS's error (`InvalidParameter`, `Invalid parameter: FilterPolicy: ...`) and exits 1.

import { parseArgs, single, UsageError } from './args';
import { readArgumentText } from './testEventPatternCommand';
import { compilePattern, explainSnsMessage, isSnsScope } from '../engine';

export const TEST_FILTER_POLICY_USAGE = `usage: test-filter-policy --filter-policy <json|@file|file://file> --message <json|@file|file://file>
                          [--scope MessageAttributes|MessageBody] [--explain]
  the message: {"MessageAttributes": {"name": {"Type": "String", "Value": "..."}}, "Message": "<body>"}`;

export function runTestFilterPolicy(
  argv: readonly string[],
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): number {
  const args = parseArgs(argv, { values: ['filter-policy', 'message', 'scope'], flags: ['explain'] });
  const policyArg = single(args, 'filter-policy');
  const messageArg = single(args, 'message');
  if (policyArg === undefined || messageArg === undefined)
    throw new UsageError('--filter-policy and --message are required');
  const scope = single(args, 'scope') ?? 'MessageAttributes';
  if (!isSnsScope(scope)) throw new UsageError('--scope must be MessageAttributes or MessageBody');
  const compiled = compilePattern(readArgumentText(policyArg), { dialect: 'sns', scope });
  if (!compiled.ok) {
    err.write(`An error occurred (${compiled.error.code}): ${compiled.error.message}\n`);
    return 1;
  }
  let message: unknown;
  try {
    message = JSON.parse(readArgumentText(messageArg));
  } catch (e) {
    throw new UsageError(`--message is not JSON: ${(e as Error).message}`);
  }
  const x = explainSnsMessage(compiled.pattern, message, scope);
  if (x.error !== undefined) {
    err.write(`test-filter-policy: ${x.error}\n`);
    return 1;
  }
  out.write(`{"Result": ${x.matched}}\n`);
  if (args.flags.has('explain')) {
    if (x.matched) out.write('The message matches the filter policy.\n');
    for (const r of x.reasons) out.write(`does not match: ${r}\n`);
  }
  return 0;
}
