// "EventBridge: Which Workspace Rules Match This Event": the event in the editor (the selection, or the whole file;
// one event or a list) against every rule in the workspace's templates, through one compiled matcher. The extension
// finds the template files; the language server reads them, compiles their rules and matches (engine only: no AWS
// call, so it works in Restricted Mode too). The matching rules are listed; choosing one opens its template.
import * as vscode from 'vscode';
import { MatchWorkspaceRulesRequest, type MatchWorkspaceRulesResult, type WorkspaceRule } from '../../../shared';
import { LOCAL_DEFAULT_ACCOUNT_ID, LOCAL_DEFAULT_REGION } from '../aws/clients';
import type { AwsContext } from '../awsContext';
import type { ServerRequests } from '../patternServer';
import { AwsCommands, isRecord } from './commandSupport';
import { findTemplateFiles } from './localBusCommands';

export interface MatchRulesArgs {
  /** The event (or a JSON array of events) to match; default: the editor's selection, or its whole text. */
  readonly eventText?: string;
}

export interface MatchedRule {
  /** Workspace-relative path of the template. */
  readonly template: string;
  readonly logicalId: string;
  readonly eventBusName: string;
  readonly state: string;
}

export interface MatchRulesResult {
  readonly rules: number;
  readonly templates: number;
  readonly problems: readonly string[];
  readonly events: readonly { readonly index: number; readonly matches: readonly MatchedRule[] }[];
}

export function registerMatchRulesCommand(aws: AwsContext, server: ServerRequests): vscode.Disposable[] {
  const output = aws.output;

  async function matchRules(arg?: unknown): Promise<MatchRulesResult | { error: string }> {
    const args: MatchRulesArgs = isRecord(arg) ? arg : {};
    const fail = (error: string): { error: string } => {
      if (arg === undefined) void vscode.window.showWarningMessage(`EventBridge: ${error}`);
      return { error };
    };
    let eventText = args.eventText;
    if (eventText === undefined) {
      const editor = vscode.window.activeTextEditor;
      if (!editor)
        return fail('open an event (a JSON file with one event or a list of events) to match it against the rules.');
      eventText = editor.document.getText(editor.selection.isEmpty ? undefined : editor.selection);
    }
    const templates = await findTemplateFiles();
    let index: MatchWorkspaceRulesResult;
    try {
      index = await server.send(MatchWorkspaceRulesRequest, {
        templates: templates.map((uri) => uri.toString()),
        eventText,
        region: LOCAL_DEFAULT_REGION,
        accountId: LOCAL_DEFAULT_ACCOUNT_ID,
      });
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
    for (const p of index.problems) output.warn(p);
    if (index.rules.length === 0) {
      return fail(
        `no EventBridge rule with an event pattern was found in the workspace's templates (${index.templates} read).`,
      );
    }
    const answer = index.answer;
    if ('error' in answer) return fail(answer.error);
    const shown = (r: WorkspaceRule): MatchedRule => ({
      template: vscode.workspace.asRelativePath(vscode.Uri.parse(r.uri)),
      logicalId: r.logicalId,
      eventBusName: r.eventBusName,
      state: r.state,
    });
    const result: MatchRulesResult = {
      rules: index.rules.length,
      templates: index.templates,
      problems: index.problems,
      events: answer.events.map((a) => ({ index: a.index, matches: a.rules.map(shown) })),
    };
    const describe = (m: MatchedRule): string =>
      `${m.logicalId} (${m.template}, bus ${m.eventBusName}${m.state.startsWith('ENABLED') ? '' : `, ${m.state}`})`;
    output.info(
      [
        `Which rules match: ${result.rules} rules in ${result.templates} templates`,
        ...result.events.map(
          (e) =>
            `  ${result.events.length > 1 ? `event ${e.index + 1}: ` : ''}${e.matches.length === 0 ? 'no rule matches' : e.matches.map(describe).join(', ')}`,
        ),
      ].join('\n'),
    );
    if (arg === undefined) void showResult(result, index.rules);
    return result;
  }

  async function showResult(result: MatchRulesResult, all: readonly WorkspaceRule[]): Promise<void> {
    const matched = new Map<string, MatchedRule>();
    for (const e of result.events) for (const m of e.matches) matched.set(`${m.template}#${m.logicalId}`, m);
    const of = `of ${result.rules} rule${result.rules === 1 ? '' : 's'} in the workspace`;
    if (matched.size === 0) {
      const choice = await vscode.window.showInformationMessage(
        `EventBridge: no rule matches ${result.events.length > 1 ? 'these events' : 'this event'} (${of}).`,
        'Show Details',
      );
      if (choice) output.show(true);
      return;
    }
    const pick = await vscode.window.showQuickPick(
      [...matched.values()].map((m) => ({
        label: m.logicalId,
        description: `${m.template} · bus ${m.eventBusName}${m.state.startsWith('ENABLED') ? '' : ` · ${m.state}`}`,
        rule: m,
      })),
      { title: `EventBridge: ${matched.size} ${of} match; choose one to open it` },
    );
    if (!pick) return;
    const uri = all.find((r) => vscode.workspace.asRelativePath(vscode.Uri.parse(r.uri)) === pick.rule.template)?.uri;
    if (!uri) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    const at = logicalIdOffset(doc.getText(), pick.rule.logicalId);
    const position = doc.positionAt(at);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(position, position) });
  }

  return [vscode.commands.registerCommand(AwsCommands.matchRules, matchRules)];
}

/** Where a resource's logical id is written (a YAML key or a JSON property name); 0 when not found. */
function logicalIdOffset(text: string, logicalId: string): number {
  const escaped = logicalId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^[ \\t]*(?:"${escaped}"|${escaped})[ \\t]*:`, 'm').exec(text);
  return m ? m.index + m[0].length - m[0].trimStart().length : 0;
}
