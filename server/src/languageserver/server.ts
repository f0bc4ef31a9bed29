// The LSP wiring: documents, settings and the requests a language service answers. Everything about patterns
// lives in the pure language service (server/src/languageservice/); this file only adapts it to a connection.
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type CodeActionContext,
  type CodeLens,
  type CompletionList,
  type Connection,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type Position,
  type Range,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { SampleEventFile, SampleEventLoad } from './sampleEventFiles';
import {
  CatalogSampleRequest,
  CatalogSourcesRequest,
  EventFieldsRequest,
  EventsAtRequest,
  PatternFromEventRequest,
  CustomSourcesRequest,
  DEFAULT_SETTINGS,
  GenerateEventsRequest,
  MatchWorkspaceRulesRequest,
  ObservedEventsNotification,
  PatternAtRequest,
  PatternSamplesRequest,
  RegistrySchemasNotification,
  RuleAtRequest,
  SETTINGS_SECTION,
  TestPatternRequest,
  toPatternSettings,
  type DocumentPositionParams,
  type MatchWorkspaceRulesParams,
  type ParamsOf,
  type PatternSettings,
  type RequestType,
  type ResultOf,
} from '../../../shared';
import { DOCUMENT_UPDATES } from './documentUpdates';

type MaybePromise<T> = T | Promise<T>;

/** What the server needs from a language service; the pure service's facade is expected to fit this shape. */
export interface PatternLanguageService {
  configure?(settings: PatternSettings): void;
  doValidation(document: TextDocument): MaybePromise<Diagnostic[]>;
  /** Run once an opened document's diagnostics are sent: work the first edit would otherwise wait for. */
  prepareForEdits?(document: TextDocument): void;
  doComplete(document: TextDocument, position: Position): MaybePromise<CompletionList | null>;
  doHover(document: TextDocument, position: Position): MaybePromise<Hover | null>;
  doCodeActions?(document: TextDocument, range: Range, context: CodeActionContext): MaybePromise<CodeAction[]>;
  doCodeLens?(document: TextDocument): MaybePromise<CodeLens[]>;
  /** The user's sample events (for the code lenses and the learned schemas), replacing those given before. */
  setSampleEvents?(files: readonly SampleEventFile[]): void;
  /** Events the local bus has seen (ObservedEventsNotification), to learn custom sources' schemas from. */
  addObservedEvents?(events: unknown): number;
  /** The schema registries' schemas, as the client converted them (RegistrySchemasNotification). */
  setRegistrySchemas?(schemas: unknown, fetchedAt: unknown): number;
  /** Answers to the client's custom requests (shared/requests.ts); without them those requests are not handled. */
  readonly requests?: CustomRequestHandlers;
}

type Handler<T extends RequestType<unknown, unknown>, A extends unknown[]> = (...args: A) => MaybePromise<ResultOf<T>>;

/**
 * What the client asks about documents and events. The document is the server's synchronised copy; `fileName` is
 * its path as the local bus is given it (a generated rule name starts with the file's base name).
 */
export interface CustomRequestHandlers {
  patternAt: Handler<typeof PatternAtRequest, [TextDocument, ParamsOf<typeof PatternAtRequest>]>;
  patternSamples: Handler<typeof PatternSamplesRequest, [TextDocument, ParamsOf<typeof PatternSamplesRequest>]>;
  testPattern: Handler<typeof TestPatternRequest, [TextDocument, ParamsOf<typeof TestPatternRequest>]>;
  ruleAt: Handler<typeof RuleAtRequest, [TextDocument, ParamsOf<typeof RuleAtRequest>, string]>;
  matchWorkspaceRules: Handler<
    typeof MatchWorkspaceRulesRequest,
    [readonly TemplateFileText[], MatchWorkspaceRulesParams]
  >;
  catalogSources: Handler<typeof CatalogSourcesRequest, []>;
  catalogSample: Handler<typeof CatalogSampleRequest, [ParamsOf<typeof CatalogSampleRequest>]>;
  generateEvents: Handler<typeof GenerateEventsRequest, [TextDocument, ParamsOf<typeof GenerateEventsRequest>]>;
  eventsAt: Handler<typeof EventsAtRequest, [TextDocument, ParamsOf<typeof EventsAtRequest>]>;
  eventFields: Handler<typeof EventFieldsRequest, [ParamsOf<typeof EventFieldsRequest>]>;
  /** `documentOf`: the synchronised documents (the target's). */
  patternFromEvent: Handler<
    typeof PatternFromEventRequest,
    [ParamsOf<typeof PatternFromEventRequest>, (uri: string) => TextDocument | undefined]
  >;
  /** The custom sources of the documents the server has (and of the learned samples). */
  customSources?: Handler<typeof CustomSourcesRequest, [readonly TextDocument[]]>;
}

/** A template file read for the client: its URI as the client sent it, its path, and its text. */
export interface TemplateFileText {
  readonly uri: string;
  readonly path: string;
  readonly text: string;
}

/** How many template files one request may name, and how large each may be, when the server reads them. */
export const TEMPLATE_READ_LIMITS = { maxFiles: 1000, maxFileBytes: 32 * 1024 * 1024 } as const;

export {
  DEFAULT_SAMPLE_EVENT_LIMITS,
  readSampleEventFiles,
  type SampleEventFile,
  type SampleEventLimits,
  type SampleEventLoad,
} from './sampleEventFiles';

export interface ServerOptions {
  /** Without one the server only synchronises documents (and answers nothing). */
  readonly languageService?: PatternLanguageService;
  /**
   * Quiet time after a change before a document is validated again, fixed (tests use it). Without it the wait adapts
   * to the document: see adaptiveValidationDelay.
   */
  readonly validationDelayMs?: number;
  /** Reads the sample events of the workspace folders (URIs); never throws, reports problems instead. */
  readonly loadSampleEvents?: (folderUris: readonly string[]) => Promise<SampleEventLoad>;
  /** A full garbage collection, when the runtime offers one: run when the server is idle (see IDLE_COLLECTION). */
  readonly collectGarbage?: () => void;
  /** The server's resident memory in bytes (process.memoryUsage.rss), for MEMORY_BUDGET. */
  readonly residentMemory?: () => number;
}

/**
 * When the server collects garbage of its own accord: after it has been quiet for `quietMs`, once an expensive
 * validation (`expensiveMs` or longer: a full parse of a large template) or `validations` validations ran since the
 * last collection. A full parse of a 3 MB YAML template goes through about 250 MB of heap; V8 keeps the heap it grew
 * to for long after, and the next collections only come when that much is used again. Collected while the user pauses,
 * the server returns to what it holds (about 80 MB for 5,000 resources).
 */
export const IDLE_COLLECTION = { quietMs: 1_500, expensiveMs: 150, validations: 200 } as const;

/**
 * When the server collects garbage without waiting for a pause: its resident memory past `rssMiB` after a validation,
 * at most once every `intervalMs`. Typing in a large template makes a new text of the whole document at every
 * keystroke (3 MB for 5,000 resources), which only a full collection frees; with no pause for IDLE_COLLECTION, V8 let
 * the server grow to 450 MB over 1,000 edits. A collection then costs 50-100 ms, once every few dozen keystrokes.
 */
export const MEMORY_BUDGET = { rssMiB: 256, intervalMs: 2_000 } as const;

export const SERVER_NAME = 'EventBridge Patterns language server';

/** The bounds of the adaptive validation delay, in milliseconds. */
export const VALIDATION_DELAY_BOUNDS = { min: 20, max: 250 } as const;

/**
 * Validations shorter than this wait only the minimum: with it, they end within 70 ms of a keystroke, before the next
 * one of fast typing (10 characters a second), so they cannot pile up behind the typing.
 */
export const CHEAP_VALIDATION_MS = 50;

/**
 * How long to wait after a change of a document before validating it, when `validationDelayMs` does not fix it: as
 * long as validations of that document after an edit take (typicalValidationMs), within VALIDATION_DELAY_BOUNDS (the
 * minimum before there is one).
 *
 * The wait is there so that typing does not queue one validation per keystroke, and what it saves is the cost of a
 * validation. After an edit the incremental analysis handles, validating takes a few milliseconds (20-40 on a
 * 5,000-resource template): a fixed 200 ms wait would be nearly all of the time the user waits for diagnostics, and
 * such a validation waits only the minimum (CHEAP_VALIDATION_MS). A validation that re-parses a large YAML
 * template takes a second or more: run after every short pause, it would keep the (single-threaded) server busy
 * while the user types, and completion and hover would wait behind it. Waiting about as long as the work took last
 * time means a validation only starts after a pause at least as long as itself, so cheap ones publish almost at
 * once and expensive ones wait for the user to stop. The minimum still merges changes sent in a burst (an
 * auto-closed bracket, a multi-cursor edit); the maximum keeps a slow document's diagnostics from lagging far behind
 * a pause. Validations on open or after a settings change do not count: they analyse the whole document, which the
 * next edit rarely needs again.
 */
/**
 * The validation time the delay follows: the median of the document's last three validations after an edit. One
 * expensive validation (a large paste, a Replace All over every resource) does not delay the cheap edits after it
 * (its undo, say); a run of expensive ones does, from the second on.
 */
export function typicalValidationMs(recent: readonly number[]): number | undefined {
  const last = recent.slice(-3).sort((a, b) => a - b);
  if (last.length === 0) return undefined;
  return last.length === 2 ? Math.min(last[0], last[1]) : last[(last.length - 1) >> 1];
}

export function adaptiveValidationDelay(lastValidationMs: number | undefined): number {
  const { min, max } = VALIDATION_DELAY_BOUNDS;
  if (lastValidationMs === undefined || Number.isNaN(lastValidationMs)) return min;
  if (lastValidationMs < CHEAP_VALIDATION_MS) return min;
  return Math.min(max, Math.max(min, Math.round(lastValidationMs)));
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const { languageService, validationDelayMs, loadSampleEvents } = options;
  const documents = new TextDocuments(DOCUMENT_UPDATES);
  let pullsConfiguration = false;
  let registersConfigurationChange = false;
  let registersWatchedFiles = false;
  let refreshesCodeLenses = false;
  let workspaceFolders: string[] = [];

  connection.onInitialize((params): InitializeResult => {
    const workspace = params.capabilities.workspace;
    pullsConfiguration = workspace?.configuration === true;
    registersConfigurationChange = workspace?.didChangeConfiguration?.dynamicRegistration === true;
    registersWatchedFiles = workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    refreshesCodeLenses = workspace?.codeLens?.refreshSupport === true;
    workspaceFolders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    const capabilities: ServerCapabilities = {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    };
    if (languageService) {
      capabilities.completionProvider = { triggerCharacters: ['"', ':', '{', '[', ','] };
      capabilities.hoverProvider = true;
      if (languageService.doCodeActions) {
        capabilities.codeActionProvider = { codeActionKinds: ['quickfix', 'refactor.rewrite'] };
      }
      if (languageService.doCodeLens) capabilities.codeLensProvider = { resolveProvider: false };
    }
    return { capabilities, serverInfo: { name: SERVER_NAME } };
  });

  async function pullSettings(): Promise<PatternSettings> {
    if (!pullsConfiguration) return DEFAULT_SETTINGS;
    return toPatternSettings(await connection.workspace.getConfiguration(SETTINGS_SECTION));
  }

  // Requests wait for the first settings, so nothing is answered with the defaults by accident.
  let initialSettings: Promise<void> = Promise.resolve();
  connection.onInitialized(() => {
    initialSettings = (async () => {
      if (registersConfigurationChange) {
        await connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
      }
      languageService?.configure?.(await pullSettings());
    })().catch((error: unknown) => connection.console.error(`Reading the settings failed: ${errorText(error)}`));
    if (registersWatchedFiles && sampleEventsWanted()) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: SAMPLE_EVENTS_GLOB }] })
        .catch((error: unknown) => connection.console.error(`Watching sample events failed: ${errorText(error)}`));
    }
    void reloadSampleEvents();
  });

  function sampleEventsWanted(): boolean {
    return loadSampleEvents !== undefined && languageService?.setSampleEvents !== undefined;
  }

  // Sample events feed the code lenses: read at start, when settings change and when a file under events/ changes.
  async function reloadSampleEvents(): Promise<void> {
    if (!loadSampleEvents || !languageService?.setSampleEvents) return;
    try {
      const loaded = await loadSampleEvents(workspaceFolders);
      for (const problem of loaded.problems.slice(0, 20)) connection.console.warn(`Sample events: ${problem}`);
      languageService.setSampleEvents(loaded.files);
      // The hints learned from the samples (EB520) change with them.
      revalidateAll();
      if (refreshesCodeLenses) await connection.sendRequest(CodeLensRefreshRequest.type);
    } catch (error) {
      connection.console.error(`Reading the sample events failed: ${errorText(error)}`);
    }
  }

  function revalidateAll(): void {
    for (const document of documents.all()) scheduleValidation(document);
  }

  // Events the local bus has seen, forwarded by the client: learned like sample files. A burst of events is one
  // revalidation, once the server is idle.
  let observedRevalidation: ReturnType<typeof setImmediate> | undefined;
  connection.onNotification(ObservedEventsNotification.method, (params: unknown) => {
    const events = (params as { events?: unknown } | null)?.events;
    const kept = languageService?.addObservedEvents?.(events) ?? 0;
    if (kept === 0 || observedRevalidation !== undefined) return;
    observedRevalidation = setImmediate(() => {
      observedRevalidation = undefined;
      revalidateAll();
    });
  });
  connection.onNotification(RegistrySchemasNotification.method, (params: unknown) => {
    const p = params as { schemas?: unknown; fetchedAt?: unknown } | null;
    const kept = languageService?.setRegistrySchemas?.(p?.schemas, p?.fetchedAt);
    if (kept !== undefined) connection.console.info(`Schema registries: ${kept} schemas of custom sources`);
  });

  connection.onDidChangeWatchedFiles((change) => {
    if (change.changes.some((c) => isSampleEventUri(c.uri))) void reloadSampleEvents();
  });

  connection.onDidChangeConfiguration(async (change) => {
    // Pull model: the notification only says "something changed"; a client without it pushes the settings.
    const settings = pullsConfiguration
      ? await pullSettings()
      : toPatternSettings((change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION]);
    languageService?.configure?.(settings);
    for (const document of documents.all()) scheduleValidation(document);
    void reloadSampleEvents();
  });

  // Validation runs after a quiet period and is dropped if the document changed or closed meanwhile. The quiet
  // period is validationDelayMs, or follows how long the document's recent validations after an edit took.
  const pendingValidations = new Map<string, ReturnType<typeof setTimeout>>();
  let idleCollection: ReturnType<typeof setTimeout> | undefined;
  let pressureCollection: ReturnType<typeof setImmediate> | undefined;
  let lastCollection = -Infinity;

  function collect(): void {
    expensiveSinceCollection = false;
    validationsSinceCollection = 0;
    lastCollection = performance.now();
    options.collectGarbage?.();
  }
  let expensiveSinceCollection = false;
  let validationsSinceCollection = 0;

  /** Collects garbage once the server has been quiet for a while, when enough happened since the last time. */
  function scheduleIdleCollection(validationMs: number): void {
    const { collectGarbage } = options;
    if (!collectGarbage) return;
    validationsSinceCollection++;
    if (validationMs >= IDLE_COLLECTION.expensiveMs) expensiveSinceCollection = true;
    if (idleCollection !== undefined) clearTimeout(idleCollection);
    idleCollection = undefined;
    const now = performance.now();
    const rss = options.residentMemory?.();
    if (
      rss !== undefined &&
      rss > MEMORY_BUDGET.rssMiB * 1024 * 1024 &&
      now - lastCollection >= MEMORY_BUDGET.intervalMs &&
      !pressureCollection
    ) {
      // After the diagnostics of this validation are sent.
      pressureCollection = setImmediate(() => {
        pressureCollection = undefined;
        collect();
      });
      return;
    }
    if (!expensiveSinceCollection && validationsSinceCollection < IDLE_COLLECTION.validations) return;
    idleCollection = setTimeout(() => {
      idleCollection = undefined;
      if (pendingValidations.size > 0) return; // a validation comes: it reschedules
      collect();
    }, IDLE_COLLECTION.quietMs);
    idleCollection.unref?.();
  }
  const editValidationMs = new Map<string, number[]>();

  function cancelValidation(uri: string): void {
    const timer = pendingValidations.get(uri);
    if (timer !== undefined) clearTimeout(timer);
    pendingValidations.delete(uri);
  }

  function scheduleValidation(document: TextDocument, afterEdit = false): void {
    if (!languageService) return;
    cancelValidation(document.uri);
    // The wait gathers keystrokes into one validation; a document just opened (or settings changed) has none to wait
    // for.
    const delay =
      validationDelayMs ??
      (afterEdit ? adaptiveValidationDelay(typicalValidationMs(editValidationMs.get(document.uri) ?? [])) : 0);
    const timer = setTimeout(() => {
      pendingValidations.delete(document.uri);
      void validate(languageService, document, afterEdit);
    }, delay);
    pendingValidations.set(document.uri, timer);
  }

  async function validate(service: PatternLanguageService, document: TextDocument, afterEdit: boolean): Promise<void> {
    const version = document.version;
    try {
      await initialSettings;
      const started = performance.now();
      const diagnostics = await service.doValidation(document);
      const took = performance.now() - started;
      if (afterEdit && documents.get(document.uri)) {
        const recent = editValidationMs.get(document.uri) ?? [];
        editValidationMs.set(document.uri, [...recent.slice(-2), took]);
      }
      scheduleIdleCollection(took);
      if (documents.get(document.uri)?.version !== version) return; // stale
      await connection.sendDiagnostics({ uri: document.uri, version, diagnostics });
      if (!afterEdit) setImmediate(() => prepareForEdits(service, document));
    } catch (error) {
      connection.console.error(`Validation of ${document.uri} failed: ${errorText(error)}`);
    }
  }

  /**
   * After an opened document's diagnostics: the line offsets of its text (the first change's positions need them:
   * 20 ms for 3 MB) and the language service's own preparation, computed while the user has not typed yet.
   */
  function prepareForEdits(service: PatternLanguageService, document: TextDocument): void {
    if (documents.get(document.uri) !== document) return;
    try {
      document.offsetAt({ line: 0, character: 0 });
      service.prepareForEdits?.(document);
    } catch (error) {
      connection.console.error(`Preparing ${document.uri} for edits failed: ${errorText(error)}`);
    }
  }

  // onDidChangeContent fires on open too, right after onDidOpen.
  const opening = new Set<string>();
  documents.onDidOpen((event) => opening.add(event.document.uri));
  documents.onDidChangeContent((event) => scheduleValidation(event.document, !opening.delete(event.document.uri)));
  documents.onDidClose((event) => {
    cancelValidation(event.document.uri);
    editValidationMs.delete(event.document.uri);
    if (languageService) void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  if (languageService) {
    connection.onCompletion(async ({ textDocument, position }) => {
      await initialSettings;
      const document = documents.get(textDocument.uri);
      return document ? await languageService.doComplete(document, position) : null;
    });
    connection.onHover(async ({ textDocument, position }) => {
      await initialSettings;
      const document = documents.get(textDocument.uri);
      return document ? await languageService.doHover(document, position) : null;
    });
    if (languageService.doCodeActions) {
      connection.onCodeAction(async ({ textDocument, range, context }) => {
        await initialSettings;
        const document = documents.get(textDocument.uri);
        return document ? ((await languageService.doCodeActions?.(document, range, context)) ?? null) : null;
      });
    }
    if (languageService.doCodeLens) {
      connection.onCodeLens(async ({ textDocument }) => {
        await initialSettings;
        const document = documents.get(textDocument.uri);
        return document ? ((await languageService.doCodeLens?.(document)) ?? null) : null;
      });
    }
  }

  if (languageService?.requests) answerCustomRequests(languageService.requests);

  /** Registers the handlers of the client's custom requests (shared/requests.ts). */
  function answerCustomRequests(handlers: CustomRequestHandlers): void {
    const onRequest = <T extends RequestType<unknown, unknown>>(
      type: T,
      answer: (params: ParamsOf<T>) => MaybePromise<ResultOf<T>>,
    ): void => {
      connection.onRequest(type.method, async (params: unknown) => {
        await initialSettings;
        try {
          return await answer((params ?? {}) as ParamsOf<T>);
        } catch (error) {
          if (error instanceof ResponseError) throw error;
          connection.console.error(`${type.method} failed: ${errorText(error)}`);
          throw new ResponseError(ErrorCodes.InternalError, `${type.method} failed: ${errorMessage(error)}`);
        }
      });
    };
    /** The synchronised document a request is about; a document the client did not give the server gets a reason. */
    const onDocumentRequest = <T extends RequestType<DocumentPositionParams, unknown>>(
      type: T,
      answer: (document: TextDocument, params: ParamsOf<T>) => MaybePromise<ResultOf<T>>,
    ): void =>
      onRequest(type, (params) => {
        checkDocumentPosition(params);
        const document = documents.get(params.textDocument.uri);
        if (!document) return { ok: false, reason: NOT_SYNCHRONISED } as ResultOf<T>;
        return answer(document, params);
      });

    onDocumentRequest(PatternAtRequest, handlers.patternAt);
    onDocumentRequest(PatternSamplesRequest, handlers.patternSamples);
    onDocumentRequest(GenerateEventsRequest, handlers.generateEvents);
    onDocumentRequest(TestPatternRequest, (document, params) => {
      if (!Array.isArray(params.events)) throw invalidParams('events must be an array of {label, text}');
      return handlers.testPattern(document, params);
    });
    onDocumentRequest(RuleAtRequest, (document, params) => {
      checkTemplateContext(params);
      return handlers.ruleAt(document, params, pathOfUri(document.uri));
    });
    onRequest(MatchWorkspaceRulesRequest, async (params) => {
      checkTemplateContext(params);
      if (!Array.isArray(params.templates) || !params.templates.every((t) => typeof t === 'string'))
        throw invalidParams('templates must be an array of URIs');
      if (typeof params.eventText !== 'string') throw invalidParams('eventText must be a string');
      const { files, problems } = await readTemplateFiles(params.templates, (uri) => documents.get(uri)?.getText());
      const result = await handlers.matchWorkspaceRules(files, params);
      return problems.length === 0 ? result : { ...result, problems: [...problems, ...result.problems] };
    });
    onRequest(CatalogSourcesRequest, () => handlers.catalogSources());
    onRequest(CatalogSampleRequest, (params) => handlers.catalogSample(params));
    onDocumentRequest(EventsAtRequest, handlers.eventsAt);
    onRequest(EventFieldsRequest, (params) => {
      if (params.event === null || typeof params.event !== 'object') throw invalidParams('event must be an object');
      return handlers.eventFields(params);
    });
    onRequest(PatternFromEventRequest, (params) => {
      if (params.event === null || typeof params.event !== 'object') throw invalidParams('event must be an object');
      if (!Array.isArray(params.fields)) throw invalidParams('fields must be an array of {path, operator?, argument?}');
      return handlers.patternFromEvent(params, (uri) => documents.get(uri));
    });
    const { customSources } = handlers;
    if (customSources) onRequest(CustomSourcesRequest, () => customSources(documents.all()));
  }

  documents.listen(connection);
  connection.listen();
}

const NOT_SYNCHRONISED =
  'The language server does not have this document: it reads JSON and YAML files (and untitled ones) only.';

function invalidParams(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

function checkDocumentPosition(params: unknown): asserts params is DocumentPositionParams {
  const p = params as Partial<DocumentPositionParams>;
  if (typeof p.textDocument?.uri !== 'string') throw invalidParams('textDocument.uri must be a string');
  if (typeof p.position?.line !== 'number' || typeof p.position.character !== 'number')
    throw invalidParams('position must be {line, character}');
}

function checkTemplateContext(params: { region?: unknown; accountId?: unknown }): void {
  if (typeof params.region !== 'string' || typeof params.accountId !== 'string')
    throw invalidParams('region and accountId must be strings');
}

/** A URI as a path: the file's path for `file:` URIs, else the URI's own path (`untitled:Untitled-1` → `Untitled-1`). */
export function pathOfUri(uri: string): string {
  try {
    if (uri.startsWith('file:')) return fileURLToPath(uri);
    return decodeURIComponent(new URL(uri).pathname) || uri;
  } catch {
    return uri;
  }
}

/**
 * The texts of the template files named by URIs: a document the client has given the server (`openText`) as it is,
 * unsaved edits included, else the file on disk. The client finds the files (VS Code knows the workspace's excludes)
 * and the server reads them: the extension host does not hold every template in memory to forward it, and an open
 * template is not sent again. What cannot be read is a problem line; the others are read.
 */
export async function readTemplateFiles(
  uris: readonly string[],
  openText: (uri: string) => string | undefined,
  limits: { readonly maxFiles: number; readonly maxFileBytes: number } = TEMPLATE_READ_LIMITS,
): Promise<{ files: TemplateFileText[]; problems: string[] }> {
  const files: TemplateFileText[] = [];
  const problems: string[] = [];
  for (const uri of uris.slice(0, limits.maxFiles)) {
    const path = pathOfUri(uri);
    const open = openText(uri);
    if (open !== undefined) {
      files.push({ uri, path, text: open });
      continue;
    }
    if (!uri.startsWith('file:')) {
      problems.push(`${uri}: cannot be read by the language server (open it in the editor)`);
      continue;
    }
    try {
      const size = (await stat(path)).size;
      if (size > limits.maxFileBytes) {
        problems.push(`${path} is ${size} bytes, over the ${limits.maxFileBytes}-byte limit for templates: skipped`);
        continue;
      }
      files.push({ uri, path, text: await readFile(path, 'utf8') });
    } catch (error) {
      problems.push(`cannot read ${path}: ${errorMessage(error)}`);
    }
  }
  if (uris.length > limits.maxFiles)
    problems.push(`${uris.length - limits.maxFiles} more template files skipped (at most ${limits.maxFiles} are read)`);
  return { files, problems };
}

// ---------------------------------------------------------------------------------------------------------------
// Sample event files: `events/**/*.json` in each workspace folder

export const SAMPLE_EVENTS_GLOB = '**/events/**/*.json';

function isSampleEventUri(uri: string): boolean {
  return /\/events\/(?:.*\/)?[^/]*\.json$/i.test(uri);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
