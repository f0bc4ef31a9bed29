// `generate-events`: events made from a pattern, one JSON line each: `{"event": {...}, "matches": true}` for events
// that match and, with --near-misses, `{"event": {...}, "matches": false, "fails": "<dotted path>"}` for events that
// fail exactly one condition. Each line is run through the engine once more before it is printed. A pattern no event
// can match says why and exits 1; a pattern AWS would refuse prints AWS's error and exits 1.

import { parseArgs, single, UsageError } from './args';
import { readArgumentText } from './testEventPatternCommand';
import {
  compilePattern,
  generateEvents,
  isDialect,
  matchesEventNode,
  parseEventText,
  type CompiledPattern,
  type SampleLookup,
} from '../engine';
import { loadCatalog } from '../catalog/catalog';

export const GENERATE_EVENTS_USAGE = `usage: generate-events --event-pattern <json|@file|file://file> [--count N] [--near-misses]
                       [--dialect eventbus|archive|pipes|lambda]
  prints {"event": {...}, "matches": true} per matching event (N of them, default 1) and, with --near-misses,
  {"event": {...}, "matches": false, "fails": "<dotted path>"} per event that fails exactly that condition`;

/** The largest --count: more distinct events than this are rarely wanted and never cheap. */
export const MAX_COUNT = 1000;

/** The catalog's sample for a source and detail-type; nothing when the catalog cannot be read. */
export const catalogLookup: SampleLookup = (source, detailType) => {
  try {
    const catalog = loadCatalog();
    return catalog.isAvailable()
      ? (catalog.sampleEvent(source, detailType) as Record<string, unknown> | undefined)
      : undefined;
  } catch {
    return undefined;
  }
};

function checked(pattern: CompiledPattern, text: string): boolean | undefined {
  const parsed = parseEventText(text);
  return parsed.ok ? matchesEventNode(pattern, parsed.event) : undefined;
}

export function runGenerateEvents(
  argv: readonly string[],
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  lookup: SampleLookup = catalogLookup,
): number {
  const args = parseArgs(argv, { values: ['event-pattern', 'count', 'dialect'], flags: ['near-misses'] });
  if (args.positional.length > 0) throw new UsageError(`unexpected argument: ${args.positional[0]}`);
  const patternArg = single(args, 'event-pattern');
  if (patternArg === undefined) throw new UsageError('--event-pattern is required');
  const countText = single(args, 'count') ?? '1';
  if (!/^\d+$/.test(countText) || Number(countText) < 1 || Number(countText) > MAX_COUNT)
    throw new UsageError(`--count must be a whole number from 1 to ${MAX_COUNT}`);
  const dialect = single(args, 'dialect');
  if (dialect !== undefined && (!isDialect(dialect) || dialect === 'sns')) {
    throw new UsageError(
      '--dialect must be eventbus, archive, pipes or lambda (SNS filter policies are not supported)',
    );
  }
  const compiled = compilePattern(readArgumentText(patternArg), dialect ? { dialect } : {});
  if (!compiled.ok) {
    err.write(`An error occurred (${compiled.error.code}): ${compiled.error.message}\n`);
    return 1;
  }
  const pattern = compiled.pattern;
  const result = generateEvents(pattern, {
    count: Number(countText),
    nearMisses: args.flags.has('near-misses'),
    lookup,
  });
  if (!result.ok) {
    err.write(`generate-events: ${result.impossible ? result.impossible.reason : result.reason}\n`);
    return 1;
  }
  let text = '';
  for (const m of result.matching) {
    if (checked(pattern, m.line) !== true) return internalError(err, m.line, true);
    text += `{"event": ${m.line}, "matches": true}\n`;
  }
  for (const m of result.nearMisses) {
    if (checked(pattern, m.line) !== false) return internalError(err, m.line, false);
    text += `{"event": ${m.line}, "matches": false, "fails": ${JSON.stringify(m.fails)}}\n`;
  }
  out.write(text);
  return 0;
}

function internalError(err: NodeJS.WritableStream, line: string, expected: boolean): number {
  err.write(
    `generate-events: internal error: an event made to ${expected ? 'match' : 'miss'} the pattern does not: ${line}\n`,
  );
  return 1;
}
