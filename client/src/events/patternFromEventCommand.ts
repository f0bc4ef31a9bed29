// "EventBridge: Create Pattern from Event": an event (the one under the cursor or selected in the editor, a PutEvents
// entry in code, a recently tailed event, a catalog sample), its fields (source and detail-type chosen first), an
// operator per field, and a target (the pattern under the cursor in another editor, a new rule in a template, a new
// pattern file). The language server builds the pattern, checks it matches the event and writes the edit; this only
// asks and applies. Driven without UI by an argument object (tests, automation): see PatternFromEventArgs.
import * as vscode from 'vscode';
import {
  CatalogSampleRequest,
  CatalogSourcesRequest,
  CREATE_PATTERN_FROM_EVENT_COMMAND,
  EventFieldsRequest,
  EventsAtRequest,
  PatternAtRequest,
  PatternFromEventRequest,
  type ChosenField,
  type EventFieldInfo,
  type EventObject,
  type PatternFromEventResult,
  type PatternOperatorName,
  type PatternTarget,
  type Position,
} from '../../../shared';
import type { ServerRequests } from '../patternServer';
import { describeTailedEvent, recentTailedEvents } from './tailedEvents';
import { eventKind, safeFileName } from '../sampleEventFiles';

export interface PatternFromEventArgs {
  /** The document and position of the event (the code action passes them); default: the active editor's cursor. */
  readonly uri?: string;
  readonly position?: Position;
  /** The event itself, instead of a document's. */
  readonly event?: EventObject;
  /** The fields (`detail.x` or `detail.x:prefix` or {path, operator, argument}); default: asked. */
  readonly fields?: readonly (string | ChosenField)[];
  /**
   * Where the pattern goes; default: asked. `patternFile` takes the URI of the file to write (default: asked with a
   * save dialog).
   */
  readonly target?: PatternTarget | { readonly kind: 'patternFile'; readonly uri?: string };
}

export interface PatternFromEventOutcome {
  readonly pattern: EventObject;
  /** The document written. */
  readonly uri: string;
  readonly logicalId?: string;
}

const OPERATOR_LABELS: Readonly<Record<PatternOperatorName, string>> = {
  exact: 'exact value',
  prefix: 'prefix',
  suffix: 'suffix',
  'equals-ignore-case': 'equals, ignoring case',
  'prefix-ignore-case': 'prefix, ignoring case',
  'suffix-ignore-case': 'suffix, ignoring case',
  wildcard: 'wildcard',
  numeric: 'numeric range around the value',
  cidr: 'CIDR block of the address',
  'anything-but': 'anything but …',
  exists: 'exists',
};

/** `detail.x` or `detail.x:prefix` or `detail.x:prefix=ab` (the CLI's syntax). */
function parseField(field: string | ChosenField): ChosenField {
  if (typeof field !== 'string') return field;
  const m = /^(.*?):([a-z-]+)(?:=(.*))?$/s.exec(field);
  if (!m || !(m[2] in OPERATOR_LABELS)) return { path: field };
  return { path: m[1], operator: m[2] as PatternOperatorName, ...(m[3] !== undefined ? { argument: m[3] } : {}) };
}

export function registerPatternFromEventCommand(server: ServerRequests): vscode.Disposable[] {
  async function chooseEvent(args: PatternFromEventArgs): Promise<EventObject | string | undefined> {
    if (args.event) return args.event;
    const editor = vscode.window.activeTextEditor;
    const uri = args.uri ?? editor?.document.uri.toString();
    const position = args.position ?? (editor ? toPosition(editor.selection.active) : undefined);
    type Item = vscode.QuickPickItem & { event?: EventObject; catalog?: true };
    const items: Item[] = [];
    if (uri && position) {
      const selection =
        !args.position && editor && !editor.selection.isEmpty
          ? { start: toPosition(editor.selection.start), end: toPosition(editor.selection.end) }
          : undefined;
      const found = await server.send(EventsAtRequest, {
        textDocument: { uri },
        position,
        ...(selection ? { range: selection } : {}),
      });
      if (found.ok && found.atCursor && found.events.length > 0) return found.events[0].event;
      if (!found.ok && selection) return found.reason;
      if (found.ok)
        items.push(
          { label: 'In this file', kind: vscode.QuickPickItemKind.Separator },
          ...found.events.map((e) => ({
            label: e.label,
            description: `line ${e.range.start.line + 1}`,
            event: e.event,
          })),
        );
    }
    const tailed = recentTailedEvents.list();
    if (tailed.length > 0)
      items.push(
        { label: 'Tailed lately', kind: vscode.QuickPickItemKind.Separator },
        ...tailed.map((e) => ({ ...describeTailedEvent(e), event: e.event })),
      );
    items.push(
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      {
        label: '$(book) A catalog sample…',
        catalog: true,
      },
    );
    const pick = await vscode.window.showQuickPick(items, { title: 'EventBridge: the event to make a pattern from' });
    if (!pick) return undefined;
    return pick.catalog ? chooseCatalogSample() : pick.event;
  }

  async function chooseCatalogSample(): Promise<EventObject | string | undefined> {
    const { available, sources } = await server.send(CatalogSourcesRequest, {});
    if (!available) return 'The event catalog is not available in this build.';
    const source = await vscode.window.showQuickPick(
      sources.filter((s) => s.detailTypes.length > 0).map((s) => ({ label: s.source, detailTypes: s.detailTypes })),
      { title: 'EventBridge: source', matchOnDescription: true },
    );
    if (!source) return undefined;
    const detailType = await vscode.window.showQuickPick([...source.detailTypes], {
      title: `EventBridge: detail-type of ${source.label}`,
    });
    if (!detailType) return undefined;
    const { event } = await server.send(CatalogSampleRequest, { source: source.label, detailType });
    return event ?? `The catalog has no sample event of ${source.label} / ${detailType}.`;
  }

  async function chooseFields(event: EventObject): Promise<ChosenField[] | undefined> {
    const { fields, operators } = await server.send(EventFieldsRequest, { event });
    if (fields.length === 0) return [];
    type Item = vscode.QuickPickItem & { field: EventFieldInfo };
    const items: Item[] = fields.map((f) => ({
      label: f.path,
      description: f.value.length > 60 ? `${f.value.slice(0, 57)}…` : f.value,
      ...(f.occurrences > 1 ? { detail: `${f.occurrences} occurrences (in arrays): any element matches` } : {}),
      picked: f.path === 'source' || f.path === 'detail-type',
      field: f,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: 'EventBridge: the fields the pattern matches',
      canPickMany: true,
      matchOnDescription: true,
    });
    if (!picked || picked.length === 0) return undefined;
    const chosen: ChosenField[] = [];
    for (const { field } of picked) {
      const op = await vscode.window.showQuickPick(
        field.operators.map((o) => ({ label: OPERATOR_LABELS[o], description: operators[o], operator: o })),
        { title: `EventBridge: operator for ${field.path} (${field.value})` },
      );
      if (!op) return undefined;
      let argument: string | undefined;
      if (op.operator === 'anything-but') {
        argument = await vscode.window.showInputBox({
          title: `EventBridge: values ${field.path} must not be`,
          prompt: `Comma-separated (or a JSON array); the event's ${field.value} must not be one of them`,
        });
        if (!argument) return undefined;
      }
      chosen.push({ path: field.path, operator: op.operator, ...(argument ? { argument } : {}) });
    }
    return chosen;
  }

  async function chooseTarget(eventUri: string | undefined): Promise<PatternFromEventArgs['target'] | undefined> {
    type Item = vscode.QuickPickItem & { target?: PatternFromEventArgs['target']; pickTemplate?: true };
    const items: Item[] = [];
    for (const editor of vscode.window.visibleTextEditors) {
      const uri = editor.document.uri.toString();
      if (uri === eventUri) continue;
      const at = await server
        .send(PatternAtRequest, { textDocument: { uri }, position: toPosition(editor.selection.active) })
        .catch(() => undefined);
      const name = vscode.workspace.asRelativePath(editor.document.uri);
      if (at?.ok)
        items.push({
          label: `$(merge) Merge into the pattern ${at.pattern.resourceId ? `of ${at.pattern.resourceId} ` : ''}in ${name}`,
          description: `line ${at.pattern.range.start.line + 1}`,
          target: { kind: 'merge', uri, position: toPosition(editor.selection.active) },
        });
      if (/^(json|yaml)$/.test(editor.document.languageId))
        items.push({ label: `$(add) New AWS::Events::Rule in ${name}`, target: { kind: 'rule', uri } });
    }
    items.push(
      { label: '$(file-add) New pattern file…', target: { kind: 'patternFile' } },
      { label: '$(files) New AWS::Events::Rule in a template of the workspace…', pickTemplate: true },
    );
    const pick = await vscode.window.showQuickPick(items, { title: 'EventBridge: where the pattern goes' });
    if (!pick) return undefined;
    if (!pick.pickTemplate) return pick.target;
    const files = await vscode.workspace.findFiles(
      '**/*.{yaml,yml,json,template}',
      '**/{node_modules,.git,cdk.out}/**',
      500,
    );
    const file = await vscode.window.showQuickPick(
      files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
      { title: 'EventBridge: template' },
    );
    return file ? { kind: 'rule', uri: file.uri.toString() } : undefined;
  }

  async function createPatternFromEvent(
    arg?: unknown,
  ): Promise<PatternFromEventOutcome | { error: string } | undefined> {
    const args: PatternFromEventArgs = arg !== null && typeof arg === 'object' ? arg : {};
    const interactive = args.fields === undefined || args.target === undefined;
    const fail = (error: string): { error: string } => {
      if (interactive) void vscode.window.showWarningMessage(`EventBridge: ${error}`);
      return { error };
    };
    try {
      const event = await chooseEvent(args);
      if (event === undefined) return undefined;
      if (typeof event === 'string') return fail(event);
      const fields = args.fields ? args.fields.map(parseField) : await chooseFields(event);
      if (!fields) return undefined;
      const eventUri = args.uri ?? vscode.window.activeTextEditor?.document.uri.toString();
      const target = args.target ?? (await chooseTarget(eventUri));
      if (!target) return undefined;
      // A target document must be open for the server to have it.
      if (target.kind !== 'patternFile') await vscode.workspace.openTextDocument(vscode.Uri.parse(target.uri));
      const answer = await server.send(PatternFromEventRequest, {
        event,
        fields,
        target: target.kind === 'patternFile' ? { kind: 'patternFile' } : target,
      });
      if (!answer.ok) return fail(answer.reason);
      return await write(answer, target, event);
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
  }

  async function write(
    answer: PatternFromEventResult,
    target: NonNullable<PatternFromEventArgs['target']>,
    event: EventObject,
  ): Promise<PatternFromEventOutcome | undefined> {
    if (target.kind === 'patternFile') {
      let uri = 'uri' in target && target.uri ? vscode.Uri.parse(target.uri) : undefined;
      if (!uri) {
        const kind = eventKind(event);
        const name = kind ? `${safeFileName(kind.source)}-${safeFileName(kind.detailType)}` : 'pattern';
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        uri = await vscode.window.showSaveDialog({
          title: 'EventBridge: new pattern file',
          ...(folder
            ? { defaultUri: vscode.Uri.joinPath(folder, `${name.replace(/ /g, '-')}.eventpattern.json`) }
            : {}),
          filters: { 'Event pattern': ['eventpattern.json', 'json'] },
        });
        if (!uri) return undefined;
      }
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(answer.fileText ?? ''));
      await vscode.window.showTextDocument(uri);
      return { pattern: answer.pattern, uri: uri.toString() };
    }
    if (!answer.edit) throw new Error('the language server returned no edit');
    const uri = vscode.Uri.parse(answer.edit.uri);
    const edit = new vscode.WorkspaceEdit();
    for (const e of answer.edit.edits) edit.replace(uri, toRange(e.range), e.newText);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`the edit of ${uri.toString()} was not applied`);
    const editor = await vscode.window.showTextDocument(uri, { preview: false });
    const first = answer.edit.edits[0];
    if (first) editor.revealRange(toRange(first.range), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return {
      pattern: answer.pattern,
      uri: uri.toString(),
      ...(answer.logicalId ? { logicalId: answer.logicalId } : {}),
    };
  }

  return [vscode.commands.registerCommand(CREATE_PATTERN_FROM_EVENT_COMMAND, createPatternFromEvent)];
}

function toPosition(p: vscode.Position): Position {
  return { line: p.line, character: p.character };
}

function toRange(r: { start: Position; end: Position }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}
