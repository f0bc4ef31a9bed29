// Lint rules: patterns EventBridge accepts that cannot match what their author meant. A misspelt envelope key, a
// detail-type the chosen source never publishes, a number written as a string where the event holds a number: each
// deploys without complaint and then silently matches nothing. The service runs `lintPatternSite` (see
// languageService.ts). Problems are in the pattern's own offsets; quick fixes read their replacement with `lintFixOf`.
// The rules read the engine's partial pattern: a condition holding a value unknown until deploy is not judged, and
// neither is what depends on it, but every other condition is.

import {
  ProblemCode,
  DIALECTS,
  patternImpossibility,
  type PartialCondition,
  type PartialPattern,
  type PartialSubRule,
} from '../../engine';
import type { AstNode, ObjectNode, StringNode } from '../../engine/jsonAst';
import {
  CLOUDTRAIL_DETAIL_TYPES,
  CLOUDTRAIL_SOURCE_ELSEWHERE,
  loadCatalog,
  suggest,
  type Catalog,
  type CatalogField,
} from '../../catalog/catalog';
import { objectPatternLength, type AnalyzedSite, type DocumentAnalysis } from '../sites/documentAnalysis';
import type { LintProblem } from './patternLint';
import { ENVELOPE_KEYS } from '../../eventbridge';
import { shortestLength } from '../sites/substitutedPatterns';

/** Envelope fields whose values are always strings (or, for `resources`, lists of strings). */
const STRING_ENVELOPE_FIELDS: ReadonlySet<string> = new Set(ENVELOPE_KEYS.filter((k) => k !== 'detail'));

/**
 * AWS sources the catalog does not know that are real all the same: services whose API calls CloudTrail records (event
 * source `<service>.amazonaws.com`, delivered to EventBridge as `aws.<service>`) but which AWS's EventBridge events
 * reference does not list. They are never reported as unknown (EB501) and are candidates for "did you mean"; their
 * detail-types are not checked (EB500), since no list of them is known. Every other source the rules know comes from
 * the catalog (the events reference and the schema registry).
 */
export const SOURCES_OUTSIDE_CATALOG: readonly string[] = [
  'aws.cloudhsm',
  'aws.comprehend',
  'aws.fsx',
  'aws.iotevents',
  'aws.kafka',
  'aws.shield',
  'aws.sms',
];
const OUTSIDE_CATALOG: ReadonlySet<string> = new Set(SOURCES_OUTSIDE_CATALOG);

/** Patterns above this share of their length limit get a warning. */
export const SIZE_WARNING_RATIO = 0.9;

/** How a quick fix repairs a lint problem: replace a string (key or value), or change a value's JSON type. */
export type LintFix =
  | { readonly kind: 'renameKey'; readonly node: StringNode; readonly replacement: string }
  | { readonly kind: 'replaceString'; readonly node: StringNode; readonly replacement: string }
  | { readonly kind: 'unquoteNumber'; readonly node: AstNode; readonly replacement: string }
  | { readonly kind: 'quoteNumber'; readonly node: AstNode; readonly replacement: string };

const fixes = new WeakMap<LintProblem, LintFix>();

/** The repair a lint problem carries, if it has one (nodes in the pattern's own offsets). */
export function lintFixOf(problem: LintProblem): LintFix | undefined {
  return fixes.get(problem);
}

function problem(
  code: ProblemCode,
  message: string,
  at: { offset: number; length: number } | undefined,
  fix?: LintFix,
): LintProblem {
  const p: LintProblem = {
    code,
    message,
    severity: 'warning',
    offset: at?.offset ?? 0,
    length: at?.length ?? 0,
    fromAws: false,
  };
  if (fix) fixes.set(p, fix);
  return p;
}

/** Event-bus patterns see EventBridge envelopes; Pipes and Lambda filters see records of other shapes. */
function seesEnvelopes(s: AnalyzedSite): boolean {
  return s.site.dialect === 'eventbus' || s.site.dialect === 'archive';
}

function availableCatalog(): Catalog | undefined {
  const catalog = loadCatalog();
  return catalog.isAvailable() ? catalog : undefined;
}

const quote = (s: string): string => JSON.stringify(s);

// ---------------------------------------------------------------------------------------------------------------
// Misspelt envelope keys (works on the AST, so it also helps a pattern that is invalid for other reasons)

/** The envelope key a misspelt top-level key most likely meant (`details` → `detail`, `detailType` → `detail-type`). */
export function suggestEnvelopeKey(key: string): string | undefined {
  if (ENVELOPE_KEYS.includes(key)) return undefined;
  return suggest(key, ENVELOPE_KEYS);
}

/** The top-level keys of a pattern, looking into `$or` branches (whose fields are top-level fields too). */
function topLevelKeys(root: AstNode | undefined): StringNode[] {
  const keys: StringNode[] = [];
  const work: ObjectNode[] = root?.type === 'object' ? [root] : [];
  while (work.length > 0) {
    const obj = work.shift()!;
    for (const prop of obj.properties) {
      if (prop.keyUnknown !== undefined) continue; // known at deploy only
      if (prop.key.value === '$or') {
        if (prop.value?.type === 'array')
          for (const item of prop.value.items) if (item.type === 'object') work.push(item);
        continue;
      }
      keys.push(prop.key);
    }
  }
  return keys;
}

function misspeltEnvelopeKeys(s: AnalyzedSite): LintProblem[] {
  if (!seesEnvelopes(s)) return [];
  const out: LintProblem[] = [];
  for (const key of topLevelKeys(s.patternRoot)) {
    const [first, ...rest] = key.value.split('.');
    const suggestion = suggestEnvelopeKey(first);
    if (suggestion === undefined) continue;
    const replacement = [suggestion, ...rest].join('.');
    out.push(
      problem(
        ProblemCode.MisspelledEnvelopeKey,
        `${quote(first)} is not a field of EventBridge events, so this condition never matches: did you mean ${quote(suggestion)}?`,
        key,
        { kind: 'renameKey', node: key, replacement },
      ),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Conditions overridden by a later one for the same field (EventBridge keeps the last; see SEMANTICS §2.6)

/**
 * Whether a pattern can give a field twice: a key repeated in one object, a dotted key (`"detail.a"` beside
 * `detail: {a}`) or a `$or` (whose branches each see the fields around them). Most patterns have none of these, and
 * skip the walk below that builds every field's path.
 */
function mayOverride(root: AstNode): boolean {
  const stack: AstNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'array') {
      for (const item of node.items) stack.push(item);
      continue;
    }
    if (node.type !== 'object') continue;
    const properties = node.properties;
    for (let i = 0; i < properties.length; i++) {
      const key = properties[i].key.value;
      if (key === '$or' || key.includes('.')) return true;
      for (let j = 0; j < i; j++) if (properties[j].key.value === key) return true;
      const value = properties[i].value;
      if (value) stack.push(value);
    }
  }
  return false;
}

function overriddenFields(s: AnalyzedSite): LintProblem[] {
  if (s.patternRoot?.type !== 'object' || !mayOverride(s.patternRoot)) return [];
  const out: LintProblem[] = [];
  const walk = (obj: ObjectNode, prefix: string, scope: Map<string, StringNode>): void => {
    for (const prop of obj.properties) {
      const value = prop.value;
      if (!value || prop.keyUnknown !== undefined) continue;
      if (prop.key.value === '$or') {
        // Each branch is a combination of its own; repeats across branches are how `$or` is meant to be used.
        if (value.type === 'array')
          for (const item of value.items) if (item.type === 'object') walk(item, prefix, new Map());
        continue;
      }
      const path = prefix === '' ? prop.key.value : `${prefix}.${prop.key.value}`;
      if (value.type === 'object') walk(value, path, scope);
      if (value.type !== 'array') continue;
      const earlier = scope.get(path);
      if (earlier) {
        out.push(
          problem(
            ProblemCode.OverriddenField,
            `${path} is given again later in this pattern: EventBridge keeps only the last one, so this condition is ignored`,
            earlier,
          ),
        );
      }
      scope.set(path, prop.key);
    }
  };
  if (s.patternRoot?.type === 'object') walk(s.patternRoot, '', new Map());
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Sources and detail-types

/**
 * The exact string values of a field in one sub-rule, or undefined when any value is not an exact string, is unknown
 * until deploy, or may be replaced by a part of the pattern unknown until deploy.
 */
function exactStrings(rule: PartialSubRule, path: string): { value: string; node: AstNode | undefined }[] | undefined {
  const condition = conditionOf(rule, path);
  if (!condition || condition.unknown || mayBeReplaced(rule, path)) return undefined;
  const out: { value: string; node: AstNode | undefined }[] = [];
  for (const m of condition.matchers) {
    if (m.matcher.kind !== 'exact-string') return undefined;
    out.push({ value: m.matcher.value, node: m.node });
  }
  return out;
}

function conditionOf(rule: PartialSubRule, path: string): PartialCondition | undefined {
  return rule.conditions.find((f) => f.path === path);
}

/** Whether a part of the sub-rule unknown until deploy (`$or: !Ref X`, say) may replace the condition at `path`. */
function mayBeReplaced(rule: PartialSubRule, path: string): boolean {
  return rule.unknownParts.some((p) => p === '' || path === p || path.startsWith(`${p}.`));
}

/**
 * Collects a verdict per node over every sub-rule the node takes part in: a node is reported only when each of its
 * sub-rules condemns it (a `$or` branch where it can match keeps it quiet).
 */
class NodeVerdicts<T> {
  private readonly seen = new Map<AstNode, { found: T | undefined; spared: boolean }>();

  condemn(node: AstNode | undefined, finding: T): void {
    if (!node) return;
    const entry = this.seen.get(node);
    if (!entry) this.seen.set(node, { found: finding, spared: false });
    else entry.found ??= finding;
  }

  spare(node: AstNode | undefined): void {
    if (!node) return;
    const entry = this.seen.get(node);
    if (!entry) this.seen.set(node, { found: undefined, spared: true });
    else entry.spared = true;
  }

  condemned(): [AstNode, T][] {
    const out: [AstNode, T][] = [];
    for (const [node, e] of this.seen) if (!e.spared && e.found !== undefined) out.push([node, e.found]);
    return out.sort((a, b) => a[0].offset - b[0].offset);
  }
}

function isAwsSourceName(value: string): boolean {
  return value.toLowerCase().startsWith('aws.');
}

/**
 * The known source a misspelt `aws.*` source most likely meant: one differing only in case, else one whose service
 * part (after `aws.`) is within an edit per four characters of it. Short names get no guess: `aws.mq` is not `aws.m2`.
 */
export function suggestAwsSource(value: string, known: readonly string[]): string | undefined {
  const exact = suggest(value, known, 0);
  if (exact !== undefined) return exact;
  const service = value.slice(value.indexOf('.') + 1);
  const maxDistance = Math.floor(service.length / 4);
  if (maxDistance === 0) return undefined;
  const byService = new Map(known.map((k) => [k.slice(k.indexOf('.') + 1), k]));
  const best = suggest(service, byService.keys(), maxDistance);
  return best === undefined ? undefined : byService.get(best);
}

function unknownAwsSources(pattern: PartialPattern, catalog: Catalog): LintProblem[] {
  const out: LintProblem[] = [];
  const done = new Set<AstNode>();
  let candidates: string[] | undefined;
  for (const rule of pattern.rules) {
    const source = conditionOf(rule, 'source');
    if (source?.unknown) continue;
    for (const m of source?.matchers ?? []) {
      if (m.matcher.kind !== 'exact-string' || !m.node || m.node.type !== 'string' || done.has(m.node)) continue;
      done.add(m.node);
      const value = m.matcher.value;
      if (!isAwsSourceName(value) || catalog.findSource(value) || OUTSIDE_CATALOG.has(value)) continue;
      candidates ??= [...catalog.sources(), ...SOURCES_OUTSIDE_CATALOG];
      const suggestion = suggestAwsSource(value, candidates);
      if (suggestion === undefined) continue;
      out.push(
        problem(
          ProblemCode.UnknownAwsSource,
          `${quote(value)} is not an AWS event source (sources are case-sensitive), so no event matches it: did you mean ${quote(suggestion)}?`,
          m.node,
          { kind: 'replaceString', node: m.node, replacement: suggestion },
        ),
      );
    }
  }
  return out;
}

/** The sources of a sub-rule when they are all exact names the catalog has schemas for. */
function catalogSources(rule: PartialSubRule, catalog: Catalog): string[] | undefined {
  const sources = exactStrings(rule, 'source');
  if (!sources || sources.length === 0) return undefined;
  const names = sources.map((x) => x.value);
  return names.every((n) => catalog.findSource(n) !== undefined) ? names : undefined;
}

/**
 * The sources of a sub-rule when they are all exact names whose list of detail-types the catalog has in full: only
 * then can a detail-type be said to be published by none of them.
 */
function completeSources(rule: PartialSubRule, catalog: Catalog): string[] | undefined {
  const names = catalogSources(rule, catalog);
  return names?.every((n) => catalog.isDetailTypeListComplete(n)) ? names : undefined;
}

/**
 * The documented detail-type an unpublished one most likely meant: one differing only in case (detail-types are
 * case-sensitive), else one within an edit per ten characters, three at most. Further than that it is another event,
 * not a typo ("Glue Crawler State Change" is not "Glue Job State Change").
 */
export function suggestDetailType(value: string, documented: readonly string[]): string | undefined {
  return (
    suggest(value, documented, 0) ?? suggest(value, documented, Math.min(3, Math.max(1, Math.floor(value.length / 10))))
  );
}

function unpublishedDetailTypes(pattern: PartialPattern, catalog: Catalog): LintProblem[] {
  const verdicts = new NodeVerdicts<{ value: string; sources: string[] }>();
  for (const rule of pattern.rules) {
    const detailType = conditionOf(rule, 'detail-type');
    if (!detailType) continue;
    const sources = completeSources(rule, catalog);
    for (const m of detailType.matchers) {
      if (!sources || detailType.unknown || m.matcher.kind !== 'exact-string') {
        verdicts.spare(m.node);
        continue;
      }
      const value = m.matcher.value;
      if (sources.some((src) => catalog.publishes(src, value) !== false)) verdicts.spare(m.node);
      else verdicts.condemn(m.node, { value, sources });
    }
  }
  const out: LintProblem[] = [];
  for (const [node, { value, sources }] of verdicts.condemned()) {
    if (node.type !== 'string') continue;
    const documented = [...new Set(sources.flatMap((src) => catalog.documentedDetailTypes(src)))];
    const suggestion = suggestDetailType(value, documented);
    const who = sources.length === 1 ? sources[0] : `any of ${sources.join(', ')}`;
    const why =
      suggestion !== undefined && suggestion.toLowerCase() === value.toLowerCase()
        ? ' (detail-types are case-sensitive)'
        : CLOUDTRAIL_DETAIL_TYPES.has(value)
          ? ` (its CloudTrail events come from ${sources.map((src) => CLOUDTRAIL_SOURCE_ELSEWHERE[src] ?? src).join(', ')})`
          : '';
    out.push(
      problem(
        ProblemCode.UnknownDetailType,
        `${who} publishes no detail-type ${quote(value)}${why}, so no event matches it` +
          (suggestion !== undefined ? `: did you mean ${quote(suggestion)}?` : ''),
        node,
        suggestion !== undefined ? { kind: 'replaceString', node, replacement: suggestion } : undefined,
      ),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Types: numbers written as strings, numeric comparisons on strings, string operators on numbers

type ScalarKind = 'string' | 'number';

function scalarKindOf(field: CatalogField | undefined): ScalarKind | undefined {
  if (!field) return undefined;
  const t = field.type === 'array' ? field.items?.type : field.type;
  if (t === 'string') return 'string';
  if (t === 'number' || t === 'integer') return 'number';
  return undefined;
}

const NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const STRING_ONLY_KINDS: ReadonlySet<string> = new Set([
  'exact-string',
  'ip',
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'cidr',
]);

/** The operator a matcher was written with, for messages. */
function operatorName(kind: string): string {
  switch (kind) {
    case 'exact-string':
    case 'ip':
      return 'a string value';
    case 'exact-number':
      return 'a number value';
    default:
      return `\`${kind}\``;
  }
}

interface TypeFinding {
  readonly code: ProblemCode;
  readonly message: string;
  readonly fix?: LintFix;
}

/**
 * The type every event of the sub-rule's sources and detail-types holds at `path` (`detail.x.y`), when the catalog
 * knows the field for each of them and they agree; envelope fields are strings whatever the catalog says.
 */
function fieldKind(
  path: string,
  rule: PartialSubRule,
  catalog: Catalog | undefined,
): { kind: ScalarKind; where: string } | undefined {
  if (STRING_ENVELOPE_FIELDS.has(path)) return { kind: 'string', where: 'every EventBridge event' };
  if (!path.startsWith('detail.') || !catalog) return undefined;
  const sources = catalogSources(rule, catalog);
  const detailTypes = exactStrings(rule, 'detail-type');
  if (!sources || !detailTypes || detailTypes.length === 0) return undefined;
  const segments = path.split('.').slice(1);
  let kind: ScalarKind | undefined;
  const pairs: string[] = [];
  for (const src of sources) {
    for (const { value: dt } of detailTypes) {
      if (!catalog.findDetailType(src, dt)) continue; // an event that does not exist does not count
      const k = scalarKindOf(catalog.detailField(src, dt, segments));
      if (k === undefined || (kind !== undefined && k !== kind)) return undefined;
      kind = k;
      pairs.push(`${src} ${quote(dt)}`);
    }
  }
  if (kind === undefined) return undefined;
  return { kind, where: pairs.length === 1 ? `${pairs[0]} events` : `the events of ${pairs.join(', ')}` };
}

function typeFinding(
  condition: PartialCondition,
  kind: ScalarKind,
  where: string,
  matcherIndex: number,
): TypeFinding | undefined {
  const placed = condition.matchers[matcherIndex];
  const m = placed.matcher;
  const node = placed.node;
  if (kind === 'number') {
    if (m.kind === 'exact-string' && NUMBER_TEXT.test(m.value.trim()) && node?.type === 'string') {
      return {
        code: ProblemCode.NumberWrittenAsString,
        message: `${condition.path} is a number in ${where}; the string ${quote(m.value)} never matches a number: write ${m.value.trim()} without quotes`,
        fix: { kind: 'unquoteNumber', node, replacement: m.value.trim() },
      };
    }
    if (STRING_ONLY_KINDS.has(m.kind)) {
      return {
        code: ProblemCode.StringMatchOnNumberField,
        message: `${condition.path} is a number in ${where}; ${operatorName(m.kind)} only matches strings, so it never matches here`,
      };
    }
    return undefined;
  }
  if (m.kind === 'numeric') {
    return {
      code: ProblemCode.NumberOnStringField,
      message: `${condition.path} is a string in ${where}; \`numeric\` only matches numbers, so it never matches here`,
    };
  }
  if (m.kind === 'exact-number' && node?.type === 'number') {
    return {
      code: ProblemCode.NumberOnStringField,
      message: `${condition.path} is a string in ${where}; the number ${m.text} never matches a string: write ${quote(m.text)}`,
      fix: { kind: 'quoteNumber', node, replacement: m.text },
    };
  }
  return undefined;
}

function typeMismatches(pattern: PartialPattern, catalog: Catalog | undefined): LintProblem[] {
  const verdicts = new NodeVerdicts<TypeFinding>();
  for (const rule of pattern.rules) {
    for (const condition of rule.conditions) {
      const known = condition.unknown ? undefined : fieldKind(condition.path, rule, catalog);
      condition.matchers.forEach((placed, i) => {
        const finding = known ? typeFinding(condition, known.kind, known.where, i) : undefined;
        if (finding) verdicts.condemn(placed.node, finding);
        else verdicts.spare(placed.node);
      });
    }
  }
  return verdicts.condemned().map(([node, f]) => problem(f.code, f.message, node, f.fix));
}

// ---------------------------------------------------------------------------------------------------------------
// Size

/** The pattern's length as AWS counts it (the JSON text it receives). */
export function patternLength(s: AnalyzedSite, doc: DocumentAnalysis): number | undefined {
  // With `${...}` of Fn::Sub, the least it can be (every substitution empty).
  if (s.site.form === 'string') return shortestLength(s.site.text, s.site.substitutions);
  if (s.site.kind === 'patternFile' && doc.languageId === 'json') return doc.text.length;
  return s.site.node.type === 'unknown' ? undefined : objectPatternLength(s.site.node);
}

function nearSizeLimit(s: AnalyzedSite, doc: DocumentAnalysis): LintProblem[] {
  const rules = DIALECTS[s.site.dialect];
  const limit = rules.defaultQuota ?? rules.maxLength;
  const length = patternLength(s, doc);
  if (length === undefined || length > limit || length <= limit * SIZE_WARNING_RATIO) return [];
  const share = Math.floor((length / limit) * 100);
  const message =
    rules.defaultQuota !== undefined
      ? `The pattern is ${length} characters long, ${share}% of EventBridge's ${limit}-character default quota: beyond it, the rule needs a service quota increase (up to ${rules.maxLength})`
      : `The pattern is ${length} characters long, ${share}% of the ${limit}-character limit for ${rules.label} patterns: beyond it, AWS rejects the pattern`;
  return [problem(ProblemCode.PatternNearSizeLimit, message, undefined)];
}

// ---------------------------------------------------------------------------------------------------------------
// A pattern no event can match

/**
 * Every `$or` combination has a condition no event satisfies (an empty numeric range, `exists: false` on a field every
 * event on a bus has). Only known conditions that no part unknown until deploy may replace are judged: leaving a
 * condition out can only make a combination easier to match, so what is left impossible is impossible. SNS filter
 * policies are not judged (their numbers are not EventBridge's).
 */
function impossiblePattern(pattern: PartialPattern): LintProblem[] {
  if (pattern.dialect === 'sns') return [];
  const rules = pattern.rules.map((rule) => rule.conditions.filter((c) => !c.unknown && !mayBeReplaced(rule, c.path)));
  const found = patternImpossibility(rules, pattern.dialect);
  if (!found) return [];
  return [problem(ProblemCode.ImpossiblePattern, found.reason, found.fields[0]?.node)];
}

// ---------------------------------------------------------------------------------------------------------------

/** Every lint rule of this module over one site (exported for tests and for code actions). */
export function lintPatternSite(s: AnalyzedSite, doc: DocumentAnalysis): LintProblem[] {
  const out: LintProblem[] = [...misspeltEnvelopeKeys(s), ...overriddenFields(s), ...nearSizeLimit(s, doc)];
  const pattern = s.analysis.partialPattern;
  if (pattern) out.push(...impossiblePattern(pattern));
  if (pattern && seesEnvelopes(s)) {
    const catalog = availableCatalog();
    if (catalog) out.push(...unknownAwsSources(pattern, catalog), ...unpublishedDetailTypes(pattern, catalog));
    out.push(...typeMismatches(pattern, catalog));
  }
  return out.sort((a, b) => a.offset - b.offset);
}
