// Serverless Framework variables (`${self:custom.bus}`, `${sls:stage}`, `${opt:stage, 'dev'}`) in a serverless.yml,
// resolved as far as the file itself tells: `self:` reads the file, the stage is `provider.stage` or `dev`, and a
// fallback (`, 'literal'` or `, self:...`) is used for what only the framework knows (`opt:`, `env:`, `ssm:`, ...).
// CloudFormation's own `${...}` (`${AWS::AccountId}`, `${MyBucket}`, `${MyBucket.Arn}`, `${!Literal}`) are no
// framework variables: the framework passes them through to CloudFormation's Fn::Sub, and so do we.

export class UnresolvedVariable extends Error {}

const MAX_DEPTH = 16;
/** An innermost `${...}`: no `${` inside it. */
const INNERMOST = /\$\{((?:(?!\$\{)[^}])*)\}/;
/** A `${...}` for CloudFormation: a pseudo parameter, a logical id or parameter (with `.Attribute`), or `${!...}`. */
const CLOUDFORMATION_VARIABLE = /^\s*(?:AWS::[A-Za-z]+|[A-Za-z0-9]+(?:\.[A-Za-z0-9.]+)?|!.*)\s*$/s;
/** Stands for the `${` of a CloudFormation variable while the framework's variables around it are resolved. */
const PASSED = '\u0000{';

/** `value` with every variable resolved (a string that is one whole variable takes the referenced value's type). */
export function resolveServerlessVariables(value: unknown, root: Readonly<Record<string, unknown>>): unknown {
  return resolveValue(value, root, 0, false);
}

/** `inSub`: inside an `Fn::Sub`, whose text is CloudFormation's once the framework has resolved its own variables. */
function resolveValue(value: unknown, root: Readonly<Record<string, unknown>>, depth: number, inSub: boolean): unknown {
  if (depth > MAX_DEPTH) throw new UnresolvedVariable('variables nested too deeply (or referring to themselves)');
  if (typeof value === 'string') return resolveString(value, root, depth, inSub);
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, root, depth + 1, inSub));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveValue(v, root, depth + 1, inSub || k === 'Fn::Sub');
    return out;
  }
  return value;
}

function resolveString(text: string, root: Readonly<Record<string, unknown>>, depth: number, inSub: boolean): unknown {
  let current = text;
  for (let steps = 0; ; steps++) {
    const m = INNERMOST.exec(current);
    if (!m) return current.replaceAll(PASSED, '${');
    if (steps > 100) throw new UnresolvedVariable(`too many variables in "${text}"`);
    if (CLOUDFORMATION_VARIABLE.test(m[1])) {
      current = current.slice(0, m.index) + PASSED + current.slice(m.index + 2);
      continue;
    }
    const resolved = resolveExpression(m[1], root, depth, inSub);
    // The whole string is this one variable: keep the value as it is (a list, a mapping, a number).
    if (m.index === 0 && m[0].length === current.length) return resolved;
    if (resolved !== null && typeof resolved === 'object')
      throw new UnresolvedVariable(`\${${m[1]}} is not a string and is used inside text`);
    current = current.slice(0, m.index) + String(resolved) + current.slice(m.index + m[0].length);
  }
}

/** `source:address` alternatives separated by commas; the first that has a value wins. */
function resolveExpression(
  expression: string,
  root: Readonly<Record<string, unknown>>,
  depth: number,
  inSub: boolean,
): unknown {
  const alternatives = splitAlternatives(expression);
  for (const alternative of alternatives) {
    const literal = /^(['"])(.*)\1$/s.exec(alternative);
    if (literal) return literal[2];
    if (/^-?\d+(\.\d+)?$/.test(alternative)) return Number(alternative);
    const value = lookUp(alternative, root, depth);
    if (value !== undefined) return value;
  }
  // Inside an Fn::Sub the text is deployed as written: no advice to change it.
  throw new UnresolvedVariable(
    inSub
      ? `\${${expression}} cannot be resolved without the Serverless Framework (it resolves it before CloudFormation's Fn::Sub)`
      : `\${${expression}} cannot be resolved without the Serverless Framework (give a fallback such as \${${alternatives[0]}, 'value'})`,
  );
}

function splitAlternatives(expression: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ',') {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts;
}

/** The value at one address, or undefined when the file cannot tell it. */
function lookUp(address: string, root: Readonly<Record<string, unknown>>, depth: number): unknown {
  const colon = address.indexOf(':');
  const source = colon < 0 ? '' : address.slice(0, colon);
  const path = colon < 0 ? address : address.slice(colon + 1);
  if (source === 'self') {
    let node: unknown = root;
    for (const key of path.split('.').filter((k) => k !== '')) {
      if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return resolveValue(node, root, depth + 1, false);
  }
  if (source === 'sls' && path === 'stage') return stageOf(root, depth);
  // opt:, env:, ssm:, cf:, file(...), aws:, other sls: values: known to the framework at deploy time only.
  return undefined;
}

function stageOf(root: Readonly<Record<string, unknown>>, depth: number): unknown {
  const provider = root.provider;
  const stage =
    provider !== null && typeof provider === 'object' ? (provider as Record<string, unknown>).stage : undefined;
  return stage === undefined ? 'dev' : resolveValue(stage, root, depth + 1, false);
}
