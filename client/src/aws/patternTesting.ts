// Testing the pattern under the cursor against events: locally with the engine (matched or not, and why), and when
// asked through AWS TestEventPattern, to compare the two answers.
import { TestEventPatternCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { explainEvent, matchesEventNode, parseEventText, type CompiledPattern } from '../../../server/src/engine';
import { toPlainValue } from '../../../server/src/engine/jsonAst';
import { analyzeDocument, siteAt } from '../../../server/src/languageservice/documentAnalysis';
import type { PatternDialect } from '../../../server/src/languageservice/patternSites';

export interface PatternAtCursor {
  readonly dialect: PatternDialect;
  /** The pattern as AWS receives it (JSON text). */
  readonly text: string;
  /** The pattern as a plain value. */
  readonly value: unknown;
  readonly compiled: CompiledPattern;
  /** The template resource it belongs to, if any. */
  readonly resourceId?: string;
}

export type PatternAtCursorResult = { ok: true; pattern: PatternAtCursor } | { ok: false; reason: string };

/** The pattern whose text contains `offset`, compiled; says why not when there is none or it is not usable. */
export function patternAtOffset(
  text: string,
  fileName: string,
  languageId: string | undefined,
  offset: number,
): PatternAtCursorResult {
  const analysis = analyzeDocument(text, fileName, languageId);
  const analyzed = siteAt(analysis, offset) ?? (analysis.sites.length === 1 ? analysis.sites[0] : undefined);
  if (!analyzed)
    return {
      ok: false,
      reason:
        analysis.sites.length === 0
          ? 'No event pattern in this file (a *.eventpattern.json file, or EventPattern / Pattern in a template).'
          : 'The cursor is not inside an event pattern: put it inside the one to use.',
    };
  const { site, analysis: a } = analyzed;
  if (a.awsError) return { ok: false, reason: `The pattern is not valid: ${a.awsError.message}` };
  if (a.hasUnknownValues)
    return {
      ok: false,
      reason: 'The pattern has values only known at deploy time (intrinsic functions); it cannot be tested here.',
    };
  if (!a.pattern) {
    const first = a.problems.find((p) => p.severity === 'error');
    return { ok: false, reason: `The pattern cannot be compiled${first ? `: ${first.message}` : ''}.` };
  }
  const value: unknown = site.form === 'string' ? JSON.parse(site.text) : toPlainValue(site.node);
  return {
    ok: true,
    pattern: {
      dialect: site.dialect,
      text: site.form === 'string' ? site.text : JSON.stringify(value),
      value,
      compiled: a.pattern,
      ...(site.resourceId ? { resourceId: site.resourceId } : {}),
    },
  };
}

export interface EventUnderTest {
  /** A name for the results: `aws.s3 / Object Created (catalog sample)`, a file name, ... */
  readonly label: string;
  readonly text: string;
}

export interface PatternTestResult {
  readonly label: string;
  /** Undefined when the event could not be read. */
  readonly matched?: boolean;
  /** Why not (one line per failing field), or the reason the event could not be read. */
  readonly reasons: readonly string[];
  /** AWS's answer, when asked. */
  readonly aws?: { readonly matched: boolean } | { readonly error: string };
}

/** Runs the pattern against each event with the engine. */
export function testPatternLocally(pattern: CompiledPattern, events: readonly EventUnderTest[]): PatternTestResult[] {
  return events.map((e) => {
    const parsed = parseEventText(e.text);
    if (!parsed.ok) return { label: e.label, reasons: [`The event is not valid JSON: ${parsed.message}`] };
    const matched = matchesEventNode(pattern, parsed.event);
    const reasons = matched ? [] : [...explainEvent(pattern, parsed.event).reasons];
    return { label: e.label, matched, reasons };
  });
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
