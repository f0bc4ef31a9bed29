// Entry point of the language server (bundled to dist/server.js). The transport comes from the command line:
// `--node-ipc` when the VS Code client forks it, `--stdio` for other editors (`npm run --silent server -- --stdio`).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { readSampleEventFiles, startServer } from './server';
import {
  catalogSample,
  catalogSources,
  getLanguageService,
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
startServer(connection, {
  languageService: {
    configure: (settings) =>
      service.configure({
        patternFileGlobs: settings.patternFileGlobs,
        severity: settings.severity,
        // JSON-language documents keep the default (off): VS Code's JSON language reports their syntax errors.
        syntaxErrors: { ...service.settings.syntaxErrors, yamlLanguage: settings.validation.yamlSyntax },
      }),
    doValidation: (document) => service.doValidation(document),
    doComplete: (document, position) => service.doComplete(document, position),
    doHover: (document, position) => service.doHover(document, position),
    doCodeActions: (document, range, context) => service.doCodeActions(document, range, context),
    doCodeLens: (document) => service.doCodeLens(document),
    setSampleEvents: (files) => setSampleEvents(service, files),
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
    },
  },
  loadSampleEvents: (folders) => readSampleEventFiles(folders),
  collectGarbage: garbageCollector(),
});
