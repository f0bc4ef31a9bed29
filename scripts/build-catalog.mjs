// Generates server/generated/catalog.json, the catalog of AWS event sources, detail-types, detail field trees and
// sample events, from two inputs:
// - AWS's EventBridge events reference, kept as names in server/catalog-data/aws-events-reference.json (see
//   scripts/events-reference.mjs): every source, the detail-types each sends, whether it also delivers via
//   CloudTrail, and whether its list is complete (its page was read in full);
// - the EventBridge schema-registry events carried by @aws-cdk/aws-service-spec (db.json.gz): field trees (and so
//   samples) for a subset of the detail-types.
// Every source and detail-type records where it is known from: "reference", "service-spec" or "both". A source's
// list is complete when its reference page was read in full; then it is the union of both inputs' names.
// Works offline from the repository and the installed package only. A no-op when the output is newer than its inputs.
//
//   node scripts/build-catalog.mjs [--force] [--out FILE] [--reference FILE]
//
// The package's data model (see @aws-cdk/service-spec-types lib/types/event.d.ts): `schema.event.entities` holds one
// Event per registry schema { name: 'aws.s3@ObjectCreated', source, detailType, description, rootProperty: {$ref},
// resourcesField: [{ type: {$ref}, fieldName?, resource: {$ref} }] }; `rootProperty` points into
// `schema.eventTypeDefinition.entities` ({ $id, name, properties: { [field]: { type, required? } } }) where `type` is
// a GenericPropertyType: string (allowedValues?), number, integer (allowedValues?), boolean, json, date-time, null,
// tag, ref, array, map, union. `resource` points into `schema.resource.entities` (cloudFormationType, arnTemplate).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_DATA, EventsReferenceError, REFERENCE_INDEX, readEventsReference } from './events-reference.mjs';

const PACKAGE = '@aws-cdk/aws-service-spec';
const FORMAT = 2;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const selfPath = fileURLToPath(import.meta.url);
const referenceScript = join(dirname(selfPath), 'events-reference.mjs');

function fail(message) {
  console.error(`build-catalog: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  const opts = { force: false, out: join(root, 'server', 'generated', 'catalog.json'), reference: DEFAULT_DATA };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--force') opts.force = true;
    else if (argv[i] === '--out' && argv[i + 1]) opts.out = argv[++i];
    else if (argv[i] === '--reference' && argv[i + 1]) opts.reference = argv[++i];
    else fail(`unknown argument ${argv[i]} (usage: build-catalog.mjs [--force] [--out FILE] [--reference FILE])`);
  }
  return opts;
}

function locatePackage() {
  const require = createRequire(join(root, 'package.json'));
  let pkgJson;
  try {
    pkgJson = require.resolve(`${PACKAGE}/package.json`);
  } catch {
    fail(`${PACKAGE} is not installed (it is a devDependency: run \`npm ci\`); cannot generate the event catalog.`);
  }
  const dir = dirname(pkgJson);
  const db = join(dir, 'db.json.gz');
  if (!existsSync(db)) fail(`${PACKAGE} is installed at ${dir} but has no db.json.gz; reinstall it with \`npm ci\`.`);
  const version = JSON.parse(readFileSync(pkgJson, 'utf8')).version;
  return { db, pkgJson, version };
}

// ---------------------------------------------------------------------------------------------------------------
// Field trees

/** Turns `InstanceId`, `instance-id`, `Availability Zone` and `source_ip` into `instance-id` style. */
function kebab(name) {
  return String(name)
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

class Converter {
  constructor(schema) {
    this.defs = new Map(schema.eventTypeDefinition.entities.map((d) => [d.$id, d]));
  }

  def(ref) {
    const d = this.defs.get(ref.$ref);
    if (!d) fail(`dangling type reference ${ref.$ref} in ${PACKAGE}'s db.json.gz`);
    return d;
  }

  /** The fields of an event type definition, in the schema's order. `stack` guards against reference cycles. */
  fieldsOf(ref, stack = []) {
    if (stack.includes(ref.$ref)) return [];
    const d = this.def(ref);
    return Object.entries(d.properties).map(([name, p]) =>
      this.field(name, p.type, p.required === true, [...stack, ref.$ref]),
    );
  }

  field(name, type, required, stack) {
    return makeField(name, this.shape(type, stack), required);
  }

  /** The catalog shape of a GenericPropertyType: { type, items?, enum?, anyOf?, format?, children? }, where `items`
   * is the element's shape (without children) of an array or map. */
  shape(t, stack) {
    switch (t.type) {
      case 'string':
      case 'integer':
        return t.allowedValues?.length ? { type: t.type, enum: [...t.allowedValues] } : { type: t.type };
      case 'number':
      case 'boolean':
      case 'null':
        return { type: t.type };
      case 'date-time':
        return { type: 'string', format: 'date-time' };
      case 'json':
      case 'tag':
        return { type: 'any' };
      case 'ref':
        return { type: 'object', children: this.fieldsOf(t.reference, stack) };
      case 'array':
      case 'map': {
        const { children, ...items } = this.shape(t.element, stack);
        // Patterns look through arrays (and maps have free keys), so the element's own fields hang directly here.
        return children ? { type: t.type, items, children } : { type: t.type, items };
      }
      case 'union':
        return t.types.map((m) => this.shape(m, stack)).reduce((a, b) => mergeShape(a, b));
      default:
        fail(`unknown property type ${JSON.stringify(t.type)} in ${PACKAGE}'s db.json.gz`);
    }
  }
}

/** A field node with its keys in reading order: name, type details, required, children. */
function makeField(name, shape, required) {
  const { children, ...rest } = shape;
  return { name, ...rest, ...(required ? { required: true } : {}), ...(children ? { children } : {}) };
}

function typesOf(s) {
  return s.type === 'union' ? s.anyOf : [s.type];
}

/** Merges two shapes of the same field (a union's members, or the same event published under two schema names). */
function mergeShape(a, b) {
  const types = [...new Set([...typesOf(a), ...typesOf(b)])];
  let s;
  if (types.includes('any')) s = { type: 'any' };
  else if (types.length === 1) s = { type: types[0] };
  else s = { type: 'union', anyOf: types };
  if (a.items || b.items) s.items = a.items && b.items ? mergeShape(a.items, b.items) : (a.items ?? b.items);
  if (a.format && a.format === b.format) s.format = a.format;
  // A member without an enum allows any value, so the merged field only keeps an enum both sides have.
  if (a.enum && b.enum) s.enum = [...new Set([...a.enum, ...b.enum])];
  if (a.children || b.children) s.children = mergeFields(a.children ?? [], b.children ?? []);
  return s;
}

function mergeFields(as, bs) {
  const out = [];
  const byName = new Map(bs.map((f) => [f.name, f]));
  for (const a of as) {
    const b = byName.get(a.name);
    byName.delete(a.name);
    if (!b) {
      out.push(withoutRequired(a));
      continue;
    }
    const { name, required: ra, ...sa } = a;
    const { required: rb, ...sb } = b;
    out.push(makeField(name, mergeShape(sa, sb), ra && rb));
  }
  for (const b of byName.values()) out.push(withoutRequired(b));
  return out;
}

function withoutRequired(f) {
  const { required: _ignored, ...rest } = f;
  return rest;
}

// ---------------------------------------------------------------------------------------------------------------
// Samples: the registry carries none, so each is synthesized deterministically from the schema.

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const TIME = '2024-01-01T00:00:00Z';
const GENERIC_NAMES = new Set(['name', 'id', 'arn', 'type', 'key', 'value', 'status', 'state']);

function placeholderString(name, parent, service) {
  const k = kebab(name);
  const lower = k.replace(/-/g, '');
  if (/(^|-)arns?$/.test(k)) {
    const what = k.replace(/-?arns?$/, '') || kebab(parent) || 'resource';
    return `arn:aws:${service}:${REGION}:${ACCOUNT}:${what}/example`;
  }
  if (/(^|-)(time|date|timestamp|date-time|at|time-iso)$/.test(k) && !/timeout/.test(lower)) return TIME;
  if (k === 'event-source') return `${service}.amazonaws.com`;
  if (/(^|-)region$/.test(k)) return REGION;
  if (/(^|-)account(-id)?$/.test(k)) return ACCOUNT;
  if (/(^|-)ip(-address)?$/.test(k)) return '192.0.2.1';
  if (/(^|-)email(-address)?$/.test(k)) return 'user@example.com';
  if (/(^|-)(url|uri|endpoint)$/.test(k)) return 'https://example.com';
  if (/(^|-)version$/.test(k)) return '1';
  const stem = GENERIC_NAMES.has(k) && parent ? `${kebab(parent)}-${k}` : k;
  return `example-${stem || 'value'}`;
}

function sampleValue(f, parent, service) {
  const type = f.type === 'union' ? f.anyOf[0] : f.type;
  if (f.enum?.length) return f.enum[0];
  switch (type) {
    case 'string':
      return f.format === 'date-time' ? TIME : placeholderString(f.name, parent, service);
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'object':
      return sampleObject(f.children ?? [], f.name, service);
    case 'array':
      return [sampleValue({ ...(f.items ?? { type: 'any' }), name: f.name, children: f.children }, parent, service)];
    case 'map': {
      const value = { ...(f.items ?? { type: 'any' }), name: 'value', children: f.children };
      return { 'example-key': sampleValue(value, f.name, service) };
    }
    default:
      return {};
  }
}

function sampleObject(fields, parent, service) {
  const o = {};
  for (const f of fields) o[f.name] = sampleValue(f, parent, service);
  return o;
}

function fillArnTemplate(template) {
  return template.replace(/\$\{([^}]+)\}/g, (_, v) =>
    v === 'Partition' ? 'aws' : v === 'Region' ? REGION : v === 'Account' ? ACCOUNT : `example-${kebab(v)}`,
  );
}

/** Deterministic UUID-shaped id, so the same detail-type always gets the same sample. */
function sampleId(source, detailType) {
  const h = createHash('sha256').update(`${source}\0${detailType}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function sampleEvent(source, detailType, fields, arns) {
  const service = source.replace(/^aws\./, '');
  return {
    version: '0',
    id: sampleId(source, detailType),
    'detail-type': detailType,
    source,
    account: ACCOUNT,
    time: TIME,
    region: REGION,
    resources: arns,
    detail: sampleObject(fields, '', service),
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** source -> detail-type -> { schemas, resources, fields } from the service-spec's schema-registry events. */
function serviceSpecEvents(data, version) {
  const schema = data?.schema;
  if (!Array.isArray(schema?.event?.entities) || !Array.isArray(schema?.eventTypeDefinition?.entities)) {
    fail(
      `${PACKAGE}@${version}'s db.json.gz has no schema.event / schema.eventTypeDefinition collections; ` +
        'its data model changed: update scripts/build-catalog.mjs.',
    );
  }
  const conv = new Converter(schema);
  const resources = new Map((schema.resource?.entities ?? []).map((r) => [r.$id, r]));

  // Some detail-types are published under two schema names: their entries are merged.
  const bySource = new Map();
  for (const ev of schema.event.entities) {
    if (typeof ev.source !== 'string' || typeof ev.detailType !== 'string' || !ev.rootProperty) continue;
    const fields = conv.fieldsOf(ev.rootProperty);
    const res = (ev.resourcesField ?? []).map((rf) => resources.get(rf.resource?.$ref)).filter(Boolean);
    let dts = bySource.get(ev.source);
    if (!dts) bySource.set(ev.source, (dts = new Map()));
    const prev = dts.get(ev.detailType);
    if (!prev) {
      dts.set(ev.detailType, { schemas: [ev.name], resources: res, fields });
    } else {
      prev.schemas.push(ev.name);
      prev.resources.push(...res);
      prev.fields = mergeFields(prev.fields, fields);
    }
  }
  return bySource;
}

function provenanceOf(inReference, inSpec) {
  return inReference && inSpec ? 'both' : inReference ? 'reference' : 'service-spec';
}

/**
 * The catalog: every source of either input. A source's entry says where it is known from, whether its list of
 * detail-types is complete (its reference page was read in full), whether it delivers via CloudTrail (when the
 * reference says), and its reference page with the date it was read. A detail-type known only from the reference has
 * no fields and no sample.
 */
function buildCatalog(spec, version, reference) {
  const counts = {
    sources: { reference: 0, 'service-spec': 0, both: 0 },
    detailTypes: { reference: 0, 'service-spec': 0, both: 0 },
    completeSources: 0,
  };
  const sources = {};
  const names = [...new Set([...spec.keys(), ...Object.keys(reference.sources)])].sort();
  let detailTypeCount = 0;
  for (const source of names) {
    const fromSpec = spec.get(source) ?? new Map();
    const ref = reference.sources[source];
    const fromReference = new Set(ref?.detailTypes ?? []);
    const detailTypes = {};
    for (const dt of [...new Set([...fromReference, ...fromSpec.keys()])].sort()) {
      const e = fromSpec.get(dt);
      const provenance = provenanceOf(fromReference.has(dt), e !== undefined);
      counts.detailTypes[provenance]++;
      detailTypeCount++;
      if (!e) {
        detailTypes[dt] = { provenance };
        continue;
      }
      const resourceTypes = [...new Set(e.resources.map((r) => r.cloudFormationType))].sort();
      const arns = [...new Set(e.resources.filter((r) => r.arnTemplate).map((r) => fillArnTemplate(r.arnTemplate)))];
      detailTypes[dt] = {
        provenance,
        schemas: e.schemas.sort(),
        ...(resourceTypes.length ? { resourceTypes } : {}),
        fields: e.fields,
        sample: sampleEvent(source, dt, e.fields, arns),
      };
    }
    const provenance = provenanceOf(ref !== undefined, spec.has(source));
    counts.sources[provenance]++;
    const complete = ref?.complete === true;
    if (complete) counts.completeSources++;
    sources[source] = {
      provenance,
      complete,
      ...(ref ? { cloudTrail: ref.cloudTrail !== null, page: ref.page, read: ref.read } : {}),
      detailTypes,
    };
  }
  const readDates = [...new Set(Object.values(reference.sources).map((e) => e.read))].sort();
  return {
    catalog: {
      format: FORMAT,
      generatedFrom: `${PACKAGE}@${version} + ${REFERENCE_INDEX} (read ${readDates.join(', ')})`,
      inputs: {
        serviceSpec: `${PACKAGE}@${version}`,
        reference: { index: REFERENCE_INDEX, read: readDates },
      },
      counts,
      sources,
    },
    sourceCount: names.length,
    detailTypeCount,
  };
}

function loadReference(path) {
  try {
    return readEventsReference(path);
  } catch (e) {
    if (e instanceof EventsReferenceError) fail(e.message);
    throw e;
  }
}

function main() {
  const started = process.hrtime.bigint();
  const opts = parseArgs(process.argv.slice(2));
  const { db, pkgJson, version } = locatePackage();
  const shown = relative(process.cwd(), opts.out) || opts.out;
  if (!existsSync(opts.reference)) loadReference(opts.reference); // fails with the reason

  const inputs = [db, pkgJson, selfPath, referenceScript, opts.reference];
  const inputsTime = Math.max(...inputs.map((f) => statSync(f).mtimeMs));
  if (!opts.force && existsSync(opts.out) && statSync(opts.out).mtimeMs > inputsTime) {
    console.log(`catalog: ${shown} is up to date`);
    return;
  }

  const reference = loadReference(opts.reference);
  let data;
  try {
    data = JSON.parse(gunzipSync(readFileSync(db)).toString('utf8'));
  } catch (e) {
    fail(`cannot read ${db}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { catalog, sourceCount, detailTypeCount } = buildCatalog(serviceSpecEvents(data, version), version, reference);
  const text = JSON.stringify(catalog);

  // Write then rename, so a language server reading the catalog never sees half a file.
  mkdirSync(dirname(opts.out), { recursive: true });
  const tmp = `${opts.out}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, opts.out);

  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const kb = (Buffer.byteLength(text) / 1024).toFixed(0);
  const c = catalog.counts;
  console.log(
    `catalog: wrote ${shown} (${sourceCount} sources, ${detailTypeCount} detail-types, ${kb} KiB; ` +
      `${c.completeSources} sources with a complete list) from the events reference and ${PACKAGE}@${version} ` +
      `in ${ms.toFixed(0)} ms`,
  );
}

main();
