// CloudWatch Logs filter patterns, the subset the local bus supports:
//   terms        ERROR timeout      every term must occur (case-sensitive substring)
//   phrases      "request failed"   a quoted term may hold spaces and punctuation
//   optional     ?ERROR ?WARN       at least one of the ?terms must occur
//   exclusions   ERROR -retry       no -term may occur
//   JSON         { $.a.b = "x" }, { $.n >= 5 && ($.s != "y*" || $.t IS TRUE) }, { $.x NOT EXISTS }
// Space-delimited patterns (`[ip, user, ...]`) and regular expressions (`%...%`) are refused, not guessed at.

export type LogFilter = (message: string) => boolean;

export class FilterPatternError extends Error {}

const MAX_PATTERN_LENGTH = 1024;

/** Compiles a filter pattern; throws FilterPatternError with a message for the InvalidParameterException. */
export function compileFilterPattern(pattern: string | undefined): LogFilter {
  const text = (pattern ?? '').trim();
  if (text.length > MAX_PATTERN_LENGTH)
    throw new FilterPatternError('The filter pattern is longer than 1024 characters.');
  if (text === '') return () => true;
  if (text.startsWith('{')) return compileJsonFilter(text);
  if (text.startsWith('['))
    throw new FilterPatternError('Space-delimited filter patterns are not supported by the local bus.');
  if (text.startsWith('%'))
    throw new FilterPatternError('Regular expression filter patterns are not supported by the local bus.');
  return compileTermFilter(text);
}

// ---- term patterns ----

function compileTermFilter(text: string): LogFilter {
  const required: string[] = [];
  const optional: string[] = [];
  const excluded: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++;
      continue;
    }
    let kind: 'required' | 'optional' | 'excluded' = 'required';
    if (text[i] === '?' || text[i] === '-') {
      kind = text[i] === '?' ? 'optional' : 'excluded';
      i++;
    }
    let term: string;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) throw new FilterPatternError('Invalid filter pattern: unterminated quoted term.');
      term = text.slice(i + 1, close);
      i = close + 1;
    } else {
      const start = i;
      while (i < text.length && !/\s/.test(text[i])) i++;
      term = text.slice(start, i);
    }
    if (term === '') throw new FilterPatternError('Invalid filter pattern: empty term.');
    (kind === 'required' ? required : kind === 'optional' ? optional : excluded).push(term);
  }
  return (message) =>
    required.every((t) => message.includes(t)) &&
    (optional.length === 0 || optional.some((t) => message.includes(t))) &&
    !excluded.some((t) => message.includes(t));
}

// ---- JSON patterns: a small recursive-descent parser over tokens ----

type Token =
  | { kind: 'selector'; path: (string | number)[] }
  | { kind: 'op'; value: '=' | '!=' | '>' | '<' | '>=' | '<=' }
  | { kind: 'and' | 'or' | 'open' | 'close' }
  | { kind: 'string'; value: string; quoted: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'word'; value: string };

function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (/\s/.test(c)) {
      i++;
    } else if (body.startsWith('&&', i)) {
      tokens.push({ kind: 'and' });
      i += 2;
    } else if (body.startsWith('||', i)) {
      tokens.push({ kind: 'or' });
      i += 2;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close' });
      i++;
    } else if (/[=!<>]/.test(c)) {
      const two = body.slice(i, i + 2);
      if (two === '!=' || two === '>=' || two === '<=') {
        tokens.push({ kind: 'op', value: two });
        i += 2;
      } else if (c === '=' || c === '<' || c === '>') {
        tokens.push({ kind: 'op', value: c });
        i++;
      } else {
        throw new FilterPatternError(`Invalid filter pattern: unexpected '${c}'.`);
      }
    } else if (c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < body.length && body[j] !== '"'; j++) {
        if (body[j] === '\\' && j + 1 < body.length) j++;
        value += body[j];
      }
      if (j >= body.length) throw new FilterPatternError('Invalid filter pattern: unterminated string.');
      tokens.push({ kind: 'string', value, quoted: true });
      i = j + 1;
    } else if (c === '$') {
      const m = /^\$((?:\.[A-Za-z0-9_@-]+|\[\d+\])*)/.exec(body.slice(i))!;
      const path: (string | number)[] = [];
      for (const part of m[1].matchAll(/\.([A-Za-z0-9_@-]+)|\[(\d+)\]/g))
        path.push(part[1] !== undefined ? part[1] : Number(part[2]));
      tokens.push({ kind: 'selector', path });
      i += m[0].length;
    } else {
      const m = /^[^\s()=!<>&|"]+/.exec(body.slice(i));
      if (!m) throw new FilterPatternError(`Invalid filter pattern: unexpected '${c}'.`);
      const word = m[0];
      if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(word)) tokens.push({ kind: 'number', value: Number(word) });
      else tokens.push({ kind: 'word', value: word });
      i += word.length;
    }
  }
  return tokens;
}

type Condition = (doc: unknown) => boolean;

function compileJsonFilter(text: string): LogFilter {
  if (!text.endsWith('}')) throw new FilterPatternError('Invalid filter pattern: a JSON filter must end with }.');
  const tokens = tokenize(text.slice(1, -1));
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];

  const parseOr = (): Condition => {
    const parts = [parseAnd()];
    while (peek()?.kind === 'or') {
      pos++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0] : (doc) => parts.some((p) => p(doc));
  };
  const parseAnd = (): Condition => {
    const parts = [parsePrimary()];
    while (peek()?.kind === 'and') {
      pos++;
      parts.push(parsePrimary());
    }
    return parts.length === 1 ? parts[0] : (doc) => parts.every((p) => p(doc));
  };
  const parsePrimary = (): Condition => {
    const t = tokens[pos++];
    if (t?.kind === 'open') {
      const inner = parseOr();
      if (tokens[pos++]?.kind !== 'close') throw new FilterPatternError('Invalid filter pattern: missing ).');
      return inner;
    }
    if (t?.kind !== 'selector')
      throw new FilterPatternError('Invalid filter pattern: expected a selector such as $.field.');
    return parseComparison(t.path);
  };
  const parseComparison = (path: (string | number)[]): Condition => {
    const t = tokens[pos++];
    if (t?.kind === 'word' && t.value.toUpperCase() === 'IS') {
      const what = tokens[pos++];
      const word = what?.kind === 'word' ? what.value.toUpperCase() : '';
      if (word === 'TRUE' || word === 'FALSE') return (doc) => select(doc, path) === (word === 'TRUE');
      if (word === 'NULL') return (doc) => select(doc, path) === null;
      throw new FilterPatternError('Invalid filter pattern: IS must be followed by TRUE, FALSE or NULL.');
    }
    if (t?.kind === 'word' && t.value.toUpperCase() === 'NOT') {
      const what = tokens[pos++];
      if (what?.kind !== 'word' || what.value.toUpperCase() !== 'EXISTS')
        throw new FilterPatternError('Invalid filter pattern: expected NOT EXISTS.');
      return (doc) => select(doc, path) === undefined;
    }
    if (t?.kind !== 'op') throw new FilterPatternError('Invalid filter pattern: expected a comparison operator.');
    const value = tokens[pos++];
    if (value?.kind === 'number') return numberComparison(path, t.value, value.value);
    if (value?.kind === 'string' || value?.kind === 'word') {
      if (t.value !== '=' && t.value !== '!=')
        throw new FilterPatternError(`Invalid filter pattern: ${t.value} needs a number.`);
      const matches = wildcardMatcher(value.value);
      const equal = t.value === '=';
      return (doc) => {
        const v = select(doc, path);
        if (v === undefined || v === null || typeof v === 'object') return false;
        return matches(typeof v === 'string' ? v : JSON.stringify(v)) === equal;
      };
    }
    throw new FilterPatternError('Invalid filter pattern: expected a value after the operator.');
  };

  const condition = parseOr();
  if (pos !== tokens.length)
    throw new FilterPatternError('Invalid filter pattern: unexpected text after the expression.');
  return (message) => {
    let doc: unknown;
    try {
      doc = JSON.parse(message);
    } catch {
      return false;
    }
    return condition(doc);
  };
}

function numberComparison(path: (string | number)[], op: string, expected: number): Condition {
  return (doc) => {
    const v = select(doc, path);
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    if (Number.isNaN(n)) return false;
    switch (op) {
      case '=':
        return n === expected;
      case '!=':
        return n !== expected;
      case '>':
        return n > expected;
      case '<':
        return n < expected;
      case '>=':
        return n >= expected;
      default:
        return n <= expected;
    }
  };
}

function wildcardMatcher(value: string): (s: string) => boolean {
  if (!value.includes('*')) return (s) => s === value;
  const re = new RegExp(
    `^${value
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    's',
  );
  return (s) => re.test(s);
}

function select(doc: unknown, path: readonly (string | number)[]): unknown {
  let v = doc;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    if (typeof key === 'number') {
      if (!Array.isArray(v)) return undefined;
      v = v[key];
    } else {
      if (Array.isArray(v)) return undefined;
      v = (v as Record<string, unknown>)[key];
    }
  }
  return v;
}
