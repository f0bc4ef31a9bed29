// Entry point of the language server (bundled to dist/server.js). The transport comes from the command line:
// `--node-ipc` when the VS Code client forks it, `--stdio` for other editors (`npm run --silent server -- --stdio`).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { readSampleEventFiles, startServer } from './server';
import {
  addObservedEvents,
  customSourcesOf,
  setRegistrySchemas,
  catalogSample,
  catalogSources,
  generateEventsAt,
  codeEventGrammar,
  eventFieldsOf,
  eventsAt,
  loadGrammar,
  patternFromEventEdit,
  getLanguageService,
  preloadCatalog,
  matchWorkspaceRules,
  patternAt,
  patternSamplesAt,
  ruleAt,
  testPatternAt,
} from '../languageservice';
import { setSampleEvents } from '../languageservice';

/**
 * V8's full garbage collection, exposed at run time (the server is started by editors, which pass no node options):
 * the server runs it when idle after expensive work (IDLE_COLLECTION). Undefined when the runtime refuses.
 */
function garbageCollector(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? () => void (gc as () => unknown)() : undefined;
  } catch {
    return undefined;
  }
}

const connection = createConnection(ProposedFeatures.all);
const service = getLanguageService();
// While the client is still starting up: the first document's diagnostics then need not wait for the catalog.
setImmediate(preloadCatalog);

/** Loads a code document's grammar; a grammar that cannot load is said once per document and leaves it unread. */
const grammarFailures = new Set<string>();
async function prepare(document: Parameters<typeof service.prepare>[0]): Promise<void> {
  try {
    await service.prepare(document);
  } catch (error) {
    if (grammarFailures.has(document.uri)) return;
    grammarFailures.add(document.uri);
    connection.console.error(`The patterns of ${document.uri} cannot be read: ${(error as Error).message}`);
  }
}
/** Loads the grammar PutEvents entries in a code document are read with (a failure leaves them unread). */
async function prepareEvents(document: Parameters<typeof service.prepare>[0]): Promise<void> {
  const grammar = codeEventGrammar(document);
  if (grammar) await loadGrammar(grammar).catch(() => undefined);
}

startServer(connection, {
  languageService: {
    configure: (settings) =>
      service.configure({
        patternFileGlobs: settings.patternFileGlobs,
        severity: settings.severity,
        // JSON-language documents keep the default (off): VS Code's JSON language reports their syntax errors.
        syntaxErrors: { ...service.settings.syntaxErrors, yamlLanguage: settings.validation.yamlSyntax },
      }),
    // A code document (CDK, Terraform) needs its grammar first: loaded once, on the first document that needs it.
    doValidation: async (document) => {
      await prepare(document);
      return service.doValidation(document);
    },
    prepareForEdits: (document) => service.prepareForEdits(document),
    doComplete: async (document, position) => {
      await prepare(document);
      return service.doComplete(document, position);
    },
    doHover: async (document, position) => {
      await prepare(document);
      return service.doHover(document, position);
    },
    doCodeActions: async (document, range, context) => {
      await prepare(document);
      await prepareEvents(document);
      return service.doCodeActions(document, range, context);
    },
    doCodeLens: async (document) => {
      await prepare(document);
      return service.doCodeLens(document);
    },
    setSampleEvents: (files) => setSampleEvents(service, files),
    addObservedEvents: (events) => addObservedEvents(service, events),
    setRegistrySchemas: (schemas, fetchedAt) => setRegistrySchemas(service, schemas, fetchedAt),
    requests: {
      patternAt: (document, { position }) => patternAt(service, document, position),
      patternSamples: (document, { position, region, accountId }) =>
        patternSamplesAt(service, document, position, {
          ...(region !== undefined ? { region } : {}),
          ...(accountId !== undefined ? { accountId } : {}),
        }),
      testPattern: (document, { position, events }) => testPatternAt(service, document, position, events),
      ruleAt: (document, { position, region, accountId }, fileName) =>
        ruleAt(service, document, position, fileName, { region, accountId }),
      matchWorkspaceRules: (templates, { eventText, region, accountId }) =>
        matchWorkspaceRules(templates, eventText, { region, accountId }),
      catalogSources: () => catalogSources(),
      catalogSample: ({ source, detailType }) => catalogSample(source, detailType),
      generateEvents: (document, { position, count, nearMisses, region, accountId }) =>
        generateEventsAt(service, document, position, {
          ...(count !== undefined ? { count } : {}),
          ...(nearMisses !== undefined ? { nearMisses } : {}),
          ...(region !== undefined ? { region } : {}),
          ...(accountId !== undefined ? { accountId } : {}),
        }),
      eventsAt: async (document, { position, range }) => {
        await prepareEvents(document);
        return eventsAt(service, document, position, range);
      },
      eventFields: ({ event, dialect }) => eventFieldsOf(event, dialect),
      patternFromEvent: (params, documentOf) => patternFromEventEdit(service, params, documentOf),
      customSources: (documents) => ({ sources: customSourcesOf(service, documents) }),
    },
  },
  loadSampleEvents: (folders) => readSampleEventFiles(folders),
  collectGarbage: garbageCollector(),
  residentMemory: () => process.memoryUsage.rss(),
});
