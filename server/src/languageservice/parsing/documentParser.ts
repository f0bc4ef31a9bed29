// Turns a JSON or YAML document into the house AST (see engine/jsonAst.ts), once, so every feature is written
// once. CloudFormation intrinsic functions (short-form tags and long-form one-key mappings) become UnknownNodes:
// their value is only known at deploy time, but the raw argument stays reachable (`IntrinsicNode.argument`) so a
// `!Sub` of a JSON pattern string can still be analysed.

import { ParseErrorCode, visit } from 'jsonc-parser';
import * as yaml from 'yaml';
import type {
  ArrayNode,
  AstNode,
  BooleanNode,
  NullNode,
  NumberNode,
  ObjectNode,
  PropertyNode,
  StringNode,
} from '../../engine/jsonAst';
import { INTRINSIC_TAGS, isIntrinsicKey } from '../../cfn/intrinsics';
import type { StringStyle } from './stringSourceMap';
import { parseWithRelaxedFlowIndentation } from './yamlFlowIndentation';
import { bracketDepth, parseJsonRegions } from './jsonRegions';
import { readWellFormedJson } from './wellFormedJson';
import { readSimpleYaml } from './simpleYaml';
import { readYamlRegions } from './yamlRegions';

export {
  isIntrinsicNode,
  type DocumentLanguageId,
  type IntrinsicNode,
  type ParsedDocument,
  type SourcedStringNode,
  type SyntaxProblem,
} from './parsedDocument';
import type { IntrinsicNode, ParsedDocument, SourcedStringNode, SyntaxProblem } from './parsedDocument';
import { intrinsicDescription, isLongFormIntrinsic, JSON_NUMBER, linkAllParents, truncate } from './parsedDocument';

export function stringStyleOf(node: StringNode): StringStyle | undefined {
  return (node as Partial<SourcedStringNode>).style;
}

/** Nesting deeper than this is not represented (UnknownNode / refused): downstream walkers may recurse. */
export const MAX_NESTING_DEPTH = 1000;
/** Nodes an alias expansion may create in one document before further aliases become UnknownNodes. */
export const MAX_ALIAS_EXPANSION_NODES = 10_000;

export function parseDocument(text: string, languageId: 'json' | 'yaml'): ParsedDocument {
  return languageId === 'json' ? parseJsonDocument(text) : parseYamlDocument(text);
}

// ---------------------------------------------------------------------------------------------------------------
// Shared helpers

// ---------------------------------------------------------------------------------------------------------------
// JSON

/** The message of a comma missing between two JSON properties or elements (at the token after it). */
export const JSON_COMMA_EXPECTED = 'Comma expected';

const JSON_ERROR_MESSAGES: Readonly<Record<number, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'Invalid symbol',
  [ParseErrorCode.InvalidNumberFormat]: 'Invalid number format',
  [ParseErrorCode.PropertyNameExpected]: 'Property name expected',
  [ParseErrorCode.ValueExpected]: 'Value expected',
  [ParseErrorCode.ColonExpected]: 'Colon expected',
  [ParseErrorCode.CommaExpected]: JSON_COMMA_EXPECTED,
  [ParseErrorCode.CloseBraceExpected]: 'Closing brace expected',
  [ParseErrorCode.CloseBracketExpected]: 'Closing bracket expected',
  [ParseErrorCode.EndOfFileExpected]: 'End of file expected',
  [ParseErrorCode.InvalidCommentToken]: 'Invalid comment token',
  [ParseErrorCode.UnexpectedEndOfComment]: 'Unexpected end of comment',
  [ParseErrorCode.UnexpectedEndOfString]: 'Unexpected end of string',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'Unexpected end of number',
  [ParseErrorCode.InvalidUnicode]: 'Invalid unicode sequence in string',
  [ParseErrorCode.InvalidEscapeCharacter]: 'Invalid escape character in string',
  [ParseErrorCode.InvalidCharacter]: 'Invalid characters in string. Control characters must be escaped.',
};

interface PendingProperty {
  readonly key: StringNode;
  colonOffset: number;
  value: AstNode | undefined;
}

interface JsonContainerFrame {
  readonly kind: 'object' | 'array';
  readonly offset: number;
  /** End of the last thing consumed inside: the container's end when it is not closed. */
  lastEnd: number;
  readonly properties: PropertyNode[];
  readonly items: AstNode[];
  pending: PendingProperty | undefined;
}

/** A document the parser will not analyse: no tree, and why, at its start. */
function refused(syntaxErrors: SyntaxProblem[], message: string): ParsedDocument {
  syntaxErrors.push({ offset: 0, length: 0, message, severity: 'error' });
  return { root: undefined, syntaxErrors };
}

function parseJsonDocument(text: string): ParsedDocument {
  const whole = parseJsonText(text);
  // With syntax errors, each `Resources` entry is read on its own, so that an error stays in its entry (see
  // jsonRegions.ts). A document refused for its depth stays refused.
  if (whole.root !== undefined && whole.syntaxErrors.length > 0) return parseJsonRegions(text, parseJsonText) ?? whole;
  return whole;
}

const JSON_INTRINSICS = { isLongFormIntrinsic, describe: intrinsicDescription };

/**
 * A parse of the whole JSON text, as it is (the entries are not isolated): a well-formed text by the fast reader
 * (wellFormedJson.ts), anything else by jsonc-parser, which reports and recovers from every problem.
 */
export function parseJsonText(text: string, options: { readonly wellFormedReader?: boolean } = {}): ParsedDocument {
  const wellFormed =
    options.wellFormedReader === false ? undefined : readWellFormedJson(text, MAX_NESTING_DEPTH, JSON_INTRINSICS);
  if (wellFormed) return { root: wellFormed, syntaxErrors: [] };
  const syntaxErrors: SyntaxProblem[] = [];
  if (bracketDepth(text) > MAX_NESTING_DEPTH) {
    return refused(
      syntaxErrors,
      `The document is nested more than ${MAX_NESTING_DEPTH} levels deep and is not analysed.`,
    );
  }

  const frames: JsonContainerFrame[] = [];
  let root: AstNode | undefined;

  const finishProperty = (frame: JsonContainerFrame): void => {
    const p = frame.pending;
    if (!p) return;
    const end = p.value
      ? p.value.offset + p.value.length
      : p.colonOffset >= 0
        ? p.colonOffset + 1
        : p.key.offset + p.key.length;
    frame.properties.push({
      type: 'property',
      offset: p.key.offset,
      length: end - p.key.offset,
      key: p.key,
      value: p.value,
      colonOffset: p.colonOffset,
    });
    frame.pending = undefined;
  };

  const attach = (node: AstNode): void => {
    const frame = frames[frames.length - 1];
    if (!frame) {
      root ??= node;
      return;
    }
    frame.lastEnd = node.offset + node.length;
    if (frame.kind === 'array') {
      frame.items.push(node);
    } else if (frame.pending && !frame.pending.value) {
      frame.pending.value = node;
      finishProperty(frame);
    }
  };

  const beginContainer = (kind: 'object' | 'array', offset: number): void => {
    frames.push({ kind, offset, lastEnd: offset + 1, properties: [], items: [], pending: undefined });
  };

  const endContainer = (offset: number, closer: string): void => {
    const frame = frames.pop();
    if (!frame) return;
    finishProperty(frame);
    const closed = text[offset] === closer;
    const end = closed ? offset + 1 : frame.lastEnd;
    let node: AstNode;
    if (frame.kind === 'array') {
      node = {
        type: 'array',
        offset: frame.offset,
        length: end - frame.offset,
        items: frame.items,
        closed,
      } satisfies ArrayNode;
    } else {
      const only = frame.properties.length === 1 ? frame.properties[0] : undefined;
      if (only && isLongFormIntrinsic(only.key.value, only.value)) {
        const intrinsic: IntrinsicNode = {
          type: 'unknown',
          offset: frame.offset,
          length: end - frame.offset,
          tag: only.key.value,
          intrinsic: only.key.value,
          description: intrinsicDescription(only.key.value, only.value, text),
          argument: only.value,
        };
        node = intrinsic;
      } else {
        node = {
          type: 'object',
          offset: frame.offset,
          length: end - frame.offset,
          properties: frame.properties,
          closed,
        } satisfies ObjectNode;
      }
    }
    attach(node);
  };

  try {
    visit(
      text,
      {
        onObjectBegin: (offset) => beginContainer('object', offset),
        onObjectEnd: (offset) => endContainer(offset, '}'),
        onArrayBegin: (offset) => beginContainer('array', offset),
        onArrayEnd: (offset) => endContainer(offset, ']'),
        onObjectProperty: (property, offset, length) => {
          const frame = frames[frames.length - 1];
          if (!frame) return;
          finishProperty(frame);
          const key: SourcedStringNode = { type: 'string', offset, length, value: property, style: 'json' };
          frame.pending = { key, colonOffset: -1, value: undefined };
          frame.lastEnd = offset + length;
        },
        onSeparator: (character, offset) => {
          const frame = frames[frames.length - 1];
          if (character === ':' && frame?.pending) {
            frame.pending.colonOffset = offset;
            frame.lastEnd = offset + 1;
          }
        },
        onLiteralValue: (value: unknown, offset, length) => attach(jsonLiteral(value, offset, length, text)),
        onError: (error, offset, length) => {
          // jsonc-parser can report past the end (an unclosed `/*` at the end of the text spans 3 of its 2 characters).
          syntaxErrors.push({
            offset: Math.min(offset, text.length),
            length: Math.max(0, Math.min(length, text.length - offset)),
            message: JSON_ERROR_MESSAGES[error] ?? 'Syntax error',
            severity: 'error',
          });
        },
      },
      { disallowComments: false, allowTrailingComma: true, allowEmptyContent: true },
    );
  } catch (e) {
    // The depth check above should prevent this; a stack overflow must still not take the server down.
    if (!(e instanceof RangeError)) throw e;
    return refused(syntaxErrors, 'The document is too deeply nested to analyse.');
  }
  // Containers left open at the end of the text (jsonc-parser closes them itself, but be safe).
  while (frames.length > 0) endContainer(text.length, '\0');
  if (root) linkAllParents(root);
  return { root, syntaxErrors };
}

function jsonLiteral(value: unknown, offset: number, length: number, text: string): AstNode {
  if (typeof value === 'string') {
    const node: SourcedStringNode = { type: 'string', offset, length, value, style: 'json' };
    return node;
  }
  if (typeof value === 'number') {
    return { type: 'number', offset, length, value, text: text.slice(offset, offset + length) } satisfies NumberNode;
  }
  if (typeof value === 'boolean') return { type: 'boolean', offset, length, value } satisfies BooleanNode;
  return { type: 'null', offset, length } satisfies NullNode;
}

// ---------------------------------------------------------------------------------------------------------------
// YAML

/**
 * The CloudFormation short-form tags, registered for every node kind so the yaml parser accepts them silently
 * (a tag on the wrong kind is a template problem for a CloudFormation check, not a YAML syntax problem).
 * Each keeps its node as parsed; the conversion below reads the tag.
 */
const CFN_CUSTOM_TAGS: yaml.Tags = INTRINSIC_TAGS.flatMap((t): yaml.Tags => [
  { tag: t.tag, resolve: (value: string) => value },
  { tag: t.tag, collection: 'seq', resolve: (value: yaml.YAMLSeq.Parsed | yaml.YAMLMap.Parsed) => value },
  { tag: t.tag, collection: 'map', resolve: (value: yaml.YAMLSeq.Parsed | yaml.YAMLMap.Parsed) => value },
]);
const CFN_LONG_FORM_BY_TAG: ReadonlyMap<string, string> = new Map(INTRINSIC_TAGS.map((t) => [t.tag, t.longForm]));

const YAML_OPTIONS: yaml.ParseOptions & yaml.DocumentOptions & yaml.SchemaOptions = {
  customTags: CFN_CUSTOM_TAGS,
  keepSourceTokens: true,
  prettyErrors: false,
  // Duplicate keys are resolved like everywhere else in the house AST (the last one wins).
  uniqueKeys: false,
};

/**
 * The schema of every text without a `%YAML` directive (YAML 1.2's core schema and the CloudFormation tags), built
 * once: building one costs about as much as parsing a resource, and a template read region by region (yamlRegions.ts)
 * is thousands of parses. A text with a directive gets the schema its version asks for, as the yaml parser decides;
 * so does one with a `!!` tag, since the composer adds to its schema's tags each time it meets a known tag such as
 * `!!binary` (a shared schema would grow with every parse).
 */
let coreSchema: yaml.Schema | undefined;
const YAML_DIRECTIVE = /^%/m;

function yamlOptionsFor(text: string): typeof YAML_OPTIONS {
  if (YAML_DIRECTIVE.test(text) || text.includes('!!')) return YAML_OPTIONS;
  coreSchema ??= new yaml.Schema({ customTags: CFN_CUSTOM_TAGS, resolveKnownTags: true, schema: 'core' });
  return { ...YAML_OPTIONS, schema: coreSchema };
}

type YamlNode = yaml.Scalar | yaml.YAMLMap | yaml.YAMLSeq | yaml.Alias;

/** Where a converted node goes. */
type Slot =
  | { readonly kind: 'root' }
  | { readonly kind: 'item'; readonly items: AstNode[]; readonly index: number }
  | { readonly kind: 'value'; readonly property: { value: AstNode | undefined } }
  | { readonly kind: 'argument'; readonly intrinsic: IntrinsicNode };

/** The anchors being expanded above a node (to stop recursive aliases). */
interface AliasChain {
  readonly target: YamlNode;
  readonly next: AliasChain | undefined;
}

interface YamlWork {
  readonly node: YamlNode | null | undefined;
  readonly slot: Slot;
  readonly depth: number;
  readonly aliasChain: AliasChain | undefined;
  /** Inside an alias expansion every node takes the alias's own span (the text that is actually there). */
  readonly aliasSpan: { readonly offset: number; readonly length: number } | undefined;
  /** Set once the node's CloudFormation tag has been turned into an IntrinsicNode around it. */
  readonly tagHandled: boolean;
  /** Where a missing (null) node sits. */
  readonly fallbackOffset: number;
}

/**
 * A cheap upper bound of how deep the yaml composer will recurse: block levels need at least a column each (two
 * for a zero-indented sequence under a mapping), flow levels are counted by brackets (in strings too: an
 * over-estimate is safe). The composer recurses per level, and a stack overflow deep inside it can abort the
 * process (V8 cannot always recover when it strikes inside regular-expression compilation), so a document that
 * might go that deep is refused before parsing.
 */
export function yamlNestingEstimate(text: string): number {
  let estimate = 0;
  let flow = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    let column = 0;
    while (i < n && text[i] === ' ') {
      i++;
      column++;
    }
    // Compact nested entries (`- - x`, `? a`, `- a: b`) start deeper on the same line.
    while (
      i < n &&
      (text[i] === '-' || text[i] === '?' || text[i] === ':') &&
      (text[i + 1] === ' ' || text[i + 1] === '\n')
    ) {
      i++;
      column++;
      while (i < n && text[i] === ' ') {
        i++;
        column++;
      }
    }
    estimate = Math.max(estimate, 2 * column + 2 * flow);
    for (; i < n && text[i] !== '\n'; i++) {
      const c = text[i];
      if (c === '[' || c === '{') {
        flow++;
        estimate = Math.max(estimate, 2 * column + 2 * flow);
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
      }
    }
    i++;
  }
  return estimate;
}

/** The yaml composer overflowed the stack at about 950 flow or 1,570 block levels on Node 20: stay well below. */
export const MAX_YAML_NESTING_ESTIMATE = 1000;

function parseYamlDocument(text: string): ParsedDocument {
  const syntaxErrors: SyntaxProblem[] = [];
  if (yamlNestingEstimate(text) > MAX_YAML_NESTING_ESTIMATE) {
    return refused(syntaxErrors, 'The document is nested too deeply (or indented too far) to be analysed safely.');
  }
  // Region by region first (see yamlRegions.ts): a template that reads so without problems is done (the same tree as
  // a whole parse, sooner); one with problems is kept for the end, read once.
  const byRegions = readYamlRegions(text, parseYamlLeniently);
  if (byRegions && byRegions.syntaxErrors.length === 0) return byRegions;
  const whole = parseYamlText(text);
  if (!whole.syntaxErrors.some((e) => e.severity === 'error')) return whole;
  // Flow collections and quoted strings indented as CloudFormation accepts (see yamlFlowIndentation.ts). The text read
  // is not checked against the nesting bound again: it only has spaces added at the starts of lines inside brackets
  // and quotes, which adds no level to the composer's recursion (the text as written passed the bound). Checking it
  // made whether a construct is read leniently depend on brackets anywhere in the file (the estimate counts the
  // column of those lines), which a region re-parsed on its own cannot see.
  const relaxed = parseWithRelaxedFlowIndentation(text, parseYamlText);
  if (relaxed) return relaxed;
  // With syntax errors, each region is read on its own, so that an error stays in its region (see yamlRegions.ts).
  return byRegions ?? whole;
}

/**
 * A YAML text (a region read on its own, say) read as CloudFormation reads it: as it is, or, when that has errors,
 * with the under-indented lines of its flow collections and quoted strings indented (yamlFlowIndentation.ts), if that
 * reads without errors. Regions are read so whether or not another region has a syntax error: a lenient construct in
 * one entry is not an error because another entry has one, and a region re-parsed alone after an edit reads as it
 * does in a full parse.
 */
export function parseYamlLeniently(text: string): ParsedDocument {
  const parsed = parseYamlText(text);
  if (!parsed.syntaxErrors.some((e) => e.severity === 'error')) return parsed;
  return parseWithRelaxedFlowIndentation(text, parseYamlText) ?? parsed;
}

/**
 * A parse of the whole YAML text, as it is (the regions are not isolated), for a text below the nesting bound (the
 * caller checks it).
 */
export function parseYamlText(text: string): ParsedDocument {
  return readSimpleYaml(text) ?? parseYamlWithLibrary(text);
}

/**
 * The yaml library's reading of a whole YAML text (see parseYamlText): what simpleYaml.ts must agree with wherever it
 * reads a text itself.
 */
export function parseYamlWithLibrary(text: string): ParsedDocument {
  const syntaxErrors: SyntaxProblem[] = [];
  let documents: yaml.Document.Parsed[];
  try {
    documents = parseAllYamlDocuments(text);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return refused(syntaxErrors, 'The document is nested too deeply to parse; it is not analysed.');
  }
  // Problems anywhere in the file are reported; only the first document is analysed (a template is one document).
  for (const doc of documents) {
    for (const e of doc.errors) syntaxErrors.push(yamlProblem(e, 'error', text));
    for (const w of doc.warnings) syntaxErrors.push(yamlProblem(w, 'warning', text));
  }
  const first = documents[0];
  if (!first || first.contents === null) return { root: undefined, syntaxErrors };
  const root = new YamlConverter(text, syntaxErrors).convert(first.contents);
  if (root) linkAllParents(root);
  return { root, syntaxErrors };
}

/** Levels the yaml parser may have open (see parseAllYamlDocuments); it overflowed the stack at about 2,000. */
const MAX_YAML_PARSER_LEVELS = 1000;

/**
 * yaml.parseAllDocuments, but refusing (a RangeError) a text whose parse opens more than MAX_YAML_PARSER_LEVELS
 * levels. The parser (before the composer) recurses per open level too, and its recovery from a flow collection left
 * open in a block document (`{` typed before an entry's key) can open a level every few lines after it, which the
 * nesting estimate does not foresee: counted at each line, the refusal does not depend on how much stack is left.
 */
function parseAllYamlDocuments(text: string): yaml.Document.Parsed[] {
  const parser = new yaml.Parser(() => {
    if (parser.stack.length > MAX_YAML_PARSER_LEVELS) throw new RangeError('The yaml parser opened too many levels');
  });
  const composer = new yaml.Composer(yamlOptionsFor(text));
  return Array.from(composer.compose(parser.parse(text)));
}

function yamlProblem(e: yaml.YAMLError, severity: 'error' | 'warning', text: string): SyntaxProblem {
  const start = Math.min(e.pos[0], text.length);
  const end = Math.min(Math.max(e.pos[1], start), text.length);
  // The yaml composer recurses per nesting level and reports a stack overflow as an ordinary error.
  const message = e.message.includes('Maximum call stack size exceeded')
    ? 'The document is nested too deeply to parse; the rest of this value is not analysed.'
    : e.message;
  return { offset: start, length: end - start, message, severity, code: e.code };
}

class YamlConverter {
  private readonly anchors = new Map<string, YamlNode>();
  private aliasBudget = MAX_ALIAS_EXPANSION_NODES;
  private reportedDepth = false;
  private root: AstNode | undefined;

  constructor(
    private readonly text: string,
    private readonly problems: SyntaxProblem[],
  ) {}

  convert(contents: YamlNode): AstNode | undefined {
    // An explicit stack in document order (children pushed in reverse): anchors are met before their aliases, and
    // deep documents cannot overflow the call stack.
    const stack: YamlWork[] = [
      {
        node: contents,
        slot: { kind: 'root' },
        depth: 0,
        aliasChain: undefined,
        aliasSpan: undefined,
        tagHandled: false,
        fallbackOffset: 0,
      },
    ];
    while (stack.length > 0) this.step(stack.pop()!, stack);
    return this.root;
  }

  private place(slot: Slot, node: AstNode): void {
    switch (slot.kind) {
      case 'root':
        this.root = node;
        break;
      case 'item':
        slot.items[slot.index] = node;
        break;
      case 'value':
        slot.property.value = node;
        break;
      case 'argument':
        slot.intrinsic.argument = node;
        break;
    }
  }

  private spanOf(work: YamlWork): { offset: number; length: number } {
    if (work.aliasSpan) return work.aliasSpan;
    const range = work.node?.range;
    if (!range) return { offset: work.fallbackOffset, length: 0 };
    return { offset: range[0], length: Math.max(0, this.endOf(work.node, range) - range[0]) };
  }

  /** A block collection's range runs to the start of the next line; its node ends at its last character. */
  private endOf(node: YamlNode | null | undefined, range: readonly [number, number, number]): number {
    let end = range[1];
    if (yaml.isCollection(node)) while (end > range[0] && /\s/.test(this.text[end - 1])) end--;
    return end;
  }

  private step(work: YamlWork, stack: YamlWork[]): void {
    const node = work.node;
    const span = this.spanOf(work);
    if (work.aliasSpan) {
      if (this.aliasBudget <= 0) {
        this.place(work.slot, { type: 'unknown', ...span, description: 'alias expansion stopped: too large' });
        return;
      }
      this.aliasBudget--;
    }
    if (work.depth > MAX_NESTING_DEPTH) {
      if (!this.reportedDepth) {
        this.reportedDepth = true;
        this.problems.push({
          ...span,
          message: `Nesting deeper than ${MAX_NESTING_DEPTH} levels is not analysed.`,
          severity: 'warning',
        });
      }
      this.place(work.slot, { type: 'unknown', ...span, description: 'nested too deeply to analyse' });
      return;
    }
    if (node === null || node === undefined) {
      this.place(work.slot, { type: 'null', offset: work.fallbackOffset, length: 0 });
      return;
    }
    if (!work.aliasSpan && node.anchor) this.anchors.set(node.anchor, node);

    if (yaml.isAlias(node)) {
      this.expandAlias(node, work, span, stack);
      return;
    }

    const longForm = node.tag !== undefined && !work.tagHandled ? CFN_LONG_FORM_BY_TAG.get(node.tag) : undefined;
    if (longForm !== undefined && node.tag !== undefined) {
      this.convertShortFormIntrinsic(node, node.tag, longForm, work, span, stack);
      return;
    }

    if (yaml.isScalar(node)) {
      this.place(work.slot, this.scalar(node, span, work));
    } else if (yaml.isMap(node)) {
      this.map(node, work, span, stack);
    } else if (yaml.isSeq(node)) {
      const items: AstNode[] = new Array<AstNode>(node.items.length);
      const closed = this.isClosed(node, span, ']');
      const array: ArrayNode = { type: 'array', ...span, items, closed, ...this.tagOf(node, work) };
      this.place(work.slot, array);
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i] as YamlNode | null;
        stack.push(this.child(work, item, { kind: 'item', items, index: i }, span.offset + span.length));
      }
    }
  }

  /** A flow collection is closed when its text ends with the closing bracket; block collections always are. */
  private isClosed(
    node: yaml.YAMLMap | yaml.YAMLSeq,
    span: { offset: number; length: number },
    closer: string,
  ): boolean {
    if (!node.flow || span.length === 0) return true;
    return this.text[span.offset + span.length - 1] === closer;
  }

  private child(parent: YamlWork, node: YamlNode | null | undefined, slot: Slot, fallbackOffset: number): YamlWork {
    return {
      node,
      slot,
      depth: parent.depth + 1,
      aliasChain: parent.aliasChain,
      aliasSpan: parent.aliasSpan,
      tagHandled: false,
      fallbackOffset,
    };
  }

  /** Non-CloudFormation tags are recorded as well (`!!str`, custom ones): they change how a value reads. */
  private tagOf(node: YamlNode, work: YamlWork): { tag?: string } {
    // The argument of a short-form intrinsic is the same yaml node: the tag belongs to the IntrinsicNode only.
    if (work.tagHandled) return {};
    return node.tag !== undefined && !node.tag.startsWith('tag:yaml.org,2002:') ? { tag: node.tag } : {};
  }

  private expandAlias(
    alias: yaml.Alias,
    work: YamlWork,
    span: { offset: number; length: number },
    stack: YamlWork[],
  ): void {
    const target = this.anchors.get(alias.source);
    let reason: string | undefined;
    if (!target) reason = 'unknown anchor';
    for (let link = work.aliasChain; link && !reason; link = link.next)
      if (link.target === target) reason = 'recursive alias';
    if (reason || !target) {
      this.place(work.slot, {
        type: 'unknown',
        ...span,
        description: `*${alias.source} (${reason ?? 'unknown anchor'})`,
      });
      return;
    }
    stack.push({
      node: target,
      slot: work.slot,
      depth: work.depth,
      aliasChain: { target, next: work.aliasChain },
      aliasSpan: span,
      tagHandled: false,
      fallbackOffset: span.offset,
    });
  }

  private convertShortFormIntrinsic(
    node: YamlNode,
    tag: string,
    longForm: string,
    work: YamlWork,
    span: { offset: number; length: number },
    stack: YamlWork[],
  ): void {
    // The node's range starts after its properties; the intrinsic spans the tag too (`!Ref Stage`).
    const start = work.aliasSpan ? span.offset : propertiesStart(this.text, span.offset, tag, node.anchor);
    // A tagged scalar's argument is its text (the tag's resolver keeps it a string); collections follow below.
    const scalarArgument = yaml.isScalar(node)
      ? this.stringNode(node, span, { ...work, tagHandled: true }, scalarText(node.value))
      : undefined;
    const intrinsic: IntrinsicNode = {
      type: 'unknown',
      offset: start,
      length: span.offset + span.length - start,
      tag,
      intrinsic: longForm,
      description: scalarArgument
        ? intrinsicDescription(tag, scalarArgument, this.text)
        : truncate(`${tag} ${this.text.slice(span.offset, span.offset + span.length)}`),
      argument: scalarArgument,
    };
    this.place(work.slot, intrinsic);
    if (scalarArgument) return;
    stack.push({ ...work, slot: { kind: 'argument', intrinsic }, tagHandled: true, depth: work.depth + 1 });
  }

  private map(node: yaml.YAMLMap, work: YamlWork, span: { offset: number; length: number }, stack: YamlWork[]): void {
    const pairs = node.items as yaml.Pair<YamlNode | null, YamlNode | null>[];
    const only = pairs.length === 1 ? pairs[0] : undefined;
    const onlyKey = only && yaml.isScalar(only.key) ? only.key.value : undefined;
    if (only && typeof onlyKey === 'string' && onlyKey !== 'Condition' && isIntrinsicKey(onlyKey)) {
      const value = only.value;
      const refOk = onlyKey !== 'Ref' || (yaml.isScalar(value) && typeof value.value === 'string');
      if (refOk) {
        const intrinsic: IntrinsicNode = {
          type: 'unknown',
          ...span,
          tag: onlyKey,
          intrinsic: onlyKey,
          description: truncate(`${onlyKey} ${value?.range ? this.text.slice(value.range[0], value.range[1]) : ''}`),
          argument: undefined,
        };
        this.place(work.slot, intrinsic);
        stack.push(this.child(work, value, { kind: 'argument', intrinsic }, span.offset + span.length));
        return;
      }
    }
    const properties: PropertyNode[] = [];
    const closed = this.isClosed(node, span, '}');
    const object: ObjectNode = { type: 'object', ...span, properties, closed, ...this.tagOf(node, work) };
    this.place(work.slot, object);
    const valueWorks: YamlWork[] = [];
    for (const pair of pairs) {
      const key = this.keyNode(pair.key, work, span);
      const valueRange = pair.value?.range;
      const keyEnd = key.offset + key.length;
      const colonOffset = work.aliasSpan
        ? -1
        : findColon(this.text, keyEnd, valueRange ? valueRange[0] : span.offset + span.length);
      const end = work.aliasSpan
        ? span.offset + span.length
        : valueRange
          ? Math.max(this.endOf(pair.value, valueRange), keyEnd)
          : colonOffset >= 0
            ? colonOffset + 1
            : keyEnd;
      const property: { -readonly [K in keyof PropertyNode]: PropertyNode[K] } = {
        type: 'property',
        offset: key.offset,
        length: end - key.offset,
        key,
        value: undefined,
        colonOffset,
      };
      properties.push(property);
      const fallback = colonOffset >= 0 ? colonOffset + 1 : keyEnd;
      valueWorks.push(this.child(work, pair.value, { kind: 'value', property }, fallback));
    }
    for (let i = valueWorks.length - 1; i >= 0; i--) stack.push(valueWorks[i]);
  }

  private keyNode(key: YamlNode | null, work: YamlWork, parentSpan: { offset: number; length: number }): StringNode {
    if (work.aliasSpan) {
      const value = yaml.isScalar(key)
        ? scalarText(key.value)
        : key
          ? this.text.slice(key.range?.[0] ?? 0, key.range?.[1] ?? 0)
          : '';
      return { type: 'string', ...work.aliasSpan, value };
    }
    if (key === null || key === undefined) return { type: 'string', offset: parentSpan.offset, length: 0, value: '' };
    const range = key.range ?? [parentSpan.offset, parentSpan.offset];
    const span = { offset: range[0], length: Math.max(0, range[1] - range[0]) };
    if (yaml.isScalar(key)) {
      // Keys are strings: a plain key YAML typed otherwise (`1.50:`, `true:`) keeps its spelling.
      const value =
        typeof key.value !== 'string' && key.type === 'PLAIN'
          ? this.text.slice(span.offset, span.offset + span.length)
          : scalarText(key.value);
      return this.stringNode(key, span, work, value);
    }
    // A complex key (a mapping or sequence as key): keep its text.
    return { type: 'string', ...span, value: this.text.slice(span.offset, span.offset + span.length) };
  }

  private scalar(node: yaml.Scalar, span: { offset: number; length: number }, work: YamlWork): AstNode {
    const value: unknown = node.value;
    const tag = this.tagOf(node, work);
    if (typeof value === 'string') return this.stringNode(node, span, work, value);
    if (typeof value === 'number') {
      const source = this.text.slice(span.offset, span.offset + span.length);
      // Keep the spelling when it is a JSON number; YAML-only spellings (0x1F, .inf) become the value's own text.
      const numberText = !work.aliasSpan && JSON_NUMBER.test(source) ? source : String(value);
      return { type: 'number', ...span, value, text: numberText, ...tag } satisfies NumberNode;
    }
    if (typeof value === 'boolean') return { type: 'boolean', ...span, value, ...tag } satisfies BooleanNode;
    if (value === null || value === undefined) return { type: 'null', ...span, ...tag } satisfies NullNode;
    // Anything else a schema could produce (e.g. bigint): its source text as a string.
    return { type: 'string', ...span, value: this.text.slice(span.offset, span.offset + span.length), ...tag };
  }

  private stringNode(
    node: yaml.Scalar,
    span: { offset: number; length: number },
    work: YamlWork,
    value: string,
  ): StringNode {
    if (work.aliasSpan) return { type: 'string', ...span, value, ...this.tagOf(node, work) };
    const style = YAML_STYLES[String(node.type)] ?? 'plain';
    const result: SourcedStringNode = { type: 'string', ...span, value, style, ...this.tagOf(node, work) };
    if (style === 'literal' || style === 'folded') {
      const token = node.srcToken as { indent?: number } | undefined;
      const block: SourcedStringNode = { ...result, blockParentIndent: token?.indent ?? 0 };
      return block;
    }
    return result;
  }
}

/** A scalar value as text (keys and intrinsic arguments are strings whatever YAML typed them as). */
function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}

const YAML_STYLES: Readonly<Record<string, StringStyle>> = {
  PLAIN: 'plain',
  QUOTE_SINGLE: 'single',
  QUOTE_DOUBLE: 'double',
  BLOCK_LITERAL: 'literal',
  BLOCK_FOLDED: 'folded',
};

/** The `:` after a mapping key, skipping white space and comments; -1 when there is none before `limit`. */
function findColon(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit) {
    const c = text[i];
    if (c === ':') return i;
    if (c === '#') {
      while (i < limit && text[i] !== '\n') i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '"' || c === "'") {
      // Closing quotes of a quoted key are outside the key's value range in some yaml versions; skip them.
      i++;
      continue;
    }
    return -1;
  }
  return -1;
}

/**
 * Start of a node's properties (tag and anchor) written before `valueStart`, e.g. the `!` of `!Sub 'x'` or the
 * `&` of `&a !Ref x`. The yaml parser's node range starts at the value itself.
 */
function propertiesStart(text: string, valueStart: number, tag: string, anchor: string | undefined): number {
  let start = valueStart;
  for (let n = 0; n < 2; n++) {
    let end = start;
    while (end > 0 && /[ \t\r\n]/.test(text[end - 1])) end--;
    let tokenStart = end;
    while (tokenStart > 0 && !/[ \t\r\n[\]{},]/.test(text[tokenStart - 1])) tokenStart--;
    const token = text.slice(tokenStart, end);
    if (token === tag || (anchor !== undefined && token === `&${anchor}`)) start = tokenStart;
    else break;
  }
  return start;
}
