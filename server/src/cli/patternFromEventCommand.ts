// `pattern-from-event`: the pattern that catches an event, from the fields chosen (source and detail-type when none
// are), each with an operator that fits its value. The pattern is run against the event with the engine before it is
// printed: what is printed always matches. Events are read as match-rules reads them (an event as EventBridge
// delivers it, a PutEvents entry, a list of either, a PutEvents request).

import { BadOptionInput, parseArgs, single, UsageError } from './args';
import { eventsOf } from './matchRulesCommand';
import { readArgumentText } from './testEventPatternCommand';
import {
  DEFAULT_EVENT_FIELDS,
  eventFields,
  isDialect,
  isPatternOperator,
  mergePatternInto,
  OPERATOR_DESCRIPTIONS,
  PATTERN_OPERATORS,
  patternFromEvent,
  type Dialect,
  type FieldChoice,
} from '../engine';

export const PATTERN_FROM_EVENT_USAGE = `usage: pattern-from-event --event <json|@file|file://file> [--fields <field>,<field>,...] [--field <field>]...
                          [--index N] [--merge-into <json|@file|file://file>] [--dialect eventbus|archive|pipes|lambda]
                          [--compact] [--list-fields]
  event:  an event as EventBridge delivers it (source, detail-type, detail, ...), a PutEvents entry (Source,
          DetailType, Detail as JSON text), a list of either or {"Entries": [...]}: --index N picks one (from 0)
  field:  PATH[:OPERATOR[=ARGUMENT]], PATH dotted as in patterns (detail.object.key; a field inside an array of
          objects is matched by any element); without --fields or --field: ${DEFAULT_EVENT_FIELDS.join(',')}
          --fields splits on commas; --field takes one field whole (for an argument holding commas)
  operators (default exact):
${PATTERN_OPERATORS.map((op) => `          ${op.padEnd(19)} ${OPERATOR_DESCRIPTIONS[op]}`).join('\n')}
          e.g. --fields source,detail.object.key:prefix,detail.size:numeric=0..1000,detail.ip:cidr=/16
  --merge-into  add the event's conditions to this pattern (a field it names gets the event's condition appended to
          its list, an OR; other fields are added, an AND), checked to match the event
  --list-fields  print the event's fields instead, one per line: path, first value, the operators that fit
  output: the pattern as JSON (--compact: on one line); exit 2 when the input is not an event, a field is not in it,
          or an operator does not fit (said on stderr)`;

export function runPatternFromEvent(argv: readonly string[], out: NodeJS.WritableStream): number {
  const args = parseArgs(argv, {
    values: ['event', 'fields', 'field', 'index', 'merge-into', 'dialect'],
    flags: ['compact', 'list-fields'],
  });
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}`);
  const eventArg = single(args, 'event');
  if (eventArg === undefined) throw new UsageError('--event is required');
  const dialectArg = single(args, 'dialect');
  if (dialectArg !== undefined && (!isDialect(dialectArg) || dialectArg === 'sns'))
    throw new UsageError('--dialect must be eventbus, archive, pipes or lambda');
  const dialect: Dialect = dialectArg ?? 'eventbus';
  const { event, text: eventText } = chooseEvent(readArgumentText(eventArg), single(args, 'index'));

  if (args.flags.has('list-fields')) {
    for (const f of eventFields(event, dialect)) {
      const more = f.leaves.length > 1 ? ` (+${f.leaves.length - 1} more)` : '';
      out.write(`${f.path}\t${JSON.stringify(f.leaves[0].value)}${more}\t${f.operators.join(',')}\n`);
    }
    return 0;
  }

  const specs = [
    ...(args.values.get('fields') ?? []).flatMap((list) => list.split(',')),
    ...(args.values.get('field') ?? []),
  ]
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const choices = specs.length > 0 ? specs.map(parseFieldSpec) : DEFAULT_EVENT_FIELDS.map((path) => ({ path }));
  const built = patternFromEvent(event, choices, { dialect, eventText });
  if (!built.ok) throw new BadOptionInput(built.message);
  let pattern = built.pattern;
  const mergeArg = single(args, 'merge-into');
  if (mergeArg !== undefined) {
    const text = readArgumentText(mergeArg);
    let existing: unknown;
    try {
      existing = JSON.parse(text);
    } catch (e) {
      throw new BadOptionInput(`--merge-into is not JSON: ${(e as Error).message}`);
    }
    const merged = mergePatternInto(existing, pattern, event, { dialect, eventText });
    if (!merged.ok) throw new BadOptionInput(`cannot merge into the pattern: ${merged.message}`);
    pattern = merged.pattern;
  }
  out.write(`${JSON.stringify(pattern, null, args.flags.has('compact') ? undefined : 2)}\n`);
  return 0;
}

/** `PATH[:OPERATOR[=ARGUMENT]]`: the first `:` followed by an operator's name ends the path. */
export function parseFieldSpec(spec: string): FieldChoice {
  const m = new RegExp(`^(.*?):(${PATTERN_OPERATORS.join('|')})(?:=(.*))?$`, 's').exec(spec);
  if (!m) {
    const colon = /^(.*):([a-z-]+)(=.*)?$/.exec(spec);
    if (colon && !isPatternOperator(colon[2]) && !colon[1].includes(':'))
      throw new UsageError(`unknown operator ${colon[2]} in ${spec} (operators: ${PATTERN_OPERATORS.join(', ')})`);
    return { path: spec };
  }
  const [, path, operator, argument] = m;
  if (path === '') throw new UsageError(`no field before :${operator} in ${spec}`);
  return {
    path,
    operator: operator as FieldChoice['operator'] & string,
    ...(argument !== undefined ? { argument } : {}),
  };
}

function chooseEvent(text: string, indexArg: string | undefined): { event: object; text: string } {
  const events = eventsOf(text);
  let index = 0;
  if (indexArg !== undefined) {
    if (!/^\d+$/.test(indexArg)) throw new UsageError(`--index must be a number from 0, not ${indexArg}`);
    index = Number(indexArg);
    if (index >= events.length)
      throw new BadOptionInput(`--index ${index}: the input holds ${events.length} event(s), numbered from 0`);
  } else if (events.length > 1) {
    throw new BadOptionInput(`the input holds ${events.length} events: choose one with --index (from 0)`);
  }
  const one = events[index];
  if ('error' in one) throw new BadOptionInput(`--event: ${one.error}`);
  return one;
}
