// server/catalog-data/aws-events-reference.json: which detail-types each AWS service sends to EventBridge, as AWS's
// EventBridge events reference lists them (docs.aws.amazon.com/eventbridge/latest/ref/: an index of every service,
// then one page per service). Only facts are kept: source names, detail-type names, page addresses, the CloudTrail
// event source and the date each page was read; never the reference's text.
//
//   node scripts/events-reference.mjs --pages DIR [--read YYYY-MM-DD]  # refresh the data file from the pages
//   node scripts/events-reference.mjs --check                          # validate the data file, print its counts
//   both take --data FILE (default server/catalog-data/aws-events-reference.json)
//
// DIR holds the reference's pages as markdown (docs.aws.amazon.com serves each page as `<page>.md` too, and public
// mirrors of the AWS docs keep the same files): `events.md`, the index (one table row per service: its event source
// and its CloudTrail event source, or n/a), and any number of `events-ref-<service>.md` pages. A page read in full
// makes its source's list complete; a source known only from the index keeps an empty list marked incomplete, so the
// linter never judges its detail-types. Entries of sources whose page is not in DIR are kept as they were.
//
// scripts/build-catalog.mjs reads the data file through `readEventsReference` below.
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REFERENCE_BASE = 'https://docs.aws.amazon.com/eventbridge/latest/ref/';
export const REFERENCE_INDEX = `${REFERENCE_BASE}events.html`;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_DATA = join(root, 'server', 'catalog-data', 'aws-events-reference.json');

const SOURCE = /^aws\.[a-z0-9][a-z0-9.-]*$/;
const CLOUDTRAIL_SOURCE = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PAGE = /^https:\/\/docs\.aws\.amazon\.com\/eventbridge\/latest\/ref\/events-ref-[a-z0-9-]+\.html$/;
const ABOUT =
  'The detail-types each AWS service sends directly to EventBridge, and whether it also delivers its API calls via ' +
  'CloudTrail, as listed by the EventBridge events reference. complete: the service page was read in full. ' +
  'Names and addresses only. Refresh with scripts/events-reference.mjs.';

/** An error in an input, with where it is. */
export class EventsReferenceError extends Error {}

// ---------------------------------------------------------------------------------------------------------------
// Validation (shared with build-catalog.mjs)

/**
 * The data file's content, checked. Throws a `EventsReferenceError` that says what is wrong and where, so a bad edit fails
 * the build with a message instead of producing a wrong catalog.
 */
export function validateEventsReference(data, where) {
  const bad = (what) => {
    throw new EventsReferenceError(`${where}: ${what}`);
  };
  if (!data || typeof data !== 'object' || Array.isArray(data)) bad('not a JSON object');
  if (!data.sources || typeof data.sources !== 'object' || Array.isArray(data.sources)) bad('has no "sources" object');
  const names = Object.keys(data.sources);
  if (names.length === 0) bad('"sources" is empty');
  for (const source of names) {
    const e = data.sources[source];
    const at = (what) => bad(`sources[${JSON.stringify(source)}]: ${what}`);
    if (!SOURCE.test(source)) at('not an AWS event source name (aws.<service>)');
    if (!e || typeof e !== 'object' || Array.isArray(e)) at('not an object');
    if (typeof e.page !== 'string' || !PAGE.test(e.page)) at(`"page" must be a page of ${REFERENCE_BASE}`);
    if (e.cloudTrail !== null && !(typeof e.cloudTrail === 'string' && CLOUDTRAIL_SOURCE.test(e.cloudTrail))) {
      at('"cloudTrail" must be the CloudTrail event source (<service>.amazonaws.com) or null');
    }
    if (typeof e.read !== 'string' || !DATE.test(e.read) || Number.isNaN(Date.parse(e.read))) {
      at('"read" must be the date the page was read (YYYY-MM-DD)');
    }
    if (e.inIndex !== undefined && e.inIndex !== false) at('"inIndex" is either absent or false');
    if (typeof e.complete !== 'boolean') at('"complete" must be true or false');
    if (!Array.isArray(e.detailTypes)) at('"detailTypes" must be an array');
    const seen = new Set();
    for (const dt of e.detailTypes) {
      if (typeof dt !== 'string' || dt.trim() === '' || dt !== dt.trim()) at(`bad detail-type ${JSON.stringify(dt)}`);
      if (seen.has(dt)) at(`detail-type ${JSON.stringify(dt)} is listed twice`);
      seen.add(dt);
    }
    if (!e.complete && e.detailTypes.length > 0) at('a list that is not complete must be empty (read the page)');
  }
  return data;
}

/** Reads and checks the data file. Throws a `EventsReferenceError` when it is missing or wrong. */
export function readEventsReference(path = DEFAULT_DATA) {
  const shown = relative(process.cwd(), path) || path;
  if (!existsSync(path))
    throw new EventsReferenceError(`${shown} is missing: it is part of the repository (git checkout it)`);
  let data;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new EventsReferenceError(`${shown} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return validateEventsReference(data, shown);
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing the reference's markdown

/** A list item's text without markdown: `- Glue Job State Change` → `Glue Job State Change`. */
function itemText(line) {
  return line
    .replace(/^\s*[-+*]\s+/, '')
    .replace(/\\(.)/g, '$1')
    .replace(/`/g, '')
    .trim();
}

/** The index: one row per service, `| [Service](events-ref-x.md ...) | aws.x | x.amazonaws.com or n/a |`. */
export function parseIndex(markdown) {
  const rows = [];
  const row = /^\|\s*\[[^\]]*\]\((events-ref-[a-z0-9-]+)\.md[^)]*\)\s*\|\s*(aws\.[a-z0-9.-]+)\s*\|\s*([^|\s]+)\s*\|/;
  for (const line of markdown.split(/\r?\n/)) {
    const m = row.exec(line);
    if (m) rows.push({ page: `${REFERENCE_BASE}${m[1]}.html`, source: m[2], cloudTrail: m[3] === 'n/a' ? null : m[3] });
  }
  return rows;
}

/**
 * A service page: its source (from "`source`: aws.x"), the detail-types it sends directly (the list after "sends the
 * following events directly to EventBridge"), and its CloudTrail event source ("`eventSource`: x.amazonaws.com"), if
 * it has a section on events delivered via CloudTrail. Throws a `EventsReferenceError` for a page that is not one.
 */
export function parseServicePage(markdown, name) {
  const lines = markdown.split(/\r?\n/);
  const source = /`source`:\s*(aws\.[a-z0-9.-]+)/.exec(markdown)?.[1];
  if (!source)
    throw new EventsReferenceError(`${name}: no "\`source\`: aws.<service>" line; is it an events reference page?`);
  const cloudTrail = /`eventSource`:\s*([a-z0-9.-]+\.amazonaws\.com)/.exec(markdown)?.[1] ?? null;
  const detailTypes = [];
  const start = lines.findIndex((l) => /sends the following events directly to EventBridge:?\s*$/i.test(l));
  if (start >= 0) {
    for (const line of lines.slice(start + 1)) {
      if (line.trim() === '') {
        if (detailTypes.length > 0) break;
        continue;
      }
      if (!/^\s*[-+*]\s+/.test(line)) break;
      const dt = itemText(line);
      if (dt && !detailTypes.includes(dt)) detailTypes.push(dt);
    }
    if (detailTypes.length === 0) throw new EventsReferenceError(`${name}: the list of events sent directly is empty`);
  } else if (!cloudTrail) {
    throw new EventsReferenceError(`${name}: lists neither events sent directly nor events delivered via CloudTrail`);
  }
  return { source, detailTypes, cloudTrail };
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

/** The data in canonical form: sources sorted, keys in a fixed order, each list in the page's order. */
export function canonical(data) {
  const sources = {};
  for (const source of Object.keys(data.sources).sort()) {
    const e = data.sources[source];
    sources[source] = {
      page: e.page,
      cloudTrail: e.cloudTrail,
      read: e.read,
      ...(e.inIndex === false ? { inIndex: false } : {}),
      complete: e.complete,
      detailTypes: [...e.detailTypes],
    };
  }
  return { about: ABOUT, index: REFERENCE_INDEX, sources };
}

export function writeEventsReference(path, data) {
  const text = `${JSON.stringify(canonical(validateEventsReference(data, 'the new data')), null, 2)}\n`;
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** The data refreshed from a directory of pages: the index updates which sources exist, each page its source. */
export function refreshFromPages(previous, dir, read) {
  const sources = { ...(previous?.sources ?? {}) };
  const files = readdirSync(dir).filter((f) => /^events(-ref-[a-z0-9-]+)?\.md$/.test(f));
  if (files.length === 0) throw new EventsReferenceError(`${dir} holds no events.md and no events-ref-*.md page`);
  const indexFile = files.includes('events.md') ? join(dir, 'events.md') : undefined;
  if (indexFile) {
    const rows = parseIndex(readFileSync(indexFile, 'utf8'));
    if (rows.length === 0) throw new EventsReferenceError(`${indexFile}: no service rows in its table`);
    const listed = new Set(rows.map((r) => r.source));
    for (const [source, e] of Object.entries(sources))
      if (!listed.has(source)) sources[source] = { ...e, inIndex: false };
    for (const r of rows) {
      const prev = sources[r.source];
      sources[r.source] = prev
        ? { ...prev, page: r.page, cloudTrail: prev.complete ? prev.cloudTrail : r.cloudTrail, inIndex: undefined }
        : { page: r.page, cloudTrail: r.cloudTrail, read, complete: false, detailTypes: [] };
    }
  }
  let pages = 0;
  for (const f of files.filter((x) => x !== 'events.md').sort()) {
    const page = parseServicePage(readFileSync(join(dir, f), 'utf8'), join(dir, f));
    const prev = sources[page.source];
    sources[page.source] = {
      page: `${REFERENCE_BASE}${basename(f, '.md')}.html`,
      cloudTrail: page.cloudTrail,
      read,
      ...(prev?.inIndex === false ? { inIndex: false } : {}),
      complete: true,
      detailTypes: page.detailTypes,
    };
    pages++;
  }
  return { data: { sources }, pages, indexed: indexFile !== undefined };
}

// ---------------------------------------------------------------------------------------------------------------

export function counts(data) {
  const entries = Object.values(data.sources);
  return {
    sources: entries.length,
    complete: entries.filter((e) => e.complete).length,
    detailTypes: entries.reduce((n, e) => n + e.detailTypes.length, 0),
    cloudTrail: entries.filter((e) => e.cloudTrail !== null).length,
  };
}

function main(argv) {
  const opts = { data: DEFAULT_DATA, read: new Date().toISOString().slice(0, 10) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') opts.check = true;
    else if ((a === '--pages' || a === '--read' || a === '--data') && argv[i + 1]) opts[a.slice(2)] = argv[++i];
    else
      throw new EventsReferenceError(
        `unknown argument ${a} (usage: events-reference.mjs --check | --pages DIR [--read YYYY-MM-DD]) [--data FILE]`,
      );
  }
  if (!opts.check && !opts.pages) throw new EventsReferenceError('give --check or --pages DIR');
  if (!DATE.test(opts.read)) throw new EventsReferenceError(`--read ${opts.read}: not a date (YYYY-MM-DD)`);
  const shown = relative(process.cwd(), opts.data) || opts.data;
  if (opts.check) {
    const c = counts(readEventsReference(opts.data));
    console.log(
      `${shown}: ${c.sources} sources (${c.complete} with a complete list), ${c.detailTypes} detail-types, ` +
        `${c.cloudTrail} delivering via CloudTrail`,
    );
    return;
  }
  if (!existsSync(opts.pages)) throw new EventsReferenceError(`${opts.pages}: no such directory`);
  const previous = existsSync(opts.data) ? readEventsReference(opts.data) : undefined;
  const { data, pages, indexed } = refreshFromPages(previous, opts.pages, opts.read);
  writeEventsReference(opts.data, data);
  const c = counts(data);
  console.log(
    `${shown}: ${pages} pages${indexed ? ' and the index' : ''} read; ${c.sources} sources (${c.complete} complete), ` +
      `${c.detailTypes} detail-types`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof EventsReferenceError)) throw e;
    console.error(`events-reference: ${e.message}`);
    process.exit(1);
  }
}
