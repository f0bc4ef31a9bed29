// Hover inside event patterns: what an operator does (with an example and where it is supported), what a field is
// (envelope field, or the catalog's type for a `detail` field), and the whole pattern in plain words. Also home of
// the pattern vocabulary (operator and field documentation, catalog look-ups) that completion shares.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver-types';
import { describeMatcher, describePartialField, describePartialPattern, DIALECTS } from '../../engine';
import type { AstNode, ObjectNode, PropertyNode } from '../../engine/jsonAst';
import type { Dialect, PartialPattern } from '../../engine/patternModel';
import { MAX_OR_COMBINATIONS } from '../../engine/patternValidator';
import { loadCatalog, type Catalog, type CatalogField } from '../../catalog/catalog';
import { siteAt, type AnalyzedSite, type DocumentAnalysis } from '../sites/documentAnalysis';
import type { LanguageService } from '../languageService';
import { learnedFieldAt, learnedFieldMarkdown } from './learnedSchemas';

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary

export interface FieldDoc {
  readonly name: string;
  /** One line, for completion details. */
  readonly summary: string;
  /** Markdown. */
  readonly doc: string;
  /** Whether the field holds an object (a nested pattern) rather than a match list. */
  readonly object?: boolean;
}

/** The fields of every EventBridge event (the envelope), in the order they are usually written. */
export const ENVELOPE_FIELDS: readonly FieldDoc[] = [
  {
    name: 'source',
    summary: 'the service or application that sent the event',
    doc: 'The service or application that sent the event: `aws.<service>` for AWS services (`aws.s3`), your own name for custom events.',
  },
  {
    name: 'detail-type',
    summary: 'the kind of event, together with source',
    doc: 'The kind of event (`Object Created`, `EC2 Instance State-change Notification`); with `source` it decides the shape of `detail`.',
  },
  {
    name: 'detail',
    summary: 'the event body (a nested pattern)',
    doc: 'The event body, a JSON object whose shape depends on `source` and `detail-type`. Match its fields with a nested pattern.',
    object: true,
  },
  {
    name: 'account',
    summary: 'the 12-digit AWS account ID',
    doc: 'The 12-digit ID of the AWS account the event came from.',
  },
  { name: 'region', summary: 'the AWS Region of the event', doc: 'The AWS Region the event came from (`us-east-1`).' },
  {
    name: 'resources',
    summary: 'ARNs of the resources involved',
    doc: 'An array of the ARNs of the resources involved; a pattern value matches when any ARN does.',
  },
  {
    name: 'time',
    summary: 'event time (ISO 8601 text)',
    doc: 'When the event happened, as ISO 8601 text (`2024-05-01T12:00:00Z`). Matched as a string.',
  },
  { name: 'id', summary: 'unique event ID', doc: 'The version 4 UUID EventBridge gives each event.' },
  {
    name: 'version',
    summary: 'envelope version, "0"',
    doc: 'The version of the event envelope; `"0"` for every event so far.',
  },
];

/**
 * Top-level fields of the records Pipes and Lambda event source mappings filter (no envelope there): the common ones
 * per source kind.
 */
export const FILTER_RECORD_FIELDS: readonly FieldDoc[] = [
  {
    name: 'body',
    summary: 'SQS: the message body',
    doc: 'Amazon SQS: the message body (filtered as JSON when it is a JSON object, else as text).',
    object: true,
  },
  {
    name: 'messageAttributes',
    summary: 'SQS: message attributes',
    doc: 'Amazon SQS: the message attributes.',
    object: true,
  },
  {
    name: 'attributes',
    summary: 'SQS: system attributes',
    doc: 'Amazon SQS: system attributes such as `SenderId`.',
    object: true,
  },
  {
    name: 'data',
    summary: 'Kinesis / Amazon MQ: the record data',
    doc: 'Kinesis and Amazon MQ: the record data (filtered as JSON when it decodes to a JSON object).',
    object: true,
  },
  { name: 'partitionKey', summary: 'Kinesis: the partition key', doc: 'Kinesis: the partition key of the record.' },
  {
    name: 'eventName',
    summary: 'DynamoDB: INSERT, MODIFY or REMOVE',
    doc: 'DynamoDB Streams: `INSERT`, `MODIFY` or `REMOVE`.',
  },
  {
    name: 'dynamodb',
    summary: 'DynamoDB: keys and images',
    doc: 'DynamoDB Streams: `Keys`, `NewImage`, `OldImage` of the item.',
    object: true,
  },
  {
    name: 'value',
    summary: 'Kafka / MSK: the record value',
    doc: 'Apache Kafka and Amazon MSK: the record value (filtered as JSON when it is a JSON object).',
    object: true,
  },
];

export const OR_DOC =
  '**$or**: the pattern matches when any of the listed sub-patterns does (each is combined with the fields beside `$or`). At least two objects; AWS allows at most 1000 combinations per pattern.';

export interface OperatorDoc {
  readonly name: string;
  readonly summary: string;
  readonly doc: string;
  readonly example: string;
}

export const OPERATOR_DOCS: Readonly<Record<string, OperatorDoc>> = {
  prefix: {
    name: 'prefix',
    summary: 'string starts with',
    doc: 'Matches string values that start with the given text (case-sensitive; `{"equals-ignore-case": ...}` inside ignores case). Never matches numbers.',
    example: '{"source": [{"prefix": "aws."}]}',
  },
  suffix: {
    name: 'suffix',
    summary: 'string ends with',
    doc: 'Matches string values that end with the given text (case-sensitive; `{"equals-ignore-case": ...}` inside ignores case).',
    example: '{"detail": {"key": [{"suffix": ".png"}]}}',
  },
  'equals-ignore-case': {
    name: 'equals-ignore-case',
    summary: 'string equals, ignoring case',
    doc: 'Matches string values equal to the given text, ignoring case.',
    example: '{"detail": {"state": [{"equals-ignore-case": "running"}]}}',
  },
  wildcard: {
    name: 'wildcard',
    summary: 'string matches a * pattern',
    doc: 'Matches string values against a pattern where `*` stands for any characters (`\\*` is a literal star). Two stars in a row are rejected.',
    example: '{"resources": [{"wildcard": "arn:aws:s3:::bucket/*.png"}]}',
  },
  'anything-but': {
    name: 'anything-but',
    summary: 'any value except',
    doc: 'Matches any value except the listed ones (a string, a number, or a list of either); also takes `prefix`, `suffix`, `equals-ignore-case` or `wildcard` inside. A missing field never matches.',
    example: '{"detail": {"state": [{"anything-but": ["stopped", "terminated"]}]}}',
  },
  numeric: {
    name: 'numeric',
    summary: 'number comparison',
    doc: 'Matches JSON numbers by comparison: one of `=`, `<`, `<=`, `>`, `>=` with a number, or a range `">", lo, "<", hi`. Strings such as `"5"` never match.',
    example: '{"detail": {"size": [{"numeric": [">", 0, "<=", 1024]}]}}',
  },
  exists: {
    name: 'exists',
    summary: 'field is present (or absent)',
    doc: '`true` matches when the field has a value (null and `""` count); `false` when it is missing. Only leaf values count: an object-valued field does not exist.',
    example: '{"detail": {"error": [{"exists": false}]}}',
  },
  cidr: {
    name: 'cidr',
    summary: 'IP address in a CIDR block',
    doc: 'Matches string values holding an IPv4 or IPv6 address inside the given CIDR block.',
    example: '{"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}}',
  },
};

/** Operators allowed inside another operator's object: `{"anything-but": {"prefix": ...}}`, `{"prefix": {"equals-ignore-case": ...}}`. */
export const NESTED_OPERATORS: Readonly<Record<string, readonly string[]>> = {
  'anything-but': ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'],
  prefix: ['equals-ignore-case'],
  suffix: ['equals-ignore-case'],
};

/** How a dialect treats an operator (`outer` for one nested in `anything-but`). */
export function operatorSupport(
  dialect: Dialect,
  operator: string,
  outer?: string,
): 'supported' | 'unsupported' | 'undocumented' {
  const key = outer === 'anything-but' ? `anything-but/${operator}` : operator;
  return DIALECTS[dialect].operators[key] ?? 'supported';
}

function supportLine(dialect: Dialect, operator: string, outer?: string): string {
  const here = operatorSupport(dialect, operator, outer);
  const verdict =
    here === 'supported' ? 'supported' : here === 'unsupported' ? '**not supported**' : 'accepted but not documented';
  const missing = (Object.keys(DIALECTS) as Dialect[]).filter(
    (d) => operatorSupport(d, operator, outer) === 'unsupported',
  );
  const elsewhere =
    missing.length === 0
      ? 'Supported everywhere.'
      : `Not supported in ${missing.map((d) => DIALECTS[d].label).join(', ')}.`;
  return `In this ${DIALECTS[dialect].label} pattern: ${verdict}. ${elsewhere}`;
}

export function operatorMarkdown(operator: string, dialect: Dialect, outer?: string): string {
  const info = OPERATOR_DOCS[operator];
  const title = outer ? `**${outer}** › **${operator}**` : `**${operator}**`;
  const lines = [`${title}: ${info?.doc ?? 'not an EventBridge operator.'}`];
  if (info) lines.push('', '```json', info.example, '```');
  if (dialect === 'sns' && SNS_OPERATOR_NOTES[operator]) lines.push('', SNS_OPERATOR_NOTES[operator]);
  lines.push('', supportLine(dialect, operator, outer));
  return lines.join('\n');
}

/** How SNS applies an operator to a message (Amazon SNS developer guide, "Amazon SNS subscription filter policies"). */
const SNS_OPERATOR_NOTES: Readonly<Record<string, string>> = {
  prefix: 'In SNS: String attributes and body strings; each element of a String.Array attribute is tried.',
  suffix: 'In SNS: String attributes and body strings; each element of a String.Array attribute is tried.',
  'equals-ignore-case': 'In SNS: String attributes and body strings, case ignored; each String.Array element is tried.',
  'anything-but':
    'In SNS: matches a present attribute (or body property) whose value is none of these; a String.Array matches when one of its elements is none of them. An absent attribute does not match (add `{"exists": false}` for that).',
  numeric:
    'In SNS: Number attributes and body numbers, from -10^9 to 10^9 with five digits after the decimal point; a String attribute holding digits does not match.',
  exists: 'In SNS: whether the message has the attribute (MessageAttributes) or the property (MessageBody). Binary attributes are ignored.',
  cidr: 'In SNS: a String attribute or body string holding an IP address within the block.',
  wildcard: 'SNS filter policies have no wildcard operator: use `prefix` or `suffix`.',
};

/** A key of an SNS filter policy: an attribute's or a body property's name. */
export function snsFieldMarkdown(path: readonly string[], scope: string | undefined): string {
  const dotted = path.join('.');
  return scope === 'MessageBody'
    ? `**${dotted}**: a property of the message body (JSON), matched like an event field.`
    : `**${dotted}**: a message attribute. String and Number attributes match by value, a String.Array by any of its elements; Binary attributes are ignored.`;
}

// ---------------------------------------------------------------------------------------------------------------
// Pattern structure helpers (shared with completion)

/**
 * The field path a node sits at, as EventBridge reads it: property names from the pattern root, without array
 * indices and `$or` (a `$or` branch is at its parent's level), dotted keys split (`"a.b"` is `a` then `b`).
 */
export function fieldPathOf(node: AstNode | PropertyNode, root: AstNode): string[] {
  const path: string[] = [];
  let cur: AstNode | PropertyNode | undefined = node;
  while (cur && cur !== root) {
    const parent: AstNode | PropertyNode | undefined = cur.parent;
    if (parent?.type === 'property' && parent.value === cur && parent.key.value !== '$or') {
      path.unshift(...parent.key.value.split('.'));
    }
    cur = parent;
  }
  return path;
}

/** The object a match expression is written in: an object inside a match list (not a `$or` branch). */
export function isMatchExpression(node: AstNode): boolean {
  if (node.type !== 'object') return false;
  const array = node.parent;
  if (array?.type !== 'array') return false;
  const holder = array.parent;
  return !(holder?.type === 'property' && holder.key.value === '$or');
}

/**
 * For a property inside a match expression: its operator, the outer operator when nested
 * (`{"anything-but": {"prefix": ...}}`), and the expression object in the match list.
 */
export function operatorOf(
  property: PropertyNode,
): { operator: string; outer?: string; expression: ObjectNode } | undefined {
  const object = property.parent;
  if (!object) return undefined;
  if (isMatchExpression(object)) return { operator: property.key.value, expression: object };
  const outerProperty = object.parent;
  if (outerProperty?.type === 'property' && outerProperty.parent && isMatchExpression(outerProperty.parent)) {
    return { operator: property.key.value, outer: outerProperty.key.value, expression: outerProperty.parent };
  }
  return undefined;
}

/** The exact `source` and `detail-type` strings a pattern names (top level and `$or` branches). */
export interface ChosenEvents {
  readonly sources: readonly string[];
  readonly detailTypes: readonly string[];
}

export function chosenEvents(root: AstNode | undefined): ChosenEvents {
  const sources = new Set<string>();
  const detailTypes = new Set<string>();
  const visit = (node: AstNode | undefined): void => {
    if (node?.type !== 'object') return;
    for (const p of node.properties) {
      const target = p.key.value === 'source' ? sources : p.key.value === 'detail-type' ? detailTypes : undefined;
      if (target && p.value?.type === 'array') {
        for (const item of p.value.items) if (item.type === 'string' && item.value) target.add(item.value);
      } else if (target && p.value?.type === 'string' && p.value.value) {
        target.add(p.value.value);
      } else if (p.key.value === '$or' && p.value?.type === 'array') {
        p.value.items.forEach(visit);
      }
    }
  };
  visit(root);
  return { sources: [...sources], detailTypes: [...detailTypes] };
}

/** The catalog, or undefined when its file is missing (features then work without it). */
export function availableCatalog(): Catalog | undefined {
  const catalog = loadCatalog();
  return catalog.isAvailable() ? catalog : undefined;
}

/** At most this many (source, detail-type) schemas are merged for one look-up. */
const MAX_SCHEMAS = 64;

/** The (source, detail-type) pairs the catalog has schemas for, for what a pattern names. */
export function schemasFor(catalog: Catalog, chosen: ChosenEvents): { source: string; detailType: string }[] {
  const pairs: { source: string; detailType: string }[] = [];
  const sources =
    chosen.sources.length > 0 ? chosen.sources : chosen.detailTypes.flatMap((dt) => catalog.sourcesOf(dt));
  for (const source of new Set(sources)) {
    const types = chosen.detailTypes.length > 0 ? chosen.detailTypes : catalog.detailTypes(source);
    for (const detailType of types) {
      if (pairs.length >= MAX_SCHEMAS) return pairs;
      if (catalog.hasSchema(source, detailType)) pairs.push({ source, detailType });
    }
  }
  return pairs;
}

export interface KnownField {
  readonly field: CatalogField;
  /** `source / detail-type` of the schemas that have it. */
  readonly schemas: readonly string[];
}

/** The catalog fields under `detail` at `path` (`[]` for detail's own fields), merged over the schemas. */
export function detailFieldsAt(catalog: Catalog, chosen: ChosenEvents, path: readonly string[]): KnownField[] {
  const byName = new Map<string, { field: CatalogField; schemas: string[] }>();
  for (const { source, detailType } of schemasFor(catalog, chosen)) {
    for (const field of catalog.detailFields(source, detailType, path) ?? []) {
      const known = byName.get(field.name);
      if (known) known.schemas.push(`${source} / ${detailType}`);
      else byName.set(field.name, { field, schemas: [`${source} / ${detailType}`] });
    }
  }
  return [...byName.values()];
}

/** The catalog field at `path` under `detail`, from the first schema that has it. */
export function detailFieldAt(catalog: Catalog, chosen: ChosenEvents, path: readonly string[]): KnownField | undefined {
  const schemas: string[] = [];
  let found: CatalogField | undefined;
  for (const { source, detailType } of schemasFor(catalog, chosen)) {
    const field = catalog.detailField(source, detailType, path);
    if (!field) continue;
    found ??= field;
    schemas.push(`${source} / ${detailType}`);
  }
  return found ? { field: found, schemas } : undefined;
}

export function fieldTypeText(field: CatalogField): string {
  if (field.type === 'array' || field.type === 'map') return `${field.type} of ${field.items?.type ?? 'any'}`;
  if (field.type === 'union') return (field.anyOf ?? []).join(' | ');
  return field.format ? `${field.type} (${field.format})` : field.type;
}

/** How many sub-patterns `$or` expands to (the product over every `$or` of its branches' sum). */
export function orCombinations(node: AstNode | undefined): number {
  if (node?.type !== 'object') return 1;
  let total = 1;
  for (const p of node.properties) {
    if (p.key.value === '$or' && p.value?.type === 'array') {
      total *= p.value.items.reduce((sum, branch) => sum + orCombinations(branch), 0) || 1;
    } else if (p.value?.type === 'object') {
      total *= orCombinations(p.value);
    }
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------------------
// Positions

/** A pattern site seen at a document position, in the pattern's own offsets. */
export interface SiteView {
  readonly site: AnalyzedSite;
  /** The text the pattern's offsets refer to: the document, or the decoded JSON of a string pattern. */
  readonly text: string;
  readonly offset: number;
  toRange(document: TextDocument, offset: number, length: number): Range;
}

export function siteView(analysis: DocumentAnalysis, docOffset: number): SiteView | undefined {
  const site = siteAt(analysis, docOffset);
  if (!site) return undefined;
  return viewOf(site, analysis, docOffset);
}

export function viewOf(site: AnalyzedSite, analysis: DocumentAnalysis, docOffset: number): SiteView | undefined {
  const offset = site.fromDocument(docOffset);
  if (offset === undefined) return undefined;
  return {
    site,
    text: site.site.form === 'string' ? site.site.text : analysis.text,
    offset,
    toRange: (document, at, length) => {
      const span = site.toDocument(at, length);
      return { start: document.positionAt(span.offset), end: document.positionAt(span.offset + span.length) };
    },
  };
}

const within = (n: { offset: number; length: number }, offset: number): boolean =>
  offset >= n.offset && offset <= n.offset + n.length;

/** The property whose key holds `offset`, searched below `node`. */
export function keyAt(node: AstNode | undefined, offset: number): PropertyNode | undefined {
  let cur = node;
  while (cur && within(cur, offset)) {
    let next: AstNode | undefined;
    if (cur.type === 'object') {
      for (const p of cur.properties) {
        if (within(p.key, offset) && offset < p.key.offset + p.key.length) return p;
        if (p.value && within(p.value, offset)) next = p.value;
      }
    } else if (cur.type === 'array') {
      next = cur.items.find((item) => within(item, offset));
    }
    cur = next;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Hover

export function doHover(service: LanguageService, document: TextDocument, position: Position): Hover | null {
  const analysis = service.analyze(document);
  const docOffset = document.offsetAt(position);
  const holder = holderHover(analysis, document, docOffset);
  if (holder) return holder;
  const view = siteView(analysis, docOffset);
  const root = view?.site.patternRoot;
  if (!view || !root) return null;
  const property = keyAt(root, view.offset);
  if (!property) return null;
  const dialect = view.site.site.dialect;
  const range = view.toRange(document, property.key.offset, property.key.length);
  const markdown = (value: string): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range });
  // The partial pattern: values known only at deploy are said so, and the rest is described.
  const pattern = view.site.analysis.partialPattern;
  if (property.keyUnknown !== undefined)
    return markdown(`\`${property.key.value}\`: a key known only at deploy (${property.keyUnknown}).`);

  const op = operatorOf(property);
  if (op) {
    const lines = [operatorMarkdown(op.operator, dialect, op.outer)];
    const here = describeExpression(pattern, op.expression);
    if (here) lines.push('', `Here: ${here}.`);
    return markdown(lines.join('\n'));
  }
  if (property.key.value === '$or') {
    return markdown([OR_DOC, '', wholePattern(root, pattern)].join('\n'));
  }
  const path = fieldPathOf(property.value ?? property.key, root);
  if (property.value === undefined) path.push(...property.key.value.split('.'));
  const lines = [
    dialect === 'sns' ? snsFieldMarkdown(path, view.site.site.snsScope) : fieldMarkdown(service, path, root, dialect),
  ];
  const condition = conditionOf(pattern, path.join('.'));
  if (condition) lines.push('', `In this pattern: ${condition}.`);
  if (property.parent === root) lines.push('', '---', '', wholePattern(root, pattern));
  return markdown(lines.join('\n'));
}

/** Hover on the key holding a pattern (`EventPattern:`, `Pattern:`, `pattern:`): the pattern in plain words. */
function holderHover(analysis: DocumentAnalysis, document: TextDocument, docOffset: number): Hover | null {
  const parts: string[] = [];
  let range: Range | undefined;
  for (const s of analysis.sites) {
    const holder = s.site.valueNode.parent;
    if (holder?.type !== 'property') continue;
    const key = holder.key;
    if (docOffset < key.offset || docOffset >= key.offset + key.length) continue;
    range ??= { start: document.positionAt(key.offset), end: document.positionAt(key.offset + key.length) };
    const when = s.site.conditions.length > 0 ? ` (when ${s.site.conditions.join(', ')})` : '';
    const what = s.site.dialect === 'sns' ? `**SNS filter policy** (scope ${s.site.snsScope ?? 'MessageAttributes'}` : `**Event pattern** (${DIALECTS[s.site.dialect].label}`;
    const head = `${what}${s.site.form === 'string' ? ', JSON text' : ''})${when}`;
    parts.push(`${head}\n\n${wholePattern(s.patternRoot, s.analysis.partialPattern)}`);
  }
  if (!range) return null;
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, range };
}

function wholePattern(root: AstNode | undefined, pattern: PartialPattern | undefined): string {
  const combos = orCombinations(root);
  const limit = combos > MAX_OR_COMBINATIONS ? ` (AWS allows at most ${MAX_OR_COMBINATIONS})` : '';
  const count = combos > 1 ? `\n\n\`$or\` expands to ${combos} combinations${limit}.` : '';
  if (!pattern) return `This pattern has problems (see the diagnostics), so it cannot be described yet.${count}`;
  if (pattern.rules.every((r) => r.conditions.length === 0 && r.unknownParts.length === 0))
    return `Matches every event.${count}`;
  const text = describePartialPattern(pattern);
  // One sentence ends with a full stop; a list of combinations does not.
  const end = pattern.rules.length === 1 ? '.' : '';
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${end}${count}`;
}

function fieldMarkdown(service: LanguageService, path: readonly string[], root: AstNode, dialect: Dialect): string {
  const dotted = path.join('.');
  if (path.length === 1) {
    const fields = dialect === 'pipes' || dialect === 'lambda' ? FILTER_RECORD_FIELDS : ENVELOPE_FIELDS;
    const known = fields.find((f) => f.name === path[0]);
    if (known) return `**${dotted}**: ${known.doc}`;
  }
  if (path[0] === 'detail' && path.length > 1 && (dialect === 'eventbus' || dialect === 'archive')) {
    const catalog = availableCatalog();
    const known = catalog && detailFieldAt(catalog, chosenEvents(root), path.slice(1));
    if (known) {
      const schemas =
        known.schemas.length > 3 ? `${known.schemas.slice(0, 3).join(', ')}, …` : known.schemas.join(', ');
      const required = known.field.required ? ', required' : '';
      return `**${dotted}**: \`${fieldTypeText(known.field)}\`${required}\n\nFrom the schema of ${schemas}.`;
    }
    // A custom source's field, as its sample events (or a schema registry) have it.
    const learned = learnedFieldAt(service, chosenEvents(root), path.slice(1));
    if (learned) return learnedFieldMarkdown(dotted, learned, service);
  }
  return `**${dotted}**: a field of the ${dialect === 'pipes' || dialect === 'lambda' ? 'record' : 'event'}.`;
}

/** What the pattern asks of one field, over every `$or` combination that names it. */
function conditionOf(pattern: PartialPattern | undefined, path: string): string | undefined {
  if (!pattern) return undefined;
  const seen = new Set<string>();
  for (const rule of pattern.rules)
    for (const f of rule.conditions) if (f.path === path) seen.add(describePartialField(f));
  if (seen.size === 0) return undefined;
  return [...seen].join('; or ');
}

function describeExpression(
  pattern: PartialPattern | undefined,
  expression: ObjectNode | undefined,
): string | undefined {
  if (!pattern || !expression) return undefined;
  for (const rule of pattern.rules) {
    for (const f of rule.conditions)
      for (const m of f.matchers) if (m.node === expression) return describeMatcher(m.matcher);
  }
  return undefined;
}
