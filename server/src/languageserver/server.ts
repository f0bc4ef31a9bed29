// The LSP wiring: documents, settings and the requests a language service answers. Everything about patterns
// lives in the pure language service (server/src/languageservice/); this file only adapts it to a connection.
import {
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type CompletionList,
  type Connection,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type Position,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, SETTINGS_SECTION, toPatternSettings, type PatternSettings } from './protocol';

type MaybePromise<T> = T | Promise<T>;

/** What the server needs from a language service; the pure service's facade is expected to fit this shape. */
export interface PatternLanguageService {
  configure?(settings: PatternSettings): void;
  doValidation(document: TextDocument): MaybePromise<Diagnostic[]>;
  doComplete(document: TextDocument, position: Position): MaybePromise<CompletionList | null>;
  doHover(document: TextDocument, position: Position): MaybePromise<Hover | null>;
}

export interface ServerOptions {
  /** Without one the server only synchronises documents (and answers nothing). */
  readonly languageService?: PatternLanguageService;
  /** Quiet time after a change before a document is validated again. */
  readonly validationDelayMs?: number;
}

export const SERVER_NAME = 'EventBridge Patterns language server';

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const { languageService, validationDelayMs = 200 } = options;
  const documents = new TextDocuments(TextDocument);
  let pullsConfiguration = false;
  let registersConfigurationChange = false;

  connection.onInitialize((params): InitializeResult => {
    const workspace = params.capabilities.workspace;
    pullsConfiguration = workspace?.configuration === true;
    registersConfigurationChange = workspace?.didChangeConfiguration?.dynamicRegistration === true;
    const capabilities: ServerCapabilities = {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    };
    if (languageService) {
      capabilities.completionProvider = { triggerCharacters: ['"', ':', '{', '[', ','] };
      capabilities.hoverProvider = true;
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
  });

  connection.onDidChangeConfiguration(async (change) => {
    // Pull model: the notification only says "something changed"; a client without it pushes the settings.
    const settings = pullsConfiguration
      ? await pullSettings()
      : toPatternSettings((change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION]);
    languageService?.configure?.(settings);
    for (const document of documents.all()) scheduleValidation(document);
  });

  // Validation runs after a quiet period and is dropped if the document changed or closed meanwhile.
  const pendingValidations = new Map<string, ReturnType<typeof setTimeout>>();

  function cancelValidation(uri: string): void {
    const timer = pendingValidations.get(uri);
    if (timer !== undefined) clearTimeout(timer);
    pendingValidations.delete(uri);
  }

  function scheduleValidation(document: TextDocument): void {
    if (!languageService) return;
    cancelValidation(document.uri);
    const timer = setTimeout(() => {
      pendingValidations.delete(document.uri);
      void validate(languageService, document);
    }, validationDelayMs);
    pendingValidations.set(document.uri, timer);
  }

  async function validate(service: PatternLanguageService, document: TextDocument): Promise<void> {
    const version = document.version;
    try {
      await initialSettings;
      const diagnostics = await service.doValidation(document);
      if (documents.get(document.uri)?.version !== version) return; // stale
      await connection.sendDiagnostics({ uri: document.uri, version, diagnostics });
    } catch (error) {
      connection.console.error(`Validation of ${document.uri} failed: ${errorText(error)}`);
    }
  }

  documents.onDidChangeContent((event) => scheduleValidation(event.document));
  documents.onDidClose((event) => {
    cancelValidation(event.document.uri);
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
  }

  documents.listen(connection);
  connection.listen();
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
