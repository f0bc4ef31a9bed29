// `test-event-pattern --jsonl`: one answer per input line, in order; a bad line gets an error answer and the
// batch goes on.

import {
  analyzePatternText,
  awsMessage,
  checkTestEventEnvelope,
  explainEvent,
  isDialect,
  matchesEventNode,
  parseEventText,
  type EngineError,
  MatchBudgetExceeded,
} from '../engine';

export type BatchAnswer = { result: boolean; reasons?: readonly string[] } | { error: EngineError };

const MAX_LINE_LENGTH = 8 * 1024 * 1024;

export function answerBatchLine(line: string, options: { explain?: boolean } = {}): BatchAnswer {
  if (line.length > MAX_LINE_LENGTH) {
    return { error: { code: 'ValidationException', message: `Input line is longer than ${MAX_LINE_LENGTH} characters` } };
  }
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch (e) {
    return { error: { code: 'ValidationException', message: `Input line is not valid JSON: ${(e as Error).message}` } };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { error: { code: 'ValidationException', message: 'Input line must be a JSON object with "pattern" and "event"' } };
  }
  const { pattern, event, api, dialect } = input as Record<string, unknown>;
  if (typeof pattern !== 'string' || typeof event !== 'string') {
    return {
      error: { code: 'ValidationException', message: 'Input line needs "pattern" and "event", each a string of JSON text' },
    };
  }
  if (dialect !== undefined && (typeof dialect !== 'string' || !isDialect(dialect) || dialect === 'sns')) {
    return { error: { code: 'ValidationException', message: 'dialect must be one of eventbus, archive, pipes, lambda' } };
  }
  return evaluate(pattern, event, {
    testEventPatternApi: api === 'TestEventPattern',
    ...(dialect ? { dialect } : {}),
    explain: options.explain ?? false,
  });
}

export interface EvaluateOptions {
  /** Apply TestEventPattern's checks on the event envelope. */
  readonly testEventPatternApi: boolean;
  readonly dialect?: 'eventbus' | 'archive' | 'pipes' | 'lambda';
  readonly explain: boolean;
}

/** Tests one pattern against one event, as `aws events test-event-pattern` does. */
export function evaluate(patternText: string, eventText: string, options: EvaluateOptions): BatchAnswer {
  const parsedEvent = parseEventText(eventText);
  if (options.testEventPatternApi) {
    if (!parsedEvent.ok) return { error: { code: 'ValidationException', message: 'Parameter Event is not valid.' } };
    const envelopeError = checkTestEventEnvelope(parsedEvent.event);
    if (envelopeError) return { error: envelopeError };
  }
  const analysis = analyzePatternText(patternText, options.dialect ? { dialect: options.dialect } : {});
  if (analysis.awsError) {
    return {
      error: { code: analysis.awsError.awsErrorCode ?? 'InvalidEventPatternException', message: awsMessage(analysis.awsError) },
    };
  }
  const ourError = analysis.problems.find((p) => p.severity === 'error');
  if (ourError || !analysis.pattern) {
    return {
      error: { code: 'InvalidEventPatternException', message: `Event pattern is not valid. Reason: ${ourError?.message ?? 'unknown'}` },
    };
  }
  if (!parsedEvent.ok) {
    return { error: { code: 'ValidationException', message: `Parameter Event is not valid.` } };
  }
  try {
    const result = matchesEventNode(analysis.pattern, parsedEvent.event);
    if (!options.explain) return { result };
    const explanation = explainEvent(analysis.pattern, parsedEvent.event);
    return { result, reasons: explanation.reasons };
  } catch (e) {
    if (e instanceof MatchBudgetExceeded) return { error: { code: 'ValidationException', message: e.message } };
    throw e;
  }
}
