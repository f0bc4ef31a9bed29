// The catalog of AWS event sources, detail-types, detail field trees and sample events, read at run time from
// server/generated/catalog.json (written by scripts/build-catalog.mjs from AWS's EventBridge events reference, kept
// as names in server/catalog-data/, and the schemas of @aws-cdk/aws-service-spec). Never bundled: the file is found
// next to the code, read on first use and kept.
import type { EventEnvelope } from '../eventbridge/envelope';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export { editDistance, suggest } from './suggest';

/** The catalog file format this loader understands (`format` in catalog.json). */
export const CATALOG_FORMAT = 2;

/**
 * Where a source or detail-type is known from: AWS's EventBridge events reference (names only), the schema registry
 * carried by @aws-cdk/aws-service-spec (names, fields and samples), or both.
 */
export type Provenance = 'reference' | 'service-spec' | 'both';

/**
 * The detail-types CloudTrail gives the events it delivers for a service (`source` is the service's own), published
 * for every source whose reference page says it delivers via CloudTrail. The reference documents "AWS API Call via
 * CloudTrail" on every such page; the others are CloudTrail's own kinds of event (console sign-ins and actions,
 * events services record themselves, Insights).
 */
export const CLOUDTRAIL_DETAIL_TYPES: ReadonlySet<string> = new Set([
  'AWS API Call via CloudTrail',
  'AWS Console Action via CloudTrail',
  'AWS Console Sign In via CloudTrail',
  'AWS Service Event via CloudTrail',
  'AWS Insight via CloudTrail',
]);

/**
 * Sources whose service's CloudTrail events arrive under another source, as the reference documents: only for these
 * is a CloudTrail detail-type called unpublished. Elsewhere a page that names no CloudTrail delivery may just be thin,
 * and a false alarm on a working rule costs more than a miss.
 */
export const CLOUDTRAIL_SOURCE_ELSEWHERE: Readonly<Record<string, string>> = { 'aws.cloudwatch': 'aws.monitoring' };

/** The CloudTrail detail-type every CloudTrail section of the reference documents. */
export const CLOUDTRAIL_API_CALL = 'AWS API Call via CloudTrail';

/** `any` is arbitrary JSON; `union` lists its members in `anyOf`; `map` is an object with free keys. */
export type FieldType =
  'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array' | 'map' | 'any' | 'union';

/** The type of a value, without its children. `items` is the element of an array or the value of a map. */
export interface FieldShape {
  readonly type: FieldType;
  readonly items?: FieldShape;
  readonly anyOf?: readonly FieldType[];
  readonly enum?: readonly (string | number)[];
  readonly format?: 'date-time';
}

/**
 * A field of an event's `detail`. For an object it has `children`; for an array or map of objects the element's
 * fields are its `children` too, since a pattern looks through arrays (and names a map's key as a plain field).
 */
export interface CatalogField extends FieldShape {
  readonly name: string;
  readonly required?: boolean;
  readonly description?: string;
  readonly children?: readonly CatalogField[];
}

/** A complete EventBridge event envelope. */
export type SampleEvent = EventEnvelope;

/**
 * A detail-type. One known from the schema registry has its schema names, fields and a sample; one known only from
 * the events reference has none of them.
 */
export interface DetailTypeEntry {
  readonly provenance: Provenance;
  /** Schema-registry names this detail-type is published under, e.g. `aws.s3@ObjectCreated`. */
  readonly schemas?: readonly string[];
  /** CloudFormation types of the resources the event names, e.g. `AWS::S3::Bucket`. */
  readonly resourceTypes?: readonly string[];
  readonly fields?: readonly CatalogField[];
  /** Synthesized from the schema (the registry carries no samples); use `Catalog.sampleEvent` for a copy. */
  readonly sample?: SampleEvent;
}

export interface SourceEntry {
  readonly provenance: Provenance;
  /**
   * Whether `detailTypes` is every detail-type the source sends directly: its reference page was read in full.
   * Otherwise the catalog knows some of them, or none.
   */
  readonly complete: boolean;
  /** Whether the service also delivers its API calls via CloudTrail; absent when the reference does not say. */
  readonly cloudTrail?: boolean;
  /** The source's page of the events reference, and the date it was read. */
  readonly page?: string;
  readonly read?: string;
  readonly detailTypes: Readonly<Record<string, DetailTypeEntry>>;
}

export interface CatalogCounts {
  readonly sources: Readonly<Record<Provenance, number>>;
  readonly detailTypes: Readonly<Record<Provenance, number>>;
  readonly completeSources: number;
}

export interface CatalogData {
  readonly format: number;
  /** What the catalog was generated from, in words: the service-spec package and the reference's read dates. */
  readonly generatedFrom: string;
  readonly counts?: CatalogCounts;
  readonly sources: Readonly<Record<string, SourceEntry>>;
}

export class CatalogError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'invalid',
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}

const RELATIVE_PATH = join('server', 'generated', 'catalog.json');
const REBUILD_HINT = 'run `npm run build` (or `node scripts/build-catalog.mjs`) to generate it';

/**
 * Finds `server/generated/catalog.json` walking up from `startDir`: works from the compiled `out/server/src/catalog/`,
 * from a bundle in `dist/` and from an installed extension.
 */
export function findCatalogFile(startDir: string = __dirname): string | undefined {
  let dir = startDir;
  for (;;) {
    const candidate = join(dir, RELATIVE_PATH);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function hasOwn<T>(record: Readonly<Record<string, T>>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

function validate(data: unknown, where: string): CatalogData {
  const d = data as Partial<CatalogData> | null;
  if (!d || typeof d !== 'object' || typeof d.sources !== 'object' || d.sources === null) {
    throw new CatalogError(`${where} is not an event catalog; ${REBUILD_HINT}`, 'invalid');
  }
  if (d.format !== CATALOG_FORMAT) {
    throw new CatalogError(
      `${where} has format ${String(d.format)}, this code reads format ${CATALOG_FORMAT}; ${REBUILD_HINT}`,
      'invalid',
    );
  }
  return d as CatalogData;
}

export class Catalog {
  private data: CatalogData | undefined;
  private sortedSources: readonly string[] | undefined;
  private allDetailTypeNames: readonly string[] | undefined;

  private constructor(private readonly origin: { readonly path?: string; readonly data?: CatalogData }) {
    this.data = origin.data;
  }

  /** A catalog read from `path` on first use; with no path, from the file `findCatalogFile()` finds. */
  static fromFile(path?: string): Catalog {
    return new Catalog(path === undefined ? {} : { path });
  }

  /** A catalog over data already in memory (tests, or a caller that fetched the file itself). */
  static fromData(data: unknown): Catalog {
    return new Catalog({ data: validate(data, 'the catalog data') });
  }

  /** Reads the file if not yet read. Throws a `CatalogError` when it is missing or not a catalog. */
  private get loaded(): CatalogData {
    if (this.data) return this.data;
    const path = this.origin.path ?? findCatalogFile();
    if (path === undefined || !existsSync(path)) {
      throw new CatalogError(
        `The event catalog ${path ?? RELATIVE_PATH} was not found (looked upwards from ${__dirname}); ${REBUILD_HINT}`,
        'not-found',
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new CatalogError(`Cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, 'invalid');
    }
    this.data = validate(parsed, path);
    return this.data;
  }

  /** Whether the catalog can be read; loads it if needed, and never throws. */
  isAvailable(): boolean {
    try {
      return this.loaded !== undefined;
    } catch {
      return false;
    }
  }

  /** `package@version` the catalog was generated from. */
  generatedFrom(): string {
    return this.loaded.generatedFrom;
  }

  /** Every source, sorted. */
  sources(): readonly string[] {
    return (this.sortedSources ??= Object.keys(this.loaded.sources).sort());
  }

  /** The source's entry, if the catalog knows it (exact, case-sensitive, as EventBridge matches). */
  findSource(name: string): SourceEntry | undefined {
    const sources = this.loaded.sources;
    return hasOwn(sources, name) ? sources[name] : undefined;
  }

  /** The source's detail-types, sorted; empty for an unknown source. */
  detailTypes(source: string): readonly string[] {
    const s = this.findSource(source);
    return s ? Object.keys(s.detailTypes).sort() : [];
  }

  /** Every detail-type of every source, sorted and without repeats (for a pattern that names no source). */
  allDetailTypes(): readonly string[] {
    if (!this.allDetailTypeNames) {
      const names = new Set<string>();
      for (const s of Object.values(this.loaded.sources)) for (const dt of Object.keys(s.detailTypes)) names.add(dt);
      this.allDetailTypeNames = [...names].sort();
    }
    return this.allDetailTypeNames;
  }

  /** The sources publishing `detailType`, sorted. */
  sourcesOf(detailType: string): readonly string[] {
    return this.sources().filter((s) => hasOwn(this.loaded.sources[s].detailTypes, detailType));
  }

  findDetailType(source: string, detailType: string): DetailTypeEntry | undefined {
    const s = this.findSource(source);
    return s && hasOwn(s.detailTypes, detailType) ? s.detailTypes[detailType] : undefined;
  }

  /** Whether the catalog has the detail-type's schema (fields and a sample), not just its name. */
  hasSchema(source: string, detailType: string): boolean {
    return this.findDetailType(source, detailType)?.fields !== undefined;
  }

  /**
   * Whether the catalog lists every detail-type the source sends directly (its reference page was read in full). Only
   * then can a name missing from the list be called unpublished.
   */
  isDetailTypeListComplete(source: string): boolean {
    return this.findSource(source)?.complete === true;
  }

  /** Whether the source also delivers via CloudTrail; undefined when the reference does not say (or no such source). */
  deliversViaCloudTrail(source: string): boolean | undefined {
    return this.findSource(source)?.cloudTrail;
  }

  /** Where the source, or one of its detail-types, is known from; undefined when the catalog does not know it. */
  provenance(source: string, detailType?: string): Provenance | undefined {
    return detailType === undefined
      ? this.findSource(source)?.provenance
      : this.findDetailType(source, detailType)?.provenance;
  }

  /**
   * Whether events from `source` can carry `detailType`: true when the catalog lists it (or it is one of CloudTrail's
   * detail-types and the source delivers via CloudTrail), false when the source's list is complete and has no such
   * name, undefined when the catalog cannot tell. Exact and case-sensitive, as EventBridge matches.
   */
  publishes(source: string, detailType: string): boolean | undefined {
    const s = this.findSource(source);
    if (!s) return undefined;
    if (hasOwn(s.detailTypes, detailType)) return true;
    if (CLOUDTRAIL_DETAIL_TYPES.has(detailType)) {
      if (s.cloudTrail === true) return true;
      return hasOwn(CLOUDTRAIL_SOURCE_ELSEWHERE, source) ? false : undefined;
    }
    return s.complete ? false : undefined;
  }

  /**
   * The detail-types the reference documents for the source, sorted: those it sends directly, then "AWS API Call via
   * CloudTrail" when it delivers via CloudTrail. What completion offers.
   */
  documentedDetailTypes(source: string): readonly string[] {
    const direct = this.detailTypes(source);
    if (this.deliversViaCloudTrail(source) !== true || direct.includes(CLOUDTRAIL_API_CALL)) return direct;
    return [...direct, CLOUDTRAIL_API_CALL];
  }

  /**
   * The field at `path` inside `detail` (`['bucket', 'name']`). Arrays are looked through; under a map, a segment
   * is a key of the map and yields the map's value, named after that key. Undefined when the path is unknown (or the
   * catalog has no schema for the detail-type).
   */
  detailField(source: string, detailType: string, path: readonly string[]): CatalogField | undefined {
    const entry = this.findDetailType(source, detailType);
    if (!entry?.fields || path.length === 0) return undefined;
    let fields: readonly CatalogField[] | undefined = entry.fields;
    let field: CatalogField | undefined;
    for (const segment of path) {
      if (field?.type === 'map') {
        const value: FieldShape = field.items ?? { type: 'any' };
        field = { ...value, name: segment, ...(field.children ? { children: field.children } : {}) };
      } else {
        field = fields?.find((f) => f.name === segment);
        if (!field) return undefined;
      }
      fields = field.children;
    }
    return field;
  }

  /**
   * The fields directly under `path` inside `detail` (`[]` for the top level of `detail`). Empty for a field without
   * children (a string, or a map whose keys are free); undefined when the path is unknown or the catalog has no
   * schema for the detail-type.
   */
  detailFields(source: string, detailType: string, path: readonly string[]): readonly CatalogField[] | undefined {
    if (path.length === 0) return this.findDetailType(source, detailType)?.fields;
    const field = this.detailField(source, detailType, path);
    if (!field) return undefined;
    return field.type === 'map' ? [] : (field.children ?? []);
  }

  /**
   * A copy of the sample event (a full envelope), free for the caller to change. For a detail-type known without a
   * schema it is the bare envelope, with an empty `detail` (`hasSchema` tells which).
   */
  sampleEvent(source: string, detailType: string): SampleEvent | undefined {
    const entry = this.findDetailType(source, detailType);
    if (!entry) return undefined;
    return entry.sample ? structuredClone(entry.sample) : envelopeSample(source, detailType);
  }

  /** Counts, for status lines and figures; `byProvenance` as the build counted them. */
  stats(): {
    sources: number;
    detailTypes: number;
    completeSources: number;
    byProvenance: { sources: Record<Provenance, number>; detailTypes: Record<Provenance, number> };
  } {
    const sources: Record<Provenance, number> = { reference: 0, 'service-spec': 0, both: 0 };
    const detailTypes: Record<Provenance, number> = { reference: 0, 'service-spec': 0, both: 0 };
    let total = 0;
    let completeSources = 0;
    for (const s of Object.values(this.loaded.sources)) {
      sources[s.provenance]++;
      if (s.complete) completeSources++;
      for (const dt of Object.values(s.detailTypes)) {
        detailTypes[dt.provenance]++;
        total++;
      }
    }
    return {
      sources: this.sources().length,
      detailTypes: total,
      completeSources,
      byProvenance: { sources, detailTypes },
    };
  }
}

/** The bare envelope of a detail-type known without a schema: deterministic, like the build's samples. */
function envelopeSample(source: string, detailType: string): SampleEvent {
  const h = createHash('sha256').update(`${source}\0${detailType}`).digest('hex');
  return {
    version: '0',
    id: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`,
    'detail-type': detailType,
    source,
    account: '123456789012',
    time: '2024-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {},
  };
}

const cache = new Map<string, Catalog>();

/**
 * The catalog at `path`, or the one found next to the code. Cheap: nothing is read until the first query, and the
 * same `Catalog` is returned for the same path.
 */
export function loadCatalog(path?: string): Catalog {
  const key = path ?? '';
  let c = cache.get(key);
  if (!c) {
    c = Catalog.fromFile(path);
    cache.set(key, c);
  }
  return c;
}
