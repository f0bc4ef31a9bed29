// The schemas learned from the user's own events, per language service: inferred from the workspace's sample events
// (the files the code lens runs, see patternCodeLens.ts) and from the events the local bus has seen, plus those of the
// account's schema registries. Completion, hover and the EB520 hint read them for custom sources: those the catalog
// has no fields for (any source but the `aws.*` ones it documents with a schema).
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LearnedSchema } from '../../../../shared';
import { loadCatalog, type Catalog } from '../../catalog/catalog';
import type { AstNode } from '../../engine';
import {
  DEFAULT_INFERENCE_LIMITS,
  eventParts,
  fieldAt,
  fieldTypeText,
  fieldsBelow,
  inferSchemas,
  LearnedSchemaIndex,
  type FoundField,
  type SampleInput,
} from '../../schemas';
import type { LanguageService } from '../languageService';
import { getSampleEvents, isSnsSample, parseSampleFiles, type SampleEventFile } from './patternCodeLens';
import type { ChosenEvents } from './patternHover';

/** Events the local bus has seen, kept for learning: per (source, detail-type), the newest ones. */
export const OBSERVED_EVENT_LIMITS = {
  perPair: 20,
  pairs: 200,
  /** An event's JSON text longer than this is not kept. */
  maxEventChars: 64 * 1024,
  /** The JSON text of every kept event, in all. */
  maxTotalChars: 4 * 1024 * 1024,
} as const;

/** Registry schemas kept (the client sends at most this many; more are dropped). */
export const MAX_REGISTRY_SCHEMAS = 1000;

interface ObservedEvent {
  readonly key: string;
  readonly event: unknown;
  readonly chars: number;
}

interface LearnedState {
  observed: ObservedEvent[];
  observedChars: number;
  observedVersion: number;
  registry: readonly LearnedSchema[];
  registryFetchedAt?: string;
  built?: {
    readonly files: readonly SampleEventFile[];
    readonly observedVersion: number;
    readonly registry: readonly LearnedSchema[];
    readonly index: LearnedSchemaIndex;
  };
}

const states = new WeakMap<LanguageService, LearnedState>();

function stateOf(service: LanguageService): LearnedState {
  let s = states.get(service);
  if (!s) {
    s = { observed: [], observedChars: 0, observedVersion: 0, registry: [] };
    states.set(service, s);
  }
  return s;
}

/**
 * Adds events the local bus has seen (anything that is not an event is ignored). Returns how many were kept. Within
 * the limits (OBSERVED_EVENT_LIMITS): the oldest go first.
 */
export function addObservedEvents(service: LanguageService, events: unknown): number {
  if (!Array.isArray(events)) return 0;
  const state = stateOf(service);
  let kept = 0;
  for (const event of events.slice(0, 1000)) {
    const parts = eventParts(event);
    if (!parts) continue;
    let chars: number;
    try {
      chars = JSON.stringify(event).length;
    } catch {
      continue;
    }
    if (chars > OBSERVED_EVENT_LIMITS.maxEventChars) continue;
    const key = `${parts.source}\u0000${parts.detailType}`;
    const same = state.observed.filter((o) => o.key === key);
    if (same.length === 0 && new Set(state.observed.map((o) => o.key)).size >= OBSERVED_EVENT_LIMITS.pairs) continue;
    if (same.length >= OBSERVED_EVENT_LIMITS.perPair) drop(state, same[0]);
    state.observed.push({ key, event, chars });
    state.observedChars += chars;
    while (state.observedChars > OBSERVED_EVENT_LIMITS.maxTotalChars && state.observed.length > 0)
      drop(state, state.observed[0]);
    kept++;
  }
  if (kept > 0) state.observedVersion++;
  return kept;
}

function drop(state: LearnedState, event: ObservedEvent): void {
  const i = state.observed.indexOf(event);
  if (i < 0) return;
  state.observed.splice(i, 1);
  state.observedChars -= event.chars;
}

/** Replaces the registry schemas (as the client converted them; anything malformed is left out). */
export function setRegistrySchemas(service: LanguageService, schemas: unknown, fetchedAt?: unknown): number {
  const state = stateOf(service);
  const list = Array.isArray(schemas) ? schemas.filter(isLearnedSchema).slice(0, MAX_REGISTRY_SCHEMAS) : [];
  state.registry = list.map((s) => ({ ...s, samples: 0 }));
  if (typeof fetchedAt === 'string') state.registryFetchedAt = fetchedAt;
  else delete state.registryFetchedAt;
  return list.length;
}

function isLearnedSchema(v: unknown): v is LearnedSchema {
  const s = v as Partial<LearnedSchema> | null;
  return (
    typeof s?.source === 'string' &&
    typeof s.detailType === 'string' &&
    s.origin?.kind === 'registry' &&
    typeof s.origin.registryName === 'string' &&
    typeof s.origin.schemaName === 'string' &&
    Array.isArray(s.fields) &&
    s.fields.length <= 2000 &&
    s.fields.every((f: unknown) => {
      const field = f as Partial<LearnedSchema['fields'][number]> | null;
      return (
        typeof field?.path === 'string' &&
        Array.isArray(field.types) &&
        Array.isArray(field.examples) &&
        field.examples.length <= 64 &&
        field.examples.every((e: unknown) => e === null || ['string', 'number', 'boolean'].includes(typeof e))
      );
    })
  );
}

/** When the registry schemas were read from AWS, if known. */
export function registryFetchedAt(service: LanguageService): string | undefined {
  return stateOf(service).registryFetchedAt;
}

/** Every learned schema of the service (samples and registries), built again only when what it learns from changed. */
export function learnedSchemas(service: LanguageService): LearnedSchemaIndex {
  const state = stateOf(service);
  const files = getSampleEvents(service);
  const built = state.built;
  if (
    built &&
    built.files === files &&
    built.observedVersion === state.observedVersion &&
    built.registry === state.registry
  )
    return built.index;
  const inputs: SampleInput[] = [];
  for (const sample of parseSampleFiles(files)) {
    if (!sample.event || isSnsSample(sample)) continue;
    // `name[3]` for an element of an array file: the evidence names the file.
    inputs.push({ event: boundedPlainValue(sample.event), file: sample.name.replace(/\[\d+\]$/, '') });
  }
  for (const o of state.observed) inputs.push({ event: o.event, localBus: true });
  const { schemas } = inferSchemas(inputs);
  const index = new LearnedSchemaIndex([...schemas, ...state.registry]);
  state.built = { files, observedVersion: state.observedVersion, registry: state.registry, index };
  return index;
}

/** Levels of an event converted for learning: deeper than inference looks (DEFAULT_INFERENCE_LIMITS), no further. */
const PLAIN_DEPTH = DEFAULT_INFERENCE_LIMITS.maxDepth + 4;

/**
 * An event's AST as a plain value, down to PLAIN_DEPTH levels (deeper objects and arrays are left empty): a sample
 * file nested tens of thousands of levels deep must not overflow the stack.
 */
function boundedPlainValue(node: AstNode, depth = 0): unknown {
  switch (node.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      if (depth < PLAIN_DEPTH)
        for (const p of node.properties) if (p.value) o[p.key.value] = boundedPlainValue(p.value, depth + 1);
      return o;
    }
    case 'array':
      return depth < PLAIN_DEPTH ? node.items.map((item) => boundedPlainValue(item, depth + 1)) : [];
    case 'null':
      return null;
    case 'unknown':
      return undefined;
    default:
      return node.value;
  }
}

function availableCatalog(): Catalog | undefined {
  try {
    const catalog = loadCatalog();
    return catalog.isAvailable() ? catalog : undefined;
  } catch {
    return undefined;
  }
}

/** A source the catalog gives fields for (an `aws.*` source with a schema): learned schemas stay out of its way. */
export function catalogCovers(source: string, catalog: Catalog | undefined = availableCatalog()): boolean {
  if (!catalog) return false;
  return catalog.detailTypes(source).some((dt) => catalog.hasSchema(source, dt));
}

/** The learned schemas for what a pattern names (sources, detail-types), leaving out the catalog's sources. */
export function learnedSchemasFor(service: LanguageService, chosen: ChosenEvents): LearnedSchema[] {
  const index = learnedSchemas(service);
  if (index.all.length === 0) return [];
  const catalog = availableCatalog();
  const sources =
    chosen.sources.length > 0
      ? chosen.sources
      : chosen.detailTypes.length > 0
        ? [...new Set(index.all.filter((s) => chosen.detailTypes.includes(s.detailType)).map((s) => s.source))]
        : [];
  const out: LearnedSchema[] = [];
  for (const source of sources) {
    if (catalogCovers(source, catalog)) continue;
    for (const schema of index.schemasOf(source))
      if (chosen.detailTypes.length === 0 || chosen.detailTypes.includes(schema.detailType)) out.push(schema);
  }
  return out;
}

/** The learned fields directly below `path` of `detail` for what a pattern names. */
export function learnedFieldsBelow(
  service: LanguageService,
  chosen: ChosenEvents,
  path: readonly string[],
): FoundField[] {
  const schemas = learnedSchemasFor(service, chosen);
  return schemas.length === 0 ? [] : fieldsBelow(schemas, path);
}

/** The learned field at `path` of `detail` for what a pattern names. */
export function learnedFieldAt(
  service: LanguageService,
  chosen: ChosenEvents,
  path: readonly string[],
): FoundField | undefined {
  const schemas = learnedSchemasFor(service, chosen);
  return schemas.length === 0 ? undefined : fieldAt(schemas, path);
}

const MAX_NAMED = 3;

/** `events/orders/a.json, events/orders/b.json and 2 more files; 3 seen by the local bus`. */
export function evidenceText(schemas: readonly LearnedSchema[]): string {
  const files: string[] = [];
  let moreFiles = 0;
  let localBus = 0;
  const registries: string[] = [];
  for (const s of schemas) {
    if (s.origin.kind === 'registry') {
      const version = s.origin.version !== undefined ? ` version ${s.origin.version}` : '';
      registries.push(`schema ${s.origin.schemaName}${version} of registry ${s.origin.registryName}`);
      continue;
    }
    for (const f of s.origin.files) if (!files.includes(f)) files.push(f);
    moreFiles += s.origin.moreFiles;
    localBus += s.origin.localBus;
  }
  moreFiles += Math.max(0, files.length - MAX_NAMED);
  const parts: string[] = [];
  if (files.length > 0)
    parts.push(
      `${files.slice(0, MAX_NAMED).join(', ')}${moreFiles > 0 ? ` and ${moreFiles} more file${moreFiles === 1 ? '' : 's'}` : ''}`,
    );
  if (localBus > 0) parts.push(`${localBus} seen by the local bus`);
  if (registries.length > 0) parts.push(registries.slice(0, MAX_NAMED).join(', '));
  return parts.join('; ');
}

/** `com.example.orders / Order Placed, Order Shipped`. */
export function pairsText(schemas: readonly LearnedSchema[]): string {
  const bySource = new Map<string, string[]>();
  for (const s of schemas) {
    const list = bySource.get(s.source) ?? [];
    if (!list.includes(s.detailType)) list.push(s.detailType);
    bySource.set(s.source, list);
  }
  return [...bySource.entries()].map(([source, types]) => `${source} / ${types.join(', ')}`).join('; ');
}

/** Markdown for a learned field: its type, how often samples have it, examples, and where it was learned. */
export function learnedFieldMarkdown(dotted: string, found: FoundField, service: LanguageService): string {
  const { field, schemas } = found;
  const samples = schemas.reduce((n, s) => n + s.samples, 0);
  const seen = schemas.reduce((n, s) => n + (s.fields.find((f) => f.path === field.path)?.seen ?? 0), 0);
  const head = [`**${dotted}**: \`${fieldTypeText(field)}\``];
  if (field.format) head.push(FORMAT_WORDS[field.format]);
  if (samples > 0) head.push(seen >= samples ? `in every sample (${samples})` : `in ${seen} of ${samples} samples`);
  else if (field.always) head.push('required');
  const lines = [head.join(', ')];
  if (field.examples.length > 0) {
    const kind = field.enumLike ? 'Values' : 'Examples';
    const values = field.examples.map((v) => `\`${JSON.stringify(v)}\``).join(', ');
    lines.push('', `${kind}: ${values}${field.moreValues ? ', …' : ''}`);
  }
  const sampleSchemas = schemas.filter((s) => s.origin.kind === 'samples');
  const registrySchemas = schemas.filter((s) => s.origin.kind === 'registry');
  if (sampleSchemas.length > 0)
    lines.push('', `Learned from sample events of ${pairsText(sampleSchemas)}: ${evidenceText(sampleSchemas)}.`);
  if (registrySchemas.length > 0) {
    const at = registryFetchedAt(service);
    lines.push('', `From the ${evidenceText(registrySchemas)}${at ? ` (read ${at})` : ''}.`);
  }
  return lines.join('\n');
}

const FORMAT_WORDS: Readonly<Record<string, string>> = {
  ip: 'IP addresses',
  timestamp: 'timestamps',
  'number-string': 'numbers written as strings',
};

/**
 * The custom sources (not `aws.*`) that the patterns of the documents name as exact values, and those of the learned
 * samples: the sources worth looking up in schema registries.
 */
export function customSourcesOf(service: LanguageService, documents: Iterable<TextDocument>): string[] {
  const named = new Set<string>();
  let count = 0;
  for (const document of documents) {
    if (++count > 500) break;
    for (const site of service.analyze(document).sites)
      for (const rule of site.analysis.partialPattern?.rules ?? [])
        for (const c of rule.conditions)
          if (c.path === 'source')
            for (const m of c.matchers) if (m.matcher.kind === 'exact-string') named.add(m.matcher.value);
  }
  const catalog = availableCatalog();
  const out = new Set<string>();
  for (const s of named) if (!s.startsWith('aws.') && !catalogCovers(s, catalog)) out.add(s);
  for (const s of learnedSchemas(service).all)
    if (s.origin.kind === 'samples' && !s.source.startsWith('aws.')) out.add(s.source);
  return [...out].sort();
}
