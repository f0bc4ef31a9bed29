// Schema inference from sample events: for each (source, detail-type), every dotted path below `detail` with the kinds
// of value seen there, a few distinct example values, how many samples had it, and what its strings look like (an
// enum, IP addresses, timestamps, numbers written as strings). Pure and bounded: a sample file of any size or shape
// costs at most the limits below in memory and time, whatever it holds.
import type { ExampleValue, JsonKind, LearnedField, LearnedSchema, StringFormat } from '../../../shared';

export interface InferenceLimits {
  /** (source, detail-type) pairs learned; events of further pairs are skipped. */
  readonly maxSchemas: number;
  /** Paths per schema; deeper or further paths are left out (the schema says it is truncated). */
  readonly maxPaths: number;
  /** Levels below `detail` looked into. */
  readonly maxDepth: number;
  /** Distinct example values kept per field. */
  readonly maxExamples: number;
  /** Longer strings are not kept as examples (they still count). */
  readonly maxExampleLength: number;
  /** Elements of one array looked at. */
  readonly maxArrayElements: number;
  /** Keys of one object looked at. */
  readonly maxKeys: number;
  /** Values looked at in one event, in all. */
  readonly maxValuesPerEvent: number;
  /** File names kept per schema as evidence. */
  readonly maxFilesNamed: number;
}

export const DEFAULT_INFERENCE_LIMITS: InferenceLimits = {
  maxSchemas: 500,
  maxPaths: 400,
  maxDepth: 12,
  maxExamples: 8,
  maxExampleLength: 120,
  maxArrayElements: 100,
  maxKeys: 500,
  maxValuesPerEvent: 20_000,
  maxFilesNamed: 5,
};

/**
 * When a string field looks like an enum: at least ENUM_MIN_SAMPLES string values, at most ENUM_MAX_DISTINCT distinct
 * ones, each seen twice on average (`status: "PLACED" | "SHIPPED"` over 6 orders; not the ids of 3 orders).
 */
export const ENUM_MIN_SAMPLES = 4;
export const ENUM_MAX_DISTINCT = 10;

/** One event to learn from, and where it comes from. */
export interface SampleInput {
  readonly event: unknown;
  /** The file it was read from (a name to show). */
  readonly file?: string;
  /** Seen by the local bus. */
  readonly localBus?: boolean;
}

export interface InferenceResult {
  readonly schemas: LearnedSchema[];
  /** Events that are not events (no string `source` and `detail-type`), or of pairs over the limit. */
  readonly skipped: number;
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const NUMBER_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^(?=.*:)[0-9a-fA-F:.]{2,45}$/;

/** What a string looks like, if it is one of the formats we name. */
export function stringFormatOf(value: string): StringFormat | undefined {
  if (value.length > 64) return undefined;
  if (IPV4.test(value) || (IPV6.test(value) && value.includes('::')) || isFullIpv6(value)) return 'ip';
  if (ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')))) return 'timestamp';
  if (NUMBER_TEXT.test(value.trim()) && value.trim() === value) return 'number-string';
  return undefined;
}

function isFullIpv6(value: string): boolean {
  const parts = value.split(':');
  return parts.length === 8 && parts.every((p) => /^[0-9a-fA-F]{1,4}$/.test(p));
}

function kindOf(value: unknown): JsonKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

class FieldAccumulator {
  readonly types = new Set<JsonKind>();
  readonly itemTypes = new Set<JsonKind>();
  seen = 0;
  lastSample = -1;
  readonly examples: ExampleValue[] = [];
  private readonly exampleKeys = new Set<string>();
  moreValues = false;
  strings = 0;
  readonly distinctStrings = new Set<string>();
  distinctOverflow = false;
  readonly formats = new Map<StringFormat | 'other', number>();

  constructor(private readonly limits: InferenceLimits) {}

  markSeen(sample: number): void {
    if (this.lastSample === sample) return;
    this.lastSample = sample;
    this.seen++;
  }

  scalar(value: ExampleValue): void {
    if (typeof value === 'string') {
      this.strings++;
      if (!this.distinctOverflow) {
        this.distinctStrings.add(value.length > this.limits.maxExampleLength ? value.slice(0, 64) : value);
        if (this.distinctStrings.size > ENUM_MAX_DISTINCT) {
          this.distinctOverflow = true;
          this.distinctStrings.clear();
        }
      }
      const format = stringFormatOf(value) ?? 'other';
      this.formats.set(format, (this.formats.get(format) ?? 0) + 1);
      if (value.length > this.limits.maxExampleLength) return;
    }
    const key = typeof value === 'string' ? `s${value}` : `v${String(value)}`;
    if (this.exampleKeys.has(key)) return;
    if (this.examples.length >= this.limits.maxExamples) {
      this.moreValues = true;
      return;
    }
    this.exampleKeys.add(key);
    this.examples.push(value);
  }

  result(path: string, samples: number): LearnedField {
    const format = this.format();
    const enumLike =
      format === undefined &&
      !this.distinctOverflow &&
      this.strings >= ENUM_MIN_SAMPLES &&
      this.distinctStrings.size > 0 &&
      this.distinctStrings.size * 2 <= this.strings;
    return {
      path,
      types: [...this.types].sort(),
      ...(this.itemTypes.size > 0 ? { itemTypes: [...this.itemTypes].sort() } : {}),
      examples: [...this.examples],
      moreValues: this.moreValues,
      seen: this.seen,
      always: this.seen >= samples,
      ...(enumLike ? { enumLike: true } : {}),
      ...(format ? { format } : {}),
    };
  }

  /** The format every string of the field has, if they all have one. */
  private format(): StringFormat | undefined {
    if (this.strings === 0 || this.formats.has('other') || this.formats.size !== 1) return undefined;
    return [...this.formats.keys()][0] as StringFormat;
  }
}

class SchemaAccumulator {
  samples = 0;
  localBus = 0;
  readonly files: string[] = [];
  private readonly fileSet = new Set<string>();
  moreFiles = 0;
  readonly fields = new Map<string, FieldAccumulator>();
  truncated = false;

  constructor(
    readonly source: string,
    readonly detailType: string,
    private readonly limits: InferenceLimits,
  ) {}

  from(input: SampleInput): void {
    if (input.localBus) this.localBus++;
    if (input.file === undefined || this.fileSet.has(input.file)) return;
    this.fileSet.add(input.file);
    if (this.files.length < this.limits.maxFilesNamed) this.files.push(input.file);
    else this.moreFiles++;
  }

  field(path: string): FieldAccumulator | undefined {
    let f = this.fields.get(path);
    if (!f) {
      if (this.fields.size >= this.limits.maxPaths) {
        this.truncated = true;
        return undefined;
      }
      f = new FieldAccumulator(this.limits);
      this.fields.set(path, f);
    }
    return f;
  }

  /** Walks one event's detail (iteratively: depth is bounded, never the stack). */
  learn(detail: Record<string, unknown>, sample: number): void {
    let budget = this.limits.maxValuesPerEvent;
    const work: { value: unknown; path: string; depth: number; inArray: boolean }[] = [];
    const pushObject = (obj: Record<string, unknown>, prefix: string, depth: number): void => {
      if (depth >= this.limits.maxDepth) {
        this.truncated = true;
        return;
      }
      let n = 0;
      for (const key in obj) {
        if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
        if (++n > this.limits.maxKeys) {
          this.truncated = true;
          break;
        }
        work.push({
          value: obj[key],
          path: prefix === '' ? key : `${prefix}.${key}`,
          depth: depth + 1,
          inArray: false,
        });
      }
    };
    pushObject(detail, '', 0);
    while (work.length > 0 && budget-- > 0) {
      const { value, path, depth, inArray } = work.pop()!;
      const field = this.field(path);
      if (!field) continue;
      field.markSeen(sample);
      const kind = kindOf(value);
      if (inArray) field.itemTypes.add(kind);
      else field.types.add(kind);
      if (kind === 'object') {
        pushObject(value as Record<string, unknown>, path, depth);
      } else if (kind === 'array') {
        const items = value as unknown[];
        // A pattern looks through arrays: the elements' fields are the array's own paths.
        const count = Math.min(items.length, this.limits.maxArrayElements);
        if (items.length > count) this.truncated = true;
        for (let i = count - 1; i >= 0; i--) {
          const item = items[i];
          if (Array.isArray(item)) {
            field.itemTypes.add('array');
            continue; // arrays of arrays: the elements' own shapes are not followed
          }
          work.push({ value: item, path, depth, inArray: true });
        }
      } else {
        field.scalar(value as ExampleValue);
      }
    }
    if (work.length > 0) this.truncated = true;
  }

  result(): LearnedSchema {
    const fields = [...this.fields.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, f]) => f.result(path, this.samples));
    return {
      source: this.source,
      detailType: this.detailType,
      samples: this.samples,
      origin: { kind: 'samples', files: [...this.files], moreFiles: this.moreFiles, localBus: this.localBus },
      fields,
      truncated: this.truncated,
    };
  }
}

/** The source, detail-type and detail of an event as delivered, or of a PutEvents entry (`Source`, `DetailType`, `Detail`). */
export function eventParts(
  event: unknown,
): { source: string; detailType: string; detail: Record<string, unknown> | undefined } | undefined {
  if (!isRecord(event)) return undefined;
  if (typeof event.source === 'string' && typeof event['detail-type'] === 'string') {
    return {
      source: event.source,
      detailType: event['detail-type'],
      detail: isRecord(event.detail) ? event.detail : undefined,
    };
  }
  if (typeof event.Source === 'string' && typeof event.DetailType === 'string') {
    let detail: unknown = event.Detail;
    if (typeof detail === 'string' && detail.length <= 1024 * 1024) {
      try {
        detail = JSON.parse(detail);
      } catch {
        detail = undefined;
      }
    }
    return { source: event.Source, detailType: event.DetailType, detail: isRecord(detail) ? detail : undefined };
  }
  return undefined;
}

/** Learns a schema per (source, detail-type) from sample events. */
export function inferSchemas(
  inputs: Iterable<SampleInput>,
  limits: InferenceLimits = DEFAULT_INFERENCE_LIMITS,
): InferenceResult {
  const bySchema = new Map<string, SchemaAccumulator>();
  let skipped = 0;
  let sample = 0;
  for (const input of inputs) {
    const parts = eventParts(input.event);
    if (!parts) {
      skipped++;
      continue;
    }
    const key = `${parts.source}\u0000${parts.detailType}`;
    let acc = bySchema.get(key);
    if (!acc) {
      if (bySchema.size >= limits.maxSchemas) {
        skipped++;
        continue;
      }
      acc = new SchemaAccumulator(parts.source, parts.detailType, limits);
      bySchema.set(key, acc);
    }
    acc.samples++;
    acc.from(input);
    if (parts.detail) acc.learn(parts.detail, sample);
    sample++;
  }
  const schemas = [...bySchema.values()].map((a) => a.result());
  schemas.sort((a, b) => compare(a.source, b.source) || compare(a.detailType, b.detailType));
  return { schemas, skipped };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
