// The event patterns of a Terraform file (`.tf`, HCL), read from its tree-sitter tree (parsing/codeGrammars.ts):
// `aws_cloudwatch_event_rule` and `aws_cloudwatch_event_archive` `event_pattern`, `aws_pipes_pipe` and
// `aws_lambda_event_source_mapping` filter `pattern`s, `aws_sns_topic_subscription` `filter_policy` (dialect sns, its
// scope from `filter_policy_scope`), and the same in the `rules`, `archives`, `pipes` and `subscriptions` of a module
// block (terraform-aws-modules/eventbridge's and /sns's inputs, the common way to write them).
//
// A pattern is written as `jsonencode({...})` (an HCL object: it becomes an object site whose house AST is built
// here, with document offsets), as JSON text in a quoted string or a heredoc (a string site, mapped through HCL's
// escapes), or as `file(...)`/`templatefile(...)` of a JSON file (reported in `referencedPatternFiles`, for the file
// to be checked as a pattern file). What Terraform only knows at plan time (references such as `var.x` or
// `aws_s3_bucket.b.id`, function calls, conditionals, `for` expressions, `${...}` interpolations) is an unknown value,
// never flagged, like a CloudFormation intrinsic; every other condition of the pattern is still checked.
//
// A syntax error stays where tree-sitter's recovery puts it: blocks it does not reach are read as usual, and a
// block caught in it is still looked into. Nothing here throws on any text.

import { Parser, type Node as TsNode, type Point, type Tree } from 'web-tree-sitter';
import type { AstNode, ArrayNode, ObjectNode, PropertyNode, StringNode, UnknownNode } from '../../engine/jsonAst';
import { linkParents } from '../../engine/jsonAst';
import type { SyntaxProblem } from '../parsing/parsedDocument';
import { hclSyntax } from './hclSyntax';
import type { CodeSyntax } from './codeSyntax';
import type { CodeReading, PartialCodeReader } from './codeSites';
import { registerOffsets } from './codeSiteMoves';
import type {
  ObjectPatternSite,
  PatternDialect,
  PatternSite,
  PatternSiteKind,
  SnsPolicyScope,
  StringPatternSite,
  Substitution,
  TextSpan,
} from './patternSites';

/**
 * A pattern kept in a file of its own: `event_pattern = file("rule.json")` or `templatefile("rule.json.tpl", {...})`
 * (in `.tf.json`, `"${file(\"rule.json\")}"`).
 */
export interface ReferencedPatternFile {
  /** The file's path as Terraform resolves it from the module's folder (`${path.module}/` taken off), `/`-separated. */
  readonly path: string;
  /** The path argument in the `.tf` text (the string literal, quotes included); in `.tf.json`, the string holding the call. */
  readonly range: TextSpan;
  /** `templatefile(...)`: the file is a Terraform template, its `${...}` and `%{...}` unknown until plan. */
  readonly templated: boolean;
  readonly kind: PatternSiteKind;
  readonly dialect: PatternDialect;
  readonly resourceId: string;
  /** For an SNS filter policy: the scope it is checked with (see PatternSiteBase.snsScope). */
  readonly snsScope?: SnsPolicyScope;
}

export interface TerraformReading extends CodeReading {
  readonly referencedPatternFiles: ReferencedPatternFile[];
}

/** An object-form site of a Terraform file: its text is written back in HCL (see hclSyntax.ts). */
export type TerraformObjectSite = ObjectPatternSite & { readonly syntax: CodeSyntax };

/** Nesting of HCL values followed when building a pattern's AST (deeper values are unknown: a bound, not a limit). */
const MAX_DEPTH = 512;
/** `local.a` defined as `local.b` ...: how far such chains are followed. */
const MAX_LOCAL_DEPTH = 8;
/** An unknown value's description quotes at most this much of its code. */
const MAX_DESCRIPTION = 120;

/** Where a pattern sits: what the features and the engine need to know about it (also for `.tf.json`). */
export interface TerraformPlace {
  readonly kind: PatternSiteKind;
  readonly dialect: PatternDialect;
  readonly resourceId: string;
  readonly filterIndex?: number;
  readonly snsScope?: SnsPolicyScope;
  readonly invalidSnsScope?: PatternSite['invalidSnsScope'];
}
type Place = TerraformPlace;

/** Resource types holding patterns, and where. */
const RULE_RESOURCE = 'aws_cloudwatch_event_rule';
const ARCHIVE_RESOURCE = 'aws_cloudwatch_event_archive';
const PIPE_RESOURCE = 'aws_pipes_pipe';
const EVENT_SOURCE_MAPPING_RESOURCE = 'aws_lambda_event_source_mapping';
const SNS_SUBSCRIPTION_RESOURCE = 'aws_sns_topic_subscription';

/** The patterns of a Terraform file. `uri` is not read today (kept for the contract every code reader shares). */
export function findTerraformSites(tree: Tree, text: string, uri: string): TerraformReading {
  void uri;
  const reader = new TerraformReader(text);
  const reparsed: Tree[] = [];
  const hasError = tree.rootNode.hasError;
  try {
    const found = hasError ? blocksAroundErrors(tree, text, reparsed) : topLevelBlocks(tree.rootNode);
    // Only the blocks that may hold patterns are copied out of the tree (see PlainNode), each in one cursor walk.
    const blocks = found
      .filter((b) => MAY_HOLD_PATTERNS.test(text.slice(b.startIndex, b.startIndex + 200)))
      .map((b) => plainTree(b, text));
    for (const block of blocks) if (blockType(block) === 'locals') reader.readLocals(block);
    for (const block of blocks) reader.readBlock(block);
  } catch {
    // A tree shape this reader does not expect must not take the document down: what was found so far stands.
  } finally {
    for (const t of reparsed) t.delete();
  }
  return {
    sites: reader.sites,
    syntaxErrors: syntaxErrorsOf(tree.rootNode),
    referencedPatternFiles: reader.files,
    holders: reader.holders,
    // What the next version's reading in parts needs to know (readTerraformParts).
    context: hasError ? 'syntax errors' : reader.readLocal ? 'locals' : '',
  };
}

/**
 * After edits, reads only the top-level blocks the changes touch (see PartialCodeReader): a block's sites depend on
 * nothing outside it, but for `local.x` (a pattern written in `locals`, read once for the first resource naming it)
 * and for the cutting of a file with syntax errors (blocksAroundErrors). So a file that has either, or gets one, is
 * read whole.
 */
export const readTerraformParts: PartialCodeReader = {
  order: 'holder',
  readParts(tree, text, _uri, changed, previousContext) {
    const root = tree.rootNode;
    if (previousContext !== '' || root.hasError) return undefined;
    const body = root.firstChild;
    if (!body || body.type !== 'body') return undefined;
    const reader = new TerraformReader(text);
    const regions: { start: number; end: number }[] = [];
    const seen = new Set<number>();
    for (const c of changed) {
      // A character either side: a change at a block's edge may change that block.
      const from = Math.max(0, c.start - 1);
      const to = Math.min(text.length, c.end + 1);
      let start = c.start;
      let end = c.end;
      for (let block = body.firstChildForIndex(from); block && block.startIndex < to; block = block.nextSibling) {
        if (block.endIndex <= from) continue;
        start = Math.min(start, block.startIndex);
        end = Math.max(end, block.endIndex);
        if (block.type !== 'block' || seen.has(block.startIndex)) continue;
        seen.add(block.startIndex);
        if (!MAY_HOLD_PATTERNS.test(text.slice(block.startIndex, block.startIndex + 200))) continue;
        const plain = plainTree(block, text);
        if (/\blocals?\b/.test(plain.text)) return undefined;
        reader.readBlock(plain);
      }
      regions.push({ start, end });
    }
    // Blocks read in document order, as a whole reading gives them.
    return { regions, sites: reader.sites, holders: reader.holders, context: '' };
  },
};

/**
 * A top-level block's first line as Terraform files write it: at the start of a line, a type, labels and `{`. A
 * syntax error can make tree-sitter's recovery swallow the blocks after it (an unclosed `[` takes the next block for
 * an element), so with errors the file is cut at these lines, and each part holding an error is parsed again alone.
 */
const BLOCK_START = /^[A-Za-z_][\w-]*(?:[ \t]+(?:"[^"\n]*"|[A-Za-z_][\w-]*))*[ \t]*\{/gm;

let chunkParser: Parser | undefined;

function blocksAroundErrors(tree: Tree, text: string, reparsed: Tree[]): TsNode[] {
  const starts: number[] = [];
  for (const m of text.matchAll(BLOCK_START)) starts.push(m.index);
  if (starts.length === 0 || starts[0] !== 0) starts.unshift(0);
  const chunks = starts.map((start, i) => ({ start, end: i + 1 < starts.length ? starts[i + 1] : text.length }));
  const chunkOf = (offset: number): number => {
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (chunks[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  // Blocks of the whole parse that are sound and stay inside their part are kept; the other parts are parsed alone.
  const kept: TsNode[] = [];
  const clean = new Set<number>(chunks.map((_, i) => i));
  for (const block of topLevelBlocks(tree.rootNode)) {
    const first = chunkOf(block.startIndex);
    const last = chunkOf(Math.max(block.startIndex, block.endIndex - 1));
    if (!block.hasError && first === last) kept.push(block);
    else for (let i = first; i <= last; i++) clean.delete(i);
  }
  for (const error of topLevelErrors(tree.rootNode)) {
    const last = chunkOf(Math.max(error.startIndex, error.endIndex - 1));
    for (let i = chunkOf(error.startIndex); i <= last; i++) clean.delete(i);
  }
  const blocks = kept.filter((b) => clean.has(chunkOf(b.startIndex)));
  chunkParser ??= new Parser();
  chunkParser.setLanguage(tree.language);
  for (let i = 0; i < chunks.length; i++) {
    if (clean.has(i)) continue;
    const { start, end } = chunks[i];
    const part = chunkParser.parse(text, null, {
      includedRanges: [
        { startIndex: start, endIndex: end, startPosition: pointAt(text, start), endPosition: pointAt(text, end) },
      ],
    });
    if (!part) continue;
    reparsed.push(part);
    for (const block of topLevelBlocks(part.rootNode))
      if (block.startIndex >= start && block.endIndex <= end) blocks.push(block);
  }
  return blocks.sort((a, b) => a.startIndex - b.startIndex);
}

/** The ERROR nodes directly under the file's body. */
function topLevelErrors(root: TsNode): TsNode[] {
  const out: TsNode[] = [];
  for (const child of root.children) {
    if (child?.type === 'ERROR') out.push(child);
    else if (child?.type === 'body') for (const c of child.children) if (c?.type === 'ERROR') out.push(c);
  }
  return out;
}

/** The row and UTF-16 column of an offset (tree-sitter counts columns in the parsed encoding's units). */
function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

// ---------------------------------------------------------------------------------------------------------------
// The tree, copied

/** The start of a top-level block that may hold patterns (others are not read at all). */
const MAY_HOLD_PATTERNS =
  /^(?:resource\s+"(?:aws_cloudwatch_event_rule|aws_cloudwatch_event_archive|aws_pipes_pipe|aws_lambda_event_source_mapping|aws_sns_topic_subscription)"|module\b|locals\b)/;

/**
 * A node of the tree, copied into JavaScript. web-tree-sitter hands out each node (and each list of children) across
 * the WebAssembly boundary as a new object: reading a few hundred patterns that way took 100 ms and more, mostly in
 * garbage collection; one cursor walk per block that may hold patterns copies what the reader needs in a few.
 */
class SyntaxNode {
  readonly children: SyntaxNode[] = [];
  hasError: boolean;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly isMissing: boolean,
    private readonly source: string,
  ) {
    this.hasError = isMissing || type === 'ERROR';
  }

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }
  get childCount(): number {
    return this.children.length;
  }
  child(i: number): SyntaxNode | null {
    return this.children[i] ?? null;
  }
  get namedChildren(): SyntaxNode[] {
    return this.children.filter((c) => c.isNamed);
  }
  get namedChildCount(): number {
    return this.namedChildren.length;
  }
  namedChild(i: number): SyntaxNode | null {
    return this.namedChildren[i] ?? null;
  }
}

/** Copies a node and everything under it, iteratively (any nesting). */
function plainTree(node: TsNode, text: string): SyntaxNode {
  const cursor = node.walk();
  try {
    const make = (): SyntaxNode =>
      new SyntaxNode(
        cursor.nodeType,
        cursor.nodeIsNamed,
        cursor.startIndex,
        cursor.endIndex,
        cursor.nodeIsMissing,
        text,
      );
    const root = make();
    const parents: SyntaxNode[] = [root];
    if (!cursor.gotoFirstChild()) return root;
    for (;;) {
      const current = make();
      parents[parents.length - 1].children.push(current);
      if (cursor.gotoFirstChild()) {
        parents.push(current);
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        cursor.gotoParent();
        const done = parents.pop()!;
        if (done.children.some((c) => c.hasError)) done.hasError = true;
        if (parents.length === 0) return root;
      }
    }
  } finally {
    cursor.delete();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Blocks

/** The blocks at the top of the file, including those tree-sitter's recovery left inside an ERROR node. */
function topLevelBlocks(root: TsNode): TsNode[] {
  const blocks: TsNode[] = [];
  const work: TsNode[] = [root];
  while (work.length > 0) {
    const node = work.pop()!;
    // `children` in one call: reaching the i-th child by index walks its siblings, quadratic over a large body.
    for (const child of node.children) {
      if (!child) continue;
      if (child.type === 'block') blocks.push(child);
      else if (child.type === 'body' || child.type === 'ERROR') work.push(child);
    }
  }
  return blocks.sort((a, b) => a.startIndex - b.startIndex);
}

function blockType(block: SyntaxNode): string | undefined {
  const first = block.namedChild(0);
  return first?.type === 'identifier' ? first.text : undefined;
}

/** A block's labels (`resource "type" "name"`: type and name), decoded. */
function blockLabels(block: SyntaxNode, text: string): string[] {
  const labels: string[] = [];
  // The first named child is the block's type.
  for (const child of block.namedChildren.slice(1)) {
    if (!child) continue;
    if (child.type === 'string_lit') labels.push(decodeTemplate(child, text)?.value ?? '');
    else if (child.type === 'identifier') labels.push(child.text);
    else break;
  }
  return labels;
}

function blockBody(block: SyntaxNode): SyntaxNode | undefined {
  return block.namedChildren.find((c) => c?.type === 'body') ?? undefined;
}

/** The attributes and blocks of a body, in order. */
function bodyItems(body: SyntaxNode | undefined): SyntaxNode[] {
  if (!body) return [];
  return body.namedChildren.filter(
    (c): c is SyntaxNode => c !== null && (c.type === 'attribute' || c.type === 'block'),
  );
}

function attributeName(attribute: SyntaxNode): string | undefined {
  const first = attribute.namedChild(0);
  return first?.type === 'identifier' ? first.text : undefined;
}

function attributeValue(attribute: SyntaxNode): SyntaxNode | undefined {
  return attribute.namedChildren.find((c) => c?.type === 'expression') ?? undefined;
}

/** The value of the last attribute `name` of a body (Terraform rejects repeats; the last is what an editor shows). */
function attributeOf(body: SyntaxNode | undefined, name: string): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  for (const item of bodyItems(body)) if (item.type === 'attribute' && attributeName(item) === name) found = item;
  return found ? attributeValue(found) : undefined;
}

/**
 * The nested blocks of a body named `name`, in order: `name { ... }` and the `content` of `dynamic "name" { ... }`
 * (whose values usually come from `for_each` and are unknown, but may be written out).
 */
function nestedBlocks(body: SyntaxNode | undefined, name: string, text: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const item of bodyItems(body)) {
    if (item.type !== 'block') continue;
    const type = blockType(item);
    if (type === name) {
      const inner = blockBody(item);
      if (inner) out.push(inner);
    } else if (type === 'dynamic' && blockLabels(item, text)[0] === name) {
      for (const content of nestedBlocks(blockBody(item), 'content', text)) out.push(content);
    }
  }
  return out;
}

class TerraformReader {
  readonly sites: PatternSite[] = [];
  /** Each site's holder: the top-level block it was read for (parallel to `sites`). */
  readonly holders: TextSpan[] = [];
  /** True once a pattern was read from `locals` (its site then depends on more than its block). */
  readLocal = false;
  readonly files: ReferencedPatternFile[] = [];
  /** The values of `locals { name = ... }`: a pattern is often written once there and used as `local.name`. */
  private readonly locals = new Map<string, SyntaxNode>();
  /** Locals already read as a pattern: one site however many resources use it (the first says where it goes). */
  private readonly localsRead = new Set<string>();

  constructor(private readonly text: string) {}

  readLocals(block: SyntaxNode): void {
    for (const item of bodyItems(blockBody(block))) {
      const name = item.type === 'attribute' ? attributeName(item) : undefined;
      const value = item.type === 'attribute' ? attributeValue(item) : undefined;
      if (name !== undefined && value) this.locals.set(name, value);
    }
  }

  readBlock(block: SyntaxNode): void {
    const before = this.sites.length;
    this.readBlockSites(block);
    for (let i = before; i < this.sites.length; i++)
      this.holders.push({ offset: block.startIndex, length: block.endIndex - block.startIndex });
  }

  private readBlockSites(block: SyntaxNode): void {
    const type = blockType(block);
    const labels = blockLabels(block, this.text);
    const body = blockBody(block);
    if (type === 'resource' && labels.length >= 2) {
      const resourceId = `${labels[0]}.${labels[1]}`;
      switch (labels[0]) {
        case RULE_RESOURCE:
          this.readPattern(attributeOf(body, 'event_pattern'), {
            kind: 'terraformEventRule',
            dialect: 'eventbus',
            resourceId,
          });
          break;
        case ARCHIVE_RESOURCE:
          this.readPattern(attributeOf(body, 'event_pattern'), {
            kind: 'terraformEventArchive',
            dialect: 'archive',
            resourceId,
          });
          break;
        case PIPE_RESOURCE:
          for (const parameters of nestedBlocks(body, 'source_parameters', this.text))
            this.readFilterBlocks(parameters, { kind: 'terraformPipeFilter', dialect: 'pipes', resourceId });
          break;
        case EVENT_SOURCE_MAPPING_RESOURCE:
          this.readFilterBlocks(body, { kind: 'terraformEventSourceMappingFilter', dialect: 'lambda', resourceId });
          break;
        case SNS_SUBSCRIPTION_RESOURCE:
          this.readPattern(attributeOf(body, 'filter_policy'), {
            kind: 'terraformSnsSubscription',
            dialect: 'sns',
            resourceId,
            ...snsScopeOf(attributeOf(body, 'filter_policy_scope'), this.text),
          });
          break;
      }
    } else if (type === 'module' && labels.length >= 1) {
      this.readModule(labels[0], body);
    }
  }

  /** `filter_criteria { filter { pattern = ... } ... }` under `body`; filters are counted across the criteria. */
  private readFilterBlocks(body: SyntaxNode | undefined, place: Place): void {
    let filterIndex = 0;
    for (const criteria of nestedBlocks(body, 'filter_criteria', this.text)) {
      for (const filter of nestedBlocks(criteria, 'filter', this.text)) {
        this.readPattern(attributeOf(filter, 'pattern'), { ...place, filterIndex });
        filterIndex++;
      }
    }
  }

  /**
   * A module's `rules`, `archives` and `pipes` maps as terraform-aws-modules/eventbridge takes them: `rules = { name =
   * { event_pattern = ... } }`, `archives` alike, `pipes = { name = { source_parameters = { filter_criteria = {
   * f1 = { pattern = ... } } } } }`. Any module with that shape is read: the keys say what they are for.
   */
  private readModule(name: string, body: SyntaxNode | undefined): void {
    const resource = (type: string, key: string): string => `module.${name}.${type}.this[${JSON.stringify(key)}]`;
    for (const [key, entry] of objectElements(attributeOf(body, 'rules'), this.text)) {
      this.readPattern(objectElementValue(entry, 'event_pattern', this.text), {
        kind: 'terraformEventRule',
        dialect: 'eventbus',
        resourceId: resource(RULE_RESOURCE, key),
      });
    }
    for (const [key, entry] of objectElements(attributeOf(body, 'archives'), this.text)) {
      this.readPattern(objectElementValue(entry, 'event_pattern', this.text), {
        kind: 'terraformEventArchive',
        dialect: 'archive',
        resourceId: resource(ARCHIVE_RESOURCE, key),
      });
    }
    // terraform-aws-modules/lambda: `event_source_mapping = { name = { filter_criteria = { pattern = ... } } }`, or a
    // list of such filters.
    for (const [key, entry] of objectElements(attributeOf(body, 'event_source_mapping'), this.text)) {
      const criteria = objectElementValue(entry, 'filter_criteria', this.text);
      const filters = unwrap(criteria)?.type === 'tuple' ? tupleItems(criteria) : criteria ? [criteria] : [];
      filters.forEach((filter, filterIndex) =>
        this.readPattern(objectElementValue(filter, 'pattern', this.text), {
          kind: 'terraformEventSourceMappingFilter',
          dialect: 'lambda',
          resourceId: resource(EVENT_SOURCE_MAPPING_RESOURCE, key),
          filterIndex,
        }),
      );
    }
    for (const [key, entry] of objectElements(attributeOf(body, 'pipes'), this.text)) {
      const criteria = objectElementValue(
        objectElementValue(entry, 'source_parameters', this.text),
        'filter_criteria',
        this.text,
      );
      // The module takes the filters as a map (`filter1 = {...}`) or a list of `{ pattern = ... }`.
      const filters =
        unwrap(criteria)?.type === 'tuple'
          ? tupleItems(criteria)
          : objectElements(criteria, this.text).map((e) => e[1]);
      filters.forEach((filter, filterIndex) =>
        this.readPattern(objectElementValue(filter, 'pattern', this.text), {
          kind: 'terraformPipeFilter',
          dialect: 'pipes',
          resourceId: resource(PIPE_RESOURCE, key),
          filterIndex,
        }),
      );
    }
    // terraform-aws-modules/sns: `subscriptions = { name = { filter_policy = ..., filter_policy_scope = ... } }`.
    for (const [key, entry] of objectElements(attributeOf(body, 'subscriptions'), this.text)) {
      this.readPattern(objectElementValue(entry, 'filter_policy', this.text), {
        kind: 'terraformSnsSubscription',
        dialect: 'sns',
        resourceId: resource(SNS_SUBSCRIPTION_RESOURCE, key),
        ...snsScopeOf(objectElementValue(entry, 'filter_policy_scope', this.text), this.text),
      });
    }
  }

  /** The pattern an expression gives, if it is written out: a site, a referenced file, or nothing (unknown). */
  private readPattern(expression: SyntaxNode | undefined, place: Place, depth = 0): void {
    const value = unwrap(expression);
    if (!value) return;
    const local = localName(value);
    if (local !== undefined) {
      const defined = this.locals.get(local);
      if (defined && !this.localsRead.has(local) && depth < MAX_LOCAL_DEPTH) {
        this.localsRead.add(local);
        this.readLocal = true;
        this.readPattern(defined, place, depth + 1);
      }
      return;
    }
    switch (value.type) {
      case 'function_call': {
        const name = value.namedChild(0)?.text;
        const args = functionArguments(value);
        if (name === 'jsonencode' && args.length === 1) {
          const argument = unwrap(args[0]);
          if (argument?.type === 'object' || argument?.type === 'tuple')
            this.addObjectSite(args[0], expression!, place);
        } else if ((name === 'file' || name === 'templatefile') && args.length >= 1) {
          this.addReferencedFile(args[0], name === 'templatefile', place);
        }
        return;
      }
      case 'string_lit':
        this.addStringSite(value, place);
        return;
      case 'quoted_template': {
        // `"${expr}"` alone is `expr` itself in Terraform.
        const only = soleInterpolation(value);
        if (only) this.readPattern(only, place, depth);
        else this.addStringSite(value, place);
        return;
      }
      case 'heredoc_template':
        this.addStringSite(value, place);
        return;
    }
  }

  private addObjectSite(argument: SyntaxNode, expression: SyntaxNode, place: Place): void {
    const node = toAst(argument, this.text, 0);
    linkParents(node);
    const site: TerraformObjectSite = {
      form: 'object',
      ...placeFields(place),
      range: { offset: node.offset, length: node.length },
      valueNode: unknownOf(expression),
      node,
      // `jsonencode` makes the JSON text the resource takes.
      viaToJsonString: true,
      syntax: hclSyntax,
    };
    this.sites.push(site);
  }

  private addStringSite(literal: SyntaxNode, place: Place): void {
    const decoded = decodeTemplate(literal, this.text);
    if (!decoded) return;
    const node: StringNode = {
      type: 'string',
      offset: literal.startIndex,
      length: literal.endIndex - literal.startIndex,
      value: decoded.value,
    };
    const offsets = decoded.offsets;
    const value = decoded.value;
    const site: StringPatternSite = {
      form: 'string',
      ...placeFields(place),
      range: { offset: node.offset, length: node.length },
      valueNode: node,
      node,
      text: value,
      toDocumentOffset: (i: number) => offsets[Math.max(0, Math.min(value.length, Math.trunc(i)))],
      substitutions: decoded.substitutions,
      // Not CloudFormation's `Fn::Sub`: its `${...}` are Terraform's interpolations, listed in `substitutions`.
      viaSub: false,
    };
    registerOffsets(site, offsets);
    this.sites.push(site);
  }

  private addReferencedFile(argument: SyntaxNode, templated: boolean, place: Place): void {
    const path = literalPath(argument, this.text);
    if (path === undefined) return;
    const literal = unwrap(argument)!;
    this.files.push({
      path,
      range: { offset: literal.startIndex, length: literal.endIndex - literal.startIndex },
      templated,
      ...placeFields(place),
    });
  }
}

function placeFields(place: Place) {
  return {
    kind: place.kind,
    dialect: place.dialect,
    resourceId: place.resourceId,
    conditions: [] as readonly string[],
    ...(place.filterIndex !== undefined ? { filterIndex: place.filterIndex } : {}),
    ...(place.snsScope !== undefined ? { snsScope: place.snsScope } : {}),
    ...(place.invalidSnsScope !== undefined ? { invalidSnsScope: place.invalidSnsScope } : {}),
  };
}

/**
 * The scope of an SNS filter policy from `filter_policy_scope`: absent or `null` is SNS's default, MessageAttributes;
 * a string is checked; anything known at plan time only (a reference, `${...}`, a call) is taken as MessageBody, as
 * templates take an intrinsic (see PatternSiteBase.snsScope): nothing flagged that the deployed scope might accept.
 */
function snsScopeOf(expression: SyntaxNode | undefined, text: string): Pick<Place, 'snsScope' | 'invalidSnsScope'> {
  const value = unwrap(expression);
  if (!value || value.type === 'null_lit') return { snsScope: 'MessageAttributes' };
  if (value.type === 'string_lit' || value.type === 'quoted_template' || value.type === 'heredoc_template') {
    const decoded = decodeTemplate(value, text);
    if (decoded && decoded.substitutions.length === 0) {
      if (decoded.value === 'MessageAttributes' || decoded.value === 'MessageBody') return { snsScope: decoded.value };
      return {
        snsScope: 'MessageBody',
        invalidSnsScope: { value: decoded.value, offset: value.startIndex, length: value.endIndex - value.startIndex },
      };
    }
  }
  return { snsScope: 'MessageBody' };
}

/**
 * The path of `file("x.json")`, `file("${path.module}/x.json")` (also `path.root`, `path.cwd`: the same folder as
 * far as a reader of one module can tell); undefined when the path depends on anything else.
 */
function literalPath(argument: SyntaxNode, text: string): string | undefined {
  const value = unwrap(argument);
  if (!value) return undefined;
  if (value.type === 'string_lit') return decodeTemplate(value, text)?.value;
  if (value.type !== 'quoted_template') return undefined;
  const decoded = decodeTemplate(value, text);
  if (!decoded || decoded.substitutions.length !== 1 || decoded.substitutions[0].offset !== 0) return undefined;
  const head = decoded.substitutions[0];
  if (!/^path\.(?:module|root|cwd)$/.test(head.name)) return undefined;
  const rest = decoded.value.slice(head.length).replace(/^\/+/, '');
  return rest === '' ? undefined : rest;
}

// ---------------------------------------------------------------------------------------------------------------
// Expressions

/** The node an expression stands for: through `expression`, `literal_value`, `collection_value`, `template_expr`. */
function unwrap(node: SyntaxNode | undefined | null): SyntaxNode | undefined {
  let current = node ?? undefined;
  while (current) {
    if (
      current.type !== 'expression' &&
      current.type !== 'literal_value' &&
      current.type !== 'collection_value' &&
      current.type !== 'template_expr'
    ) {
      return current;
    }
    // An expression of several parts (`var.x`: a variable and an attribute access) is itself the value.
    const named = current.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
    if (named.length !== 1 || current.childCount !== 1) return current;
    current = named[0];
  }
  return undefined;
}

/** `local.name` (exactly: not `local.name.field` or `local.name[0]`). */
function localName(value: SyntaxNode): string | undefined {
  if (value.type !== 'expression' || value.childCount !== 2) return undefined;
  const [variable, access] = [value.child(0), value.child(1)];
  if (variable?.type !== 'variable_expr' || variable.text !== 'local' || access?.type !== 'get_attr') return undefined;
  return access.namedChild(0)?.text;
}

function functionArguments(call: SyntaxNode): SyntaxNode[] {
  const args = call.namedChildren.find((c) => c?.type === 'function_arguments');
  return args ? args.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type === 'expression') : [];
}

/** The element expressions of a tuple expression. */
function tupleItems(expression: SyntaxNode | undefined): SyntaxNode[] {
  const tuple = unwrap(expression);
  if (tuple?.type !== 'tuple') return [];
  return tuple.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type === 'expression');
}

/** The elements of an object expression whose keys are written out: [key, value expression]. */
function objectElements(expression: SyntaxNode | undefined, text: string): [string, SyntaxNode][] {
  const object = unwrap(expression);
  if (object?.type !== 'object') return [];
  const out: [string, SyntaxNode][] = [];
  for (const element of object.namedChildren) {
    if (element?.type !== 'object_elem') continue;
    const [keyExpression, value] = element.namedChildren.filter((c): c is SyntaxNode => c?.type === 'expression');
    const key = keyExpression ? literalKey(keyExpression, text) : undefined;
    if (key !== undefined && value) out.push([key, value]);
  }
  return out;
}

function objectElementValue(expression: SyntaxNode | undefined, key: string, text: string): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  for (const [k, v] of objectElements(expression, text)) if (k === key) found = v;
  return found;
}

/** A key written as a bare identifier or a string without interpolation. */
function literalKey(keyExpression: SyntaxNode, text: string): string | undefined {
  const key = unwrap(keyExpression);
  if (key?.type === 'variable_expr' && key.namedChildCount === 1) return key.text;
  if (key?.type === 'string_lit') return decodeTemplate(key, text)?.value;
  return undefined;
}

/** The one interpolation of a quoted template that holds nothing else (`"${jsonencode({...})}"`). */
function soleInterpolation(template: SyntaxNode): SyntaxNode | undefined {
  const parts = template.namedChildren.filter(
    (c): c is SyntaxNode => c !== null && c.type !== 'quoted_template_start' && c.type !== 'quoted_template_end',
  );
  if (parts.length !== 1 || parts[0].type !== 'template_interpolation') return undefined;
  return parts[0].namedChildren.find((c) => c?.type === 'expression') ?? undefined;
}

function describe(node: { readonly text: string }): string {
  const text = node.text.replace(/\s+/g, ' ').trim();
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}…` : text;
}

function unknownOf(node: SyntaxNode): UnknownNode {
  return {
    type: 'unknown',
    offset: node.startIndex,
    length: node.endIndex - node.startIndex,
    description: describe(node),
  };
}

/**
 * The house AST of an HCL value inside `jsonencode(...)`, with document offsets: objects, tuples and literals as
 * written; anything Terraform computes is unknown.
 */
function toAst(expression: SyntaxNode, text: string, depth: number): AstNode {
  const node = unwrap(expression);
  if (!node || depth > MAX_DEPTH) return unknownOf(expression);
  const offset = node.startIndex;
  const length = node.endIndex - node.startIndex;
  switch (node.type) {
    case 'object': {
      const properties: PropertyNode[] = [];
      for (const element of node.namedChildren) {
        if (element?.type !== 'object_elem') continue;
        const property = toProperty(element, text, depth);
        if (property) properties.push(property);
      }
      const object: ObjectNode = { type: 'object', offset, length, properties, closed: isClosed(node, 'object_end') };
      return object;
    }
    case 'tuple': {
      const items = node.namedChildren
        .filter((c): c is SyntaxNode => c !== null && c.type === 'expression')
        .map((item) => toAst(item, text, depth + 1));
      const array: ArrayNode = { type: 'array', offset, length, items, closed: isClosed(node, 'tuple_end') };
      return array;
    }
    case 'string_lit':
    case 'quoted_template':
    case 'heredoc_template': {
      const decoded = decodeTemplate(node, text);
      // A string Terraform interpolates is known at plan time only.
      if (!decoded || decoded.substitutions.length > 0) return unknownOf(node);
      return { type: 'string', offset, length, value: decoded.value };
    }
    case 'numeric_lit': {
      const value = Number(node.text);
      return Number.isFinite(value) ? { type: 'number', offset, length, text: node.text, value } : unknownOf(node);
    }
    case 'bool_lit':
      return { type: 'boolean', offset, length, value: node.text === 'true' };
    case 'null_lit':
      return { type: 'null', offset, length };
    case 'operation': {
      // `-5`: a negative number, which jsonencode writes as one.
      const unary = node.namedChild(0);
      const operand = unwrap(unary?.namedChildren.find((c) => c?.type !== 'comment'));
      if (unary?.type === 'unary_operation' && unary.child(0)?.type === '-' && operand?.type === 'numeric_lit') {
        const value = -Number(operand.text);
        if (Number.isFinite(value)) return { type: 'number', offset, length, text: `-${operand.text}`, value };
      }
      return unknownOf(node);
    }
    default:
      return unknownOf(node);
  }
}

function isClosed(node: SyntaxNode, endType: string): boolean {
  const last = node.child(node.childCount - 1);
  return last?.type === endType && !last.hasError && !(last.child(0)?.isMissing ?? true);
}

function toProperty(element: SyntaxNode, text: string, depth: number): PropertyNode | undefined {
  const [keyExpression, valueExpression] = element.namedChildren.filter(
    (c): c is SyntaxNode => c?.type === 'expression',
  );
  if (!keyExpression) return undefined;
  const separator = element.children.find((c) => c?.type === '=' || c?.type === ':');
  const keyNode = unwrap(keyExpression) ?? keyExpression;
  const keySpan = { offset: keyNode.startIndex, length: keyNode.endIndex - keyNode.startIndex };
  let key: StringNode;
  let keyUnknown: string | undefined;
  if (keyNode.type === 'variable_expr' && keyNode.namedChildCount === 1) {
    key = { type: 'string', ...keySpan, value: keyNode.text };
  } else if (keyNode.type === 'string_lit' || keyNode.type === 'quoted_template') {
    const decoded = decodeTemplate(keyNode, text);
    if (decoded && decoded.substitutions.length === 0) {
      key = { type: 'string', ...keySpan, value: decoded.value };
    } else {
      // Known at plan time only: the key is its text between the quotes, so whatever quotes it shows `${...}`.
      key = { type: 'string', ...keySpan, value: text.slice(keySpan.offset + 1, keySpan.offset + keySpan.length - 1) };
      keyUnknown = `Terraform interpolates ${describe(keyNode)}`;
    }
  } else {
    // `(var.key) = ...`: a key computed at plan time.
    key = { type: 'string', ...keySpan, value: keyNode.text };
    keyUnknown = `Terraform computes the key ${describe(keyNode)}`;
  }
  const property: PropertyNode = {
    type: 'property',
    offset: element.startIndex,
    length: element.endIndex - element.startIndex,
    key,
    value: valueExpression ? toAst(valueExpression, text, depth + 1) : undefined,
    colonOffset: separator ? separator.startIndex : -1,
    ...(keyUnknown !== undefined ? { keyUnknown } : {}),
  };
  return property;
}

// ---------------------------------------------------------------------------------------------------------------
// Strings

export interface DecodedTemplate {
  readonly value: string;
  /** `offsets[i]`: the document offset of the source of `value[i]`; `offsets[value.length]`: the content's end. */
  readonly offsets: number[];
  /** The `${...}` and `%{...}` of the template, copied into `value` as written, in offsets of `value`. */
  readonly substitutions: Substitution[];
}

/**
 * The text of a quoted string or heredoc as Terraform reads it, with a map back to the document. Quoted strings take
 * HCL's escapes (`\n`, `\"`, `\uNNNN`, ...); heredocs none; both take `$${` and `%%{` for a literal `${` and `%{`.
 * Interpolations and directives are copied as written and listed: their values are known at plan time only. An
 * indented heredoc (`<<-`) loses its lines' common indentation, as Terraform strips it.
 */
export function decodeTemplate(literal: SyntaxNode, text: string): DecodedTemplate | undefined {
  const parts = literal.namedChildren.filter((c): c is SyntaxNode => c !== null);
  const interpolations = parts.filter(
    (c) =>
      c.type === 'template_interpolation' ||
      c.type === 'template_directive' ||
      c.type.startsWith('template_if') ||
      c.type.startsWith('template_for'),
  );
  if (literal.type === 'heredoc_template') {
    const identifiers = parts.filter((c) => c.type === 'heredoc_identifier');
    const open = identifiers[0];
    if (!open) return undefined;
    const lineEnd = text.indexOf('\n', open.endIndex);
    const start = lineEnd < 0 ? literal.endIndex : Math.min(lineEnd + 1, literal.endIndex);
    const close = identifiers.length > 1 ? identifiers[identifiers.length - 1] : undefined;
    const end = close ? Math.max(start, text.lastIndexOf('\n', close.startIndex - 1) + 1) : literal.endIndex;
    const indented = literal.child(0)?.text === '<<-';
    return decodeSource(text, start, end, false, interpolations, indented ? commonIndent(text, start, end) : 0);
  }
  const first = literal.child(0);
  const last = literal.child(literal.childCount - 1);
  const start = first?.type === 'quoted_template_start' ? first.endIndex : literal.startIndex;
  const end =
    last?.type === 'quoted_template_end' && !last.isMissing && last.endIndex > start
      ? last.startIndex
      : literal.endIndex;
  return decodeSource(text, start, end, true, interpolations, 0);
}

/** The least indentation (spaces and tabs) of the lines in [start, end) that hold more than white space. */
function commonIndent(text: string, start: number, end: number): number {
  let least = Infinity;
  for (let at = start; at < end;) {
    let i = at;
    while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
    const lineEnd = text.indexOf('\n', at);
    const next = lineEnd < 0 || lineEnd >= end ? end : lineEnd + 1;
    if (i < next && text[i] !== '\n' && text[i] !== '\r') least = Math.min(least, i - at);
    at = next;
  }
  return least === Infinity ? 0 : least;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

function decodeSource(
  text: string,
  start: number,
  end: number,
  escapes: boolean,
  interpolations: readonly SyntaxNode[],
  indent: number,
): DecodedTemplate {
  let value = '';
  const offsets: number[] = [];
  const substitutions: Substitution[] = [];
  const emit = (s: string, at: number): void => {
    value += s;
    for (let k = 0; k < s.length; k++) offsets.push(at);
  };
  let next = 0;
  let lineStart = true;
  for (let i = start; i < end;) {
    if (lineStart && indent > 0) {
      let skipped = 0;
      while (skipped < indent && i < end && (text[i] === ' ' || text[i] === '\t')) {
        i++;
        skipped++;
      }
      lineStart = false;
      continue;
    }
    while (next < interpolations.length && interpolations[next].endIndex <= i) next++;
    const part = interpolations[next];
    if (part && part.startIndex === i) {
      const written = text.slice(part.startIndex, Math.min(part.endIndex, end));
      substitutions.push({ offset: value.length, length: written.length, name: innerExpression(written) });
      for (let k = 0; k < written.length; k++) {
        value += written[k];
        offsets.push(i + k);
      }
      i += written.length;
      lineStart = written.endsWith('\n');
      continue;
    }
    const c = text[i];
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      emit(c, i);
      i += 2;
      continue;
    }
    if (escapes && c === '\\' && i + 1 < end) {
      const e = text[i + 1];
      if (SIMPLE_ESCAPES[e] !== undefined) {
        emit(SIMPLE_ESCAPES[e], i);
        i += 2;
        continue;
      }
      const digits = e === 'u' ? 4 : e === 'U' ? 8 : 0;
      const hex = text.slice(i + 2, i + 2 + digits);
      if (digits > 0 && hex.length === digits && /^[0-9A-Fa-f]+$/.test(hex)) {
        const code = parseInt(hex, 16);
        if (code <= 0x10ffff) {
          emit(String.fromCodePoint(code), i);
          i += 2 + digits;
          continue;
        }
      }
    }
    emit(c, i);
    lineStart = c === '\n';
    i++;
  }
  offsets.push(end);
  return { value, offsets, substitutions };
}

/** `${ var.x }` → `var.x`; `%{ if a }` → `if a`. */
function innerExpression(written: string): string {
  return written
    .replace(/^[$%]\{~?/, '')
    .replace(/~?\}$/, '')
    .trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Syntax errors

/** The ERROR and MISSING nodes of the tree, in document order (the Terraform language's own syntax errors). */
function syntaxErrorsOf(root: TsNode): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  if (!root.hasError) return problems;
  const work: TsNode[] = [root];
  while (work.length > 0) {
    const node = work.pop()!;
    for (const child of node.children) {
      if (!child) continue;
      if (child.isMissing) {
        problems.push({
          offset: child.startIndex,
          length: 0,
          message: `Syntax error: missing ${JSON.stringify(child.type)}`,
          severity: 'error',
        });
      } else if (child.isError) {
        const excerpt = describe(child);
        problems.push({
          offset: child.startIndex,
          length: child.endIndex - child.startIndex,
          message: `Syntax error: unexpected ${JSON.stringify(excerpt.length > 40 ? `${excerpt.slice(0, 39)}…` : excerpt)}`,
          severity: 'error',
        });
      } else if (child.hasError) {
        work.push(child);
      }
    }
  }
  return problems.sort((a, b) => a.offset - b.offset);
}
