// Testing the pattern under the cursor against events: the language server answers with the engine (matched or not,
// and why), and when asked AWS TestEventPattern answers too, to compare the two.
import { TestEventPatternCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { EventUnderTest, PatternTestResult as EngineResult } from '../../../shared';

export type { EventUnderTest };

export interface PatternTestResult extends EngineResult {
  /** AWS's answer, when asked. */
  readonly aws?: { readonly matched: boolean } | { readonly error: string };
}

/** Adds AWS TestEventPattern's answer to each result. Errors are per event; cancellation stops the loop. */
export async function compareWithAws(
  events: EventBridgeClient,
  patternText: string,
  inputs: readonly EventUnderTest[],
  local: readonly PatternTestResult[],
  describeError: (e: unknown) => string,
  signal?: AbortSignal,
): Promise<PatternTestResult[]> {
  const out: PatternTestResult[] = [];
  for (let i = 0; i < inputs.length; i++) {
    if (signal?.aborted) break;
    try {
      const r = await events.send(
        new TestEventPatternCommand({ EventPattern: patternText, Event: inputs[i].text }),
        signal ? { abortSignal: signal } : {},
      );
      out.push({
        ...local[i],
        aws: typeof r.Result === 'boolean' ? { matched: r.Result } : { error: 'TestEventPattern gave no Result' },
      });
    } catch (e) {
      if (signal?.aborted) break;
      out.push({ ...local[i], aws: { error: describeError(e) } });
    }
  }
  return out;
}

/** The results as text for the output: one block per event, disagreements called out. */
export function formatPatternTestResults(results: readonly PatternTestResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const local = r.matched === undefined ? 'not tested' : r.matched ? 'MATCHES' : 'does not match';
    let aws = '';
    if (r.aws && 'matched' in r.aws) {
      aws = `; AWS TestEventPattern: ${r.aws.matched ? 'matches' : 'does not match'}`;
      if (r.matched !== undefined && r.aws.matched !== r.matched) aws += ' (DISAGREES with the local engine)';
    } else if (r.aws) aws = `; AWS TestEventPattern failed: ${r.aws.error}`;
    lines.push(`${r.label}: ${local}${aws}`);
    for (const reason of r.reasons) lines.push(`    ${reason}`);
  }
  return lines.join('\n');
}
