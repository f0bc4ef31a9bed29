// What a rule's target receives: the whole event, a constant `Input`, the part of the event an `InputPath` selects, or
// what an `InputTransformer` makes of it; and the checks of those properties that do not need a template around
// them (used by the language service's rule checks, and the local bus's delivery).

import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** The variables EventBridge defines for every input template; reserved as InputPathsMap keys. */
export const PREDEFINED_INPUT_VARIABLES: readonly string[] = [
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event.ingestion-time',
  'aws.events.event',
  'aws.events.event.json',
];

/** Variables whose value is JSON that EventBridge inserts unescaped: only the value of a JSON field. */
const UNESCAPED_JSON_VARIABLES: ReadonlySet<string> = new Set(['aws.events.event', 'aws.events.event.json']);

// AWS's limits (Target, InputTransformer in the EventBridge API reference).
export const MAX_INPUT_LENGTH = 8192;
export const MAX_INPUT_PATH_LENGTH = 256;
export const MAX_INPUT_TEMPLATE_LENGTH = 8192;
export const MAX_INPUT_PATHS = 100;
export const MAX_INPUT_PATHS_KEY_LENGTH = 256;

/** What the input of a target is made of (a Target's Input, InputPath and InputTransformer, as strings). */
export interface TargetInputSpec {
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: {
    readonly InputPathsMap?: Readonly<Record<string, string>>;
    readonly InputTemplate: string;
  };
}

/** What the predefined variables stand for at one delivery. */
export interface DeliveryContext {
  readonly ruleName: string;
  readonly ruleArn: string;
  /** When EventBridge received the event (ISO 8601); the event's `time` when not given. */
  readonly ingestionTime?: string;
}

/** The text handed to a target for `event`. */
export function targetInputText(
  spec: TargetInputSpec,
  event: Readonly<Record<string, unknown>>,
  context: DeliveryContext,
): string {
  if (spec.Input !== undefined) return spec.Input;
  if (spec.InputPath !== undefined) return JSON.stringify(selectPath(event, spec.InputPath) ?? null);
  const transformer = spec.InputTransformer;
  if (!transformer) return JSON.stringify(event);
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) values.set(name, selectPath(event, path));
  const withoutDetail: Record<string, unknown> = { ...event };
  delete withoutDetail.detail;
  values.set('aws.events.rule-name', context.ruleName);
  values.set('aws.events.rule-arn', context.ruleArn);
  values.set('aws.events.event.ingestion-time', context.ingestionTime ?? event.time ?? '');
  values.set('aws.events.event', withoutDetail);
  values.set('aws.events.event.json', event);
  return substituteInputTemplate(transformer.InputTemplate, values);
}

/** `$.detail.a.b` / `$.resources[0]` over a JSON value; undefined when absent. */
export function selectPath(root: unknown, path: string): unknown {
  if (path === '$') return root;
  if (!path.startsWith('$')) return undefined;
  let v = root;
  for (const part of path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = part[1] !== undefined ? (v as Record<string, unknown>)[part[1]] : (v as unknown[])[Number(part[2])];
  }
  return v;
}

/** A `<name>` of an input template, where it is and whether it stands inside a JSON string. */
export interface TemplatePlaceholder {
  readonly name: string;
  /** Offset of the `<`. */
  readonly offset: number;
  /** With the angle brackets. */
  readonly length: number;
  readonly quoted: boolean;
}

/**
 * Whether a template is JSON (an object, an array, or one quoted string), which it must still be once filled in. Text
 * that only starts with a quote (`"<name>" was deleted`) is text.
 */
export function isJsonTemplate(template: string): boolean {
  return /^\s*[{[]/.test(template) || /^\s*".*"\s*$/s.test(template);
}

/** The placeholders of a template, in order. */
export function templatePlaceholders(template: string): TemplatePlaceholder[] {
  const out: TemplatePlaceholder[] = [];
  const json = isJsonTemplate(template);
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (json && c === '\\' && inString) {
      i++;
      continue;
    }
    if (json && c === '"') {
      inString = !inString;
      continue;
    }
    if (c !== '<') continue;
    const m = /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(i, i + 300));
    if (!m) continue;
    // In a text template every placeholder is read as inside a string: EventBridge fills in the bare value.
    out.push({ name: m[1], offset: i, length: m[0].length, quoted: json ? inString : true });
    i += m[0].length - 1;
  }
  return out;
}

/**
 * Fills in a template as EventBridge does: a placeholder outside quotes gets the value's JSON (a string with its
 * quotes); inside a JSON string it gets the bare text, unescaped, and an object or array loses its inner quotes. A
 * variable whose path is not in the event is not created: outside quotes it becomes `null`, inside nothing.
 */
export function substituteInputTemplate(template: string, values: ReadonlyMap<string, unknown>): string {
  let out = '';
  let at = 0;
  for (const p of templatePlaceholders(template)) {
    if (!values.has(p.name) && !PREDEFINED_INPUT_VARIABLES.includes(p.name)) continue;
    out += template.slice(at, p.offset);
    at = p.offset + p.length;
    const v = values.get(p.name);
    if (p.quoted && !UNESCAPED_JSON_VARIABLES.has(p.name)) {
      out += v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v).replace(/"/g, '');
    } else out += v === undefined ? 'null' : JSON.stringify(v);
  }
  return out + template.slice(at);
}

/** A problem of a target's input property, in the offsets of the string it is about. */
export interface InputProblem {
  readonly message: string;
  readonly offset: number;
  readonly length: number;
  readonly kind:
    | 'inputNotJson'
    | 'inputTooLong'
    | 'pathInvalid'
    | 'pathTooLong'
    | 'placeholderUndefined'
    | 'placeholderAsKey'
    | 'unescapedInString'
    | 'templateNotJson'
    | 'templateTooLong';
}

/** Problems of a constant `Input`: JSON text of at most 8192 characters. */
export function inputProblems(input: string): InputProblem[] {
  const out: InputProblem[] = [];
  if (input.length > MAX_INPUT_LENGTH)
    out.push({
      kind: 'inputTooLong',
      message: `Input is ${input.length} characters long; EventBridge takes at most ${MAX_INPUT_LENGTH}`,
      offset: 0,
      length: input.length,
    });
  const error = jsonError(input);
  if (error)
    out.push({
      kind: 'inputNotJson',
      message: `Input must be valid JSON text (it is passed to the target as it is): ${error.message}`,
      offset: Math.min(error.offset, Math.max(0, input.length - 1)),
      length: input.length === 0 ? 0 : Math.max(1, error.length),
    });
  return out;
}

/**
 * Why a JSON path is not one EventBridge reads (InputPath, InputPathsMap values): it starts at `$`, goes down by dot
 * notation (names of letters, digits, `-`, `_`, `/`, or `*`) and array indices; undefined when it is one.
 */
export function inputPathProblem(path: string): string | undefined {
  if (path.length > MAX_INPUT_PATH_LENGTH)
    return `is ${path.length} characters long; EventBridge takes at most ${MAX_INPUT_PATH_LENGTH}`;
  if (!path.startsWith('$')) return 'must start with $ (the event), as $.detail.id';
  const rest = path.slice(1);
  const segment = /\.([^.[\]\s'"]+)|\[(\d+|\*)\]/y;
  let at = 0;
  while (at < rest.length) {
    segment.lastIndex = at;
    const m = segment.exec(rest);
    if (!m) {
      const tail = rest.slice(at);
      if (/^\[\s*['"]/.test(tail)) return 'must use dot notation ($.detail.name), not bracket notation';
      if (tail.startsWith('..')) return 'uses a deep scan (..), which EventBridge does not support';
      if (/^\.\s*$/.test(tail) || tail.startsWith('.[') || tail.startsWith('..'))
        return 'has an empty name after a dot';
      return `is not a path EventBridge reads at "${tail.slice(0, 20)}": use dot notation and array indices ($.detail.items[0].id)`;
    }
    at = segment.lastIndex;
  }
  return undefined;
}

/** Why an InputPathsMap key is not one AWS takes; undefined when it is one. */
export function inputPathsMapKeyProblem(key: string): string | undefined {
  if (PREDEFINED_INPUT_VARIABLES.includes(key) || /^aws\./i.test(key))
    return `"${key}" is reserved: keys cannot start with "AWS." (EventBridge predefines aws.events.* variables)`;
  if (key.length === 0) return 'A key of InputPathsMap cannot be empty';
  if (key.length > MAX_INPUT_PATHS_KEY_LENGTH)
    return `The key is ${key.length} characters long; EventBridge takes at most ${MAX_INPUT_PATHS_KEY_LENGTH}`;
  if (!/^[A-Za-z0-9_-]+$/.test(key)) return `"${key}" is not a valid key: keys are letters, digits, _ and -`;
  return undefined;
}

/**
 * Problems of an InputTemplate. `defined` is the keys of InputPathsMap, or undefined when they are not known (an
 * intrinsic function makes the map): then no placeholder is called undefined.
 */
export function inputTemplateProblems(template: string, defined: ReadonlySet<string> | undefined): InputProblem[] {
  const out: InputProblem[] = [];
  if (template.length > MAX_INPUT_TEMPLATE_LENGTH)
    out.push({
      kind: 'templateTooLong',
      message: `InputTemplate is ${template.length} characters long; EventBridge takes at most ${MAX_INPUT_TEMPLATE_LENGTH}`,
      offset: 0,
      length: template.length,
    });
  const placeholders = templatePlaceholders(template);
  const json = isJsonTemplate(template);
  for (const p of placeholders) {
    const known = PREDEFINED_INPUT_VARIABLES.includes(p.name) || defined === undefined || defined.has(p.name);
    if (!known)
      out.push({
        kind: 'placeholderUndefined',
        message: `<${p.name}> is not a key of InputPathsMap nor one of EventBridge's predefined variables (${PREDEFINED_INPUT_VARIABLES.join(', ')})`,
        offset: p.offset,
        length: p.length,
      });
    if (json && p.quoted && UNESCAPED_JSON_VARIABLES.has(p.name))
      out.push({
        kind: 'unescapedInString',
        message: `<${p.name}> can only be the value of a JSON field, not inside a string: EventBridge inserts its JSON unescaped`,
        offset: p.offset,
        length: p.length,
      });
    if (json && !p.quoted && /^\s*:/.test(template.slice(p.offset + p.length)))
      out.push({
        kind: 'placeholderAsKey',
        message: `A placeholder cannot be used as an object key in a JSON InputTemplate`,
        offset: p.offset,
        length: p.length,
      });
  }
  if (json && !out.some((p) => p.kind === 'placeholderAsKey')) {
    // Filled in with stand-ins of the same length where possible, so an error's offset is the template's own.
    let filled = '';
    const map: { filled: number; template: number }[] = [];
    let at = 0;
    for (const p of placeholders) {
      filled += template.slice(at, p.offset);
      map.push({ filled: filled.length, template: p.offset });
      filled += p.quoted ? 'x' : 'null';
      at = p.offset + p.length;
      map.push({ filled: filled.length, template: at });
    }
    filled += template.slice(at);
    const error = jsonError(filled);
    if (error) {
      let offset = error.offset;
      for (const m of map) if (m.filled <= error.offset) offset = m.template + (error.offset - m.filled);
      offset = Math.min(offset, Math.max(0, template.length - 1));
      out.push({
        kind: 'templateNotJson',
        message:
          `InputTemplate starts as JSON but is not valid JSON once its placeholders are filled in (${error.message}). ` +
          'A placeholder outside quotes gets the value as JSON (a string with its quotes); inside quotes, its bare text',
        offset,
        length: 1,
      });
    }
  }
  return out;
}

function jsonError(text: string): { message: string; offset: number; length: number } | undefined {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const e = errors[0];
  if (!e) return undefined;
  const words = printParseErrorCode(e.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return { message: words, offset: e.offset, length: e.length };
}
