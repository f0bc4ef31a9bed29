// `test-event-pattern`: like `aws events test-event-pattern`, locally, with EventBridge's exact answers.

import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs, single, UsageError } from './args';
import { answerBatchLine, evaluate } from './batch';
import { isDialect } from '../engine';

export const TEST_EVENT_PATTERN_USAGE = `usage: test-event-pattern --event-pattern <json|@file|file://file> --event <json|@file|file://file>
                          [--explain] [--dialect eventbus|archive|pipes|lambda] [--no-envelope-check]
       test-event-pattern --jsonl [--explain]    (batch: one {"pattern","event","api"?} object per stdin line)`;

/** Reads `@file` / `file://file` arguments as the AWS CLI does, or returns the text itself. */
export function readArgumentText(value: string): string {
  const path = value.startsWith('@') ? value.slice(1) : value.startsWith('file://') ? value.slice(7) : undefined;
  if (path === undefined) return value;
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export async function runTestEventPattern(argv: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const args = parseArgs(argv, {
    values: ['event-pattern', 'event', 'dialect'],
    flags: ['explain', 'jsonl', 'no-envelope-check'],
  });
  const explain = args.flags.has('explain');
  if (args.flags.has('jsonl')) return runBatch(explain, out);

  const patternArg = single(args, 'event-pattern');
  const eventArg = single(args, 'event');
  if (patternArg === undefined || eventArg === undefined) throw new UsageError('--event-pattern and --event are required');
  const dialect = single(args, 'dialect');
  if (dialect !== undefined && (!isDialect(dialect) || dialect === 'sns')) {
    throw new UsageError('--dialect must be eventbus, archive, pipes or lambda (SNS filter policies: test-filter-policy)');
  }
  const answer = evaluate(readArgumentText(patternArg), readArgumentText(eventArg), {
    testEventPatternApi: !args.flags.has('no-envelope-check'),
    ...(dialect ? { dialect } : {}),
    explain,
  });
  if ('error' in answer) {
    err.write(`An error occurred (${answer.error.code}) when calling the TestEventPattern operation: ${answer.error.message}\n`);
    return 1;
  }
  out.write(`{"Result": ${answer.result}}\n`);
  if (explain) {
    if (answer.result) out.write('The event matches the pattern.\n');
    for (const r of answer.reasons ?? []) out.write(`does not match: ${r}\n`);
  }
  return 0;
}

async function runBatch(explain: boolean, out: NodeJS.WritableStream): Promise<number> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let buffer = '';
  for await (const line of rl) {
    if (line.trim() === '') continue;
    let answer;
    try {
      answer = answerBatchLine(line, { explain });
    } catch (e) {
      // Never let one line end the batch.
      answer = { error: { code: 'InternalException', message: `internal error: ${(e as Error).message}` } };
    }
    buffer += JSON.stringify(answer) + '\n';
    if (buffer.length > 64 * 1024) {
      if (!out.write(buffer)) await new Promise((r) => out.once('drain', r));
      buffer = '';
    }
  }
  if (buffer) out.write(buffer);
  return 0;
}
