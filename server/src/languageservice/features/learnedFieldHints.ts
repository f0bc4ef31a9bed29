// EB520, a hint from the user's own events: a pattern names a `detail` path that no sample event of its custom source
// (and detail-type) has, `no sample event of com.example.orders has detail.totl: did you mean detail.total?`, with the
// evidence (how many samples, which files). Information only: samples show what events have held so far, not all they
// may hold. Kept apart from the lint rules (patternLintRules.ts), whose problems follow from the site alone and are
// cached with it: these change whenever the samples do, so they are computed at every validation (a walk over the
// pattern's conditions and a look-up per path).
import type { Diagnostic } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ProblemCode, type PartialSubRule } from '../../engine';
import type { AstNode, PropertyNode } from '../../engine/jsonAst';
import { suggest } from '../../catalog/catalog';
import { fieldsBelow, hasPath, type LearnedSchema, type LearnedSchemaIndex } from '../../schemas';
import type { LanguageService } from '../languageService';
import type { LanguageServiceSettings } from '../settings';
import type { AnalyzedSite, DocumentAnalysis } from '../sites/documentAnalysis';
import { catalogCovers, evidenceText, learnedSchemas, pairsText } from './learnedSchemas';
import { diagnostic, problemSpan } from './patternValidation';

/**
 * The hint needs this many sample events of the pattern's (source, detail-type) in all: with fewer, a missing optional
 * field is too likely to be a gap in the samples rather than a typo in the pattern.
 */
export const MIN_SAMPLES_FOR_HINT = 3;

export interface LearnedHint {
  readonly code: ProblemCode;
  readonly message: string;
  readonly severity: 'info';
  /** In the pattern's own offsets: the key that names the missing segment. */
  readonly offset: number;
  readonly length: number;
  readonly fromAws: false;
  /** The path proposed instead, when one is close. */
  readonly suggestion?: string;
}

/** The EB520 hints of one site, in the pattern's own offsets. */
export function learnedHintsOfSite(service: LanguageService, s: AnalyzedSite): LearnedHint[] {
  const dialect = s.site.dialect;
  if (dialect !== 'eventbus' && dialect !== 'archive') return [];
  const pattern = s.analysis.partialPattern;
  if (!pattern || s.site.marker) return [];
  const index = learnedSchemas(service);
  if (index.all.length === 0) return [];
  const memo = memoOf(index);
  // Per key: the hint of every sub-rule that judged it; one sub-rule that finds it (or cannot judge) keeps it quiet.
  const verdicts = new Map<StringKey, { hint: LearnedHint | undefined; spared: boolean }>();
  for (const rule of pattern.rules) {
    if (!rule.conditions.some((c) => c.path.startsWith('detail.'))) continue;
    const ruleKey = pairKey(rule);
    let schemas = ruleKey === undefined ? undefined : memo.schemas.get(ruleKey);
    if (ruleKey !== undefined && !memo.schemas.has(ruleKey)) {
      schemas = schemasOfRule(rule, index.sampleSchemasOf.bind(index));
      memo.schemas.set(ruleKey, schemas);
    }
    for (const condition of rule.conditions) {
      if (!condition.path.startsWith('detail.')) continue;
      const keys = keyChain(condition.node, s.patternRoot);
      if (keys.length === 0) continue;
      let judged: ReturnType<typeof judge>;
      if (schemas && ruleKey !== undefined && !mayBeReplaced(rule, condition.path)) {
        const at = `${ruleKey}\u0001${condition.path}`;
        if (!memo.verdicts.has(at)) memo.verdicts.set(at, pathVerdict(schemas, condition.path));
        judged = judge(memo.verdicts.get(at), keys);
      }
      for (const k of keys) {
        const v = verdicts.get(k.key) ?? { hint: undefined, spared: false };
        verdicts.set(k.key, v);
        if (judged && judged.key === k.key) v.hint ??= judged.hint;
        else if (!judged || judged.spares.has(k.key)) v.spared = true;
      }
    }
  }
  const out: LearnedHint[] = [];
  for (const v of verdicts.values()) if (v.hint && !v.spared) out.push(v.hint);
  return out.sort((a, b) => a.offset - b.offset);
}

type StringKey = PropertyNode['key'];

interface KeySegment {
  readonly key: StringKey;
  /** The dotted path up to and including this key. */
  readonly path: string;
}

/** The keys naming a condition's path, from the pattern's top down (`$or` is not part of a path). */
function keyChain(node: AstNode | undefined, root: AstNode | undefined): KeySegment[] {
  const props: PropertyNode[] = [];
  let cur: AstNode | PropertyNode | undefined = node?.parent;
  while (cur && cur !== root) {
    if (cur.type === 'property' && cur.key.value !== '$or') props.unshift(cur);
    cur = cur.parent;
  }
  const out: KeySegment[] = [];
  let path = '';
  for (const p of props) {
    path = path === '' ? p.key.value : `${path}.${p.key.value}`;
    out.push({ key: p.key, path });
  }
  return out;
}

/** What decides a sub-rule's schemas: its exact sources and detail-types; undefined when they are not all exact. */
function pairKey(rule: PartialSubRule): string | undefined {
  const sources = exactStrings(rule, 'source');
  if (!sources || sources.length === 0) return undefined;
  const detailTypes = rule.conditions.some((c) => c.path === 'detail-type') ? exactStrings(rule, 'detail-type') : [];
  if (!detailTypes) return undefined;
  return JSON.stringify([sources, detailTypes]);
}

/** The sample schemas a sub-rule's events may come from, or undefined when they cannot be told (or are too few). */
function schemasOfRule(
  rule: PartialSubRule,
  sampleSchemasOf: (source: string, detailType?: string) => LearnedSchema[],
): LearnedSchema[] | undefined {
  const sources = exactStrings(rule, 'source');
  if (!sources || sources.length === 0) return undefined;
  const detailTypes = rule.conditions.some((c) => c.path === 'detail-type') ? exactStrings(rule, 'detail-type') : [];
  if (!detailTypes) return undefined;
  const out: LearnedSchema[] = [];
  for (const source of sources) {
    if (catalogCovers(source)) return undefined;
    if (detailTypes.length === 0) {
      const all = sampleSchemasOf(source);
      if (all.length === 0) return undefined;
      out.push(...all);
      continue;
    }
    for (const dt of detailTypes) {
      const schema = sampleSchemasOf(source, dt);
      // A (source, detail-type) without samples may have any field: nothing can be said.
      if (schema.length === 0) return undefined;
      out.push(...schema);
    }
  }
  const samples = out.reduce((n, s) => n + s.samples, 0);
  return samples >= MIN_SAMPLES_FOR_HINT ? out : undefined;
}

function exactStrings(rule: PartialSubRule, path: string): string[] | undefined {
  const condition = rule.conditions.find((c) => c.path === path);
  if (!condition || condition.unknown || mayBeReplaced(rule, path)) return undefined;
  const out: string[] = [];
  for (const m of condition.matchers) {
    if (m.matcher.kind !== 'exact-string') return undefined;
    out.push(m.matcher.value);
  }
  return out;
}

function mayBeReplaced(rule: PartialSubRule, path: string): boolean {
  return rule.unknownParts.some((p) => p === '' || path === p || path.startsWith(`${p}.`));
}

/** What the samples say of one path: the first segment below `detail` none has (2 = the one after `detail`). */
interface PathVerdict {
  readonly segment: number;
  readonly message: string;
  readonly suggestion?: string;
}

/**
 * The first segment of `path` below `detail` that no schema has, with the hint's words; undefined when the whole path
 * is known. Depends on the schemas and the path only, so a template with many rules on one source asks once.
 */
function pathVerdict(schemas: readonly LearnedSchema[], path: string): PathVerdict | undefined {
  const segments = path.split('.');
  for (let i = 2; i <= segments.length; i++) {
    const prefix = segments.slice(0, i).join('.');
    if (hasPath(schemas, prefix.slice('detail.'.length))) continue;
    const missing = segments[i - 1];
    const parent = segments.slice(1, i - 1);
    const siblings = fieldsBelow(schemas, parent).map((f) => f.name);
    const close = suggest(missing, siblings);
    const suggestion = close !== undefined ? ['detail', ...parent, close].join('.') : undefined;
    const samples = schemas.reduce((n, s) => n + s.samples, 0);
    const sources = [...new Set(schemas.map((s) => s.source))].join(', ');
    const message =
      `no sample event of ${sources} has ${prefix}` +
      (suggestion ? `: did you mean ${suggestion}?` : '') +
      ` (${samples} sample event${samples === 1 ? '' : 's'} of ${pairsText(schemas)}: ${evidenceText(schemas)})`;
    return { segment: i, message, ...(suggestion ? { suggestion } : {}) };
  }
  return undefined;
}

/** The verdict placed on the key that names the missing segment; the keys above it are spared (they exist). */
function judge(
  verdict: PathVerdict | undefined,
  keys: readonly KeySegment[],
): { key: StringKey; hint: LearnedHint; spares: Set<StringKey> } | undefined {
  if (!verdict) return undefined;
  // The key whose dotted path reaches the segment (a key may hold several: `"detail.a.b"`).
  const owner = keys.find((k) => k.path.split('.').length >= verdict.segment) ?? keys[keys.length - 1];
  return {
    key: owner.key,
    spares: new Set(keys.filter((k) => k !== owner).map((k) => k.key)),
    hint: {
      code: ProblemCode.FieldNotInSamples,
      message: verdict.message,
      severity: 'info',
      offset: owner.key.offset,
      length: owner.key.length,
      fromAws: false,
      ...(verdict.suggestion ? { suggestion: verdict.suggestion } : {}),
    },
  };
}

/** Answers kept while the learned schemas stay the same: which schemas a rule names, what they say of a path. */
interface Memo {
  readonly schemas: Map<string, LearnedSchema[] | undefined>;
  readonly verdicts: Map<string, PathVerdict | undefined>;
}
const memos = new WeakMap<LearnedSchemaIndex, Memo>();

function memoOf(index: LearnedSchemaIndex): Memo {
  let memo = memos.get(index);
  if (!memo) {
    memo = { schemas: new Map(), verdicts: new Map() };
    memos.set(index, memo);
  }
  return memo;
}

/** The EB520 diagnostics of a document (sites holding a syntax error are left out, as validation leaves them). */
export function learnedHintDiagnostics(
  service: LanguageService,
  document: TextDocument,
  doc: DocumentAnalysis,
  settings: LanguageServiceSettings,
): Diagnostic[] {
  if (learnedSchemas(service).all.length === 0) return [];
  const out: Diagnostic[] = [];
  const broken = doc.syntaxErrors.filter((e) => e.severity === 'error').map((e) => e.offset);
  for (const s of doc.sites) {
    const { offset, length } = s.site.range;
    if (broken.some((b) => b >= offset && b < offset + length)) continue;
    for (const hint of learnedHintsOfSite(service, s)) {
      const d = diagnostic(document, problemSpan(s, hint), hint, settings);
      if (d) out.push(d);
    }
  }
  return out;
}
