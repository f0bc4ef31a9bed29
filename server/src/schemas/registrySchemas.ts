// A schema of an EventBridge schema registry (discovered or custom) as a learned schema: the registry describes an
// event in OpenAPI 3 (`components.schemas.AWSEvent`, the detail under `properties.detail.$ref`) or in JSON Schema
// draft 4 (the event at the root, the detail in `definitions`). Either way the source and detail-type are in the
// `x-amazon-events-source` / `x-amazon-events-detail-type` extensions, else in the schema's name (`source@DetailType`).
// Pure and bounded: `$ref` cycles, deep nesting and huge documents end in a truncated schema, never a hang.
import type { ExampleValue, JsonKind, LearnedField, LearnedSchema, StringFormat } from '../../../shared';
import { DEFAULT_INFERENCE_LIMITS, type InferenceLimits } from './inference';

export interface RegistrySchemaName {
  readonly registryName: string;
  readonly schemaName: string;
  readonly version?: string;
}

export type RegistryConversion = { ok: true; schema: LearnedSchema } | { ok: false; reason: string };

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The registry's content (JSON text) as a learned schema, or why it cannot be read. */
export function schemaFromRegistryContent(
  content: string,
  name: RegistrySchemaName,
  limits: InferenceLimits = DEFAULT_INFERENCE_LIMITS,
): RegistryConversion {
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch (e) {
    return { ok: false, reason: `the schema is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!isRecord(doc)) return { ok: false, reason: 'the schema is not a JSON object' };
  const root = eventSchemaOf(doc);
  const fromName = /^(.+?)@(.+)$/.exec(name.schemaName);
  const source = stringOf(root?.['x-amazon-events-source']) ?? fromName?.[1];
  const detailType = stringOf(root?.['x-amazon-events-detail-type']) ?? fromName?.[2];
  if (source === undefined || detailType === undefined)
    return { ok: false, reason: 'the schema names no source and detail-type (x-amazon-events-source/-detail-type)' };
  const fields: LearnedField[] = [];
  let truncated = false;
  const detail = root && isRecord(root.properties) ? root.properties.detail : undefined;
  if (detail !== undefined) {
    const walker = new Walker(doc, limits);
    walker.walk(detail);
    fields.push(...walker.fields.values());
    truncated = walker.truncated;
  }
  fields.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    ok: true,
    schema: {
      source,
      detailType,
      samples: 0,
      origin: {
        kind: 'registry',
        registryName: name.registryName,
        schemaName: name.schemaName,
        ...(name.version !== undefined ? { version: name.version } : {}),
      },
      fields,
      truncated,
    },
  };
}

function stringOf(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The schema of the whole event: OpenAPI's `AWSEvent` (or the one with the extensions), else the root itself. */
function eventSchemaOf(doc: Json): Json | undefined {
  const components = isRecord(doc.components) && isRecord(doc.components.schemas) ? doc.components.schemas : undefined;
  if (components) {
    if (isRecord(components.AWSEvent)) return components.AWSEvent;
    for (const s of Object.values(components))
      if (isRecord(s) && typeof s['x-amazon-events-source'] === 'string') return s;
    for (const s of Object.values(components))
      if (isRecord(s) && isRecord(s.properties) && 'detail' in s.properties) return s;
    return undefined;
  }
  return doc;
}

const FORMATS: Readonly<Record<string, StringFormat>> = {
  'date-time': 'timestamp',
  date: 'timestamp',
  ipv4: 'ip',
  ipv6: 'ip',
};

class Walker {
  readonly fields = new Map<string, LearnedField>();
  truncated = false;
  private steps = 0;

  constructor(
    private readonly doc: Json,
    private readonly limits: InferenceLimits,
  ) {}

  /** `#/components/schemas/X`, `#/definitions/X`: a JSON pointer into the document. */
  private resolve(
    schema: unknown,
    seen: ReadonlySet<string>,
  ): { schema: Json | undefined; seen: ReadonlySet<string>; cyclic?: boolean } {
    let current = schema;
    let refs = seen;
    for (let hops = 0; isRecord(current) && typeof current.$ref === 'string'; hops++) {
      const ref = current.$ref;
      if (refs.has(ref)) return { schema: undefined, seen: refs, cyclic: true };
      if (hops > 16 || !ref.startsWith('#/')) return { schema: undefined, seen: refs };
      refs = new Set([...refs, ref]);
      let target: unknown = this.doc;
      for (const part of ref.slice(2).split('/')) {
        const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
        target = isRecord(target) ? target[key] : undefined;
      }
      current = target;
    }
    return { schema: isRecord(current) ? current : undefined, seen: refs };
  }

  walk(detail: unknown): void {
    const { schema, seen } = this.resolve(detail, new Set());
    if (schema) this.walkObject(schema, '', 0, true, seen);
  }

  /** The properties of an object schema (with `allOf` merged), each a field under `prefix`. */
  private walkObject(schema: Json, prefix: string, depth: number, always: boolean, seen: ReadonlySet<string>): void {
    if (depth >= this.limits.maxDepth) {
      this.truncated = true;
      return;
    }
    const parts: Json[] = [schema];
    if (Array.isArray(schema.allOf))
      for (const p of schema.allOf.slice(0, 16)) {
        const r = this.resolve(p, seen).schema;
        if (r) parts.push(r);
      }
    for (const part of parts) {
      const required = new Set(Array.isArray(part.required) ? part.required.filter((r) => typeof r === 'string') : []);
      if (!isRecord(part.properties)) continue;
      let n = 0;
      for (const [key, value] of Object.entries(part.properties)) {
        if (++n > this.limits.maxKeys || ++this.steps > this.limits.maxValuesPerEvent) {
          this.truncated = true;
          return;
        }
        const path = prefix === '' ? key : `${prefix}.${key}`;
        this.walkField(value, path, depth + 1, always && required.has(key), seen);
      }
    }
  }

  private walkField(raw: unknown, path: string, depth: number, always: boolean, seen: ReadonlySet<string>): void {
    const { schema, seen: refs, cyclic } = this.resolve(raw, seen);
    if (this.fields.size >= this.limits.maxPaths && !this.fields.has(path)) {
      this.truncated = true;
      return;
    }
    if (cyclic) {
      // A schema that holds itself (a customer referred by a customer): the field is there, its fields are above.
      this.fields.set(path, { path, types: ['object'], examples: [], moreValues: false, seen: 0, always });
      return;
    }
    if (!schema) return;
    const types = kindsOf(schema);
    let itemTypes: JsonKind[] | undefined;
    let format = formatOf(schema);
    let examples = enumOf(schema, this.limits);
    if (types.includes('array')) {
      const items = this.resolve(schema.items, refs).schema;
      if (items) {
        itemTypes = kindsOf(items);
        format ??= formatOf(items);
        if (examples.length === 0) examples = enumOf(items, this.limits);
        if (itemTypes.includes('object') || isRecord(items.properties))
          this.walkObject(items, path, depth, false, refs);
      }
    }
    const enumLike = Array.isArray(schema.enum) || (itemTypes !== undefined && examples.length > 0);
    this.fields.set(path, {
      path,
      types,
      ...(itemTypes ? { itemTypes } : {}),
      examples: examples.slice(0, this.limits.maxExamples),
      moreValues: examples.length > this.limits.maxExamples,
      seen: 0,
      always,
      ...(enumLike && examples.length > 0 ? { enumLike: true } : {}),
      ...(format ? { format } : {}),
    });
    if (types.includes('object') || (types.length === 0 && isRecord(schema.properties)))
      this.walkObject(schema, path, depth, always, refs);
  }
}

function kindsOf(schema: Json): JsonKind[] {
  const raw: unknown[] = Array.isArray(schema.type) ? schema.type : schema.type !== undefined ? [schema.type] : [];
  const kinds = new Set<JsonKind>();
  for (const t of raw) {
    if (t === 'integer' || t === 'number') kinds.add('number');
    else if (t === 'string' || t === 'boolean' || t === 'null' || t === 'object' || t === 'array') kinds.add(t);
  }
  if (kinds.size === 0 && (isRecord(schema.properties) || Array.isArray(schema.allOf))) kinds.add('object');
  if (schema.nullable === true) kinds.add('null');
  return [...kinds].sort();
}

function formatOf(schema: Json): StringFormat | undefined {
  return typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
}

function enumOf(schema: Json, limits: InferenceLimits): ExampleValue[] {
  if (!Array.isArray(schema.enum)) return [];
  return schema.enum
    .filter(
      (v): v is ExampleValue =>
        v === null ||
        typeof v === 'number' ||
        typeof v === 'boolean' ||
        (typeof v === 'string' && v.length <= limits.maxExampleLength),
    )
    .slice(0, limits.maxExamples + 1);
}
