// Testing the pattern under the cursor against sample events: the language server runs them through the engine, and
// optionally AWS TestEventPattern answers too, to compare; results (match or why not) in the log.
import * as vscode from 'vscode';
import { PatternSamplesRequest, TestPatternRequest } from '../../../shared';
import {
  compareWithAws,
  formatPatternTestResults,
  type EventUnderTest,
  type PatternTestResult,
} from '../aws/patternTesting';
import type { AwsContext } from '../awsContext';
import type { ServerRequests } from '../patternServer';
import { AwsCommands, ask, cursorOf, isRecord, withCancellableProgress } from './commandSupport';

export interface TestPatternArgs {
  /** Event JSON texts to test; default: a generated matching sample plus the catalog samples of the pattern. */
  readonly events?: string[];
  readonly compareWithAws?: boolean;
}

export function registerTestPatternCommand(aws: AwsContext, server: ServerRequests): vscode.Disposable[] {
  const output = aws.output;
  const cannotTest = (reason: string): undefined => {
    void vscode.window.showWarningMessage(`EventBridge: cannot test: ${reason}`);
    return undefined;
  };

  async function testPattern(arg?: unknown): Promise<readonly PatternTestResult[] | undefined> {
    const args: TestPatternArgs = isRecord(arg) ? arg : {};
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showWarningMessage(
        'EventBridge: open an event pattern (or a template) and put the cursor in a pattern to test it.',
      );
      return undefined;
    }
    const doc = editor.document;
    const cursor = cursorOf(editor);
    let inputs: EventUnderTest[];
    if (args.events) {
      inputs = args.events.map((text, i) => ({ label: `event ${i + 1}`, text }));
    } else {
      const samples = await ask(server, PatternSamplesRequest, cursor);
      if (!samples.ok) return cannotTest(samples.reason);
      const candidates: EventUnderTest[] = [
        { label: 'generated sample that should match', text: JSON.stringify(samples.generated.event, null, 2) },
        ...samples.catalog.map((c) => ({
          label: `catalog sample ${c.source} / ${c.detailType}`,
          text: JSON.stringify(c.event, null, 2),
        })),
      ];
      const fileItem = { label: '$(file) Events from JSON files…', input: undefined as EventUnderTest | undefined };
      // Driven by arguments without events: all the candidates, no questions.
      const picks =
        arg !== undefined
          ? candidates.map((c) => ({ label: c.label, input: c }))
          : await vscode.window.showQuickPick(
              [...candidates.map((c) => ({ label: c.label, input: c, picked: true })), fileItem],
              { title: 'EventBridge: events to test the pattern against', canPickMany: true },
            );
      if (!picks || picks.length === 0) return undefined;
      inputs = picks.flatMap((p) => (p.input ? [p.input] : []));
      if (picks.includes(fileItem)) {
        const uris = await vscode.window.showOpenDialog({ canSelectMany: true, filters: { JSON: ['json'] } });
        for (const uri of uris ?? [])
          inputs.push({
            label: vscode.workspace.asRelativePath(uri),
            text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)),
          });
      }
    }
    const tested = await ask(server, TestPatternRequest, { ...cursor, events: inputs });
    if (!tested.ok) return cannotTest(tested.reason);
    const pattern = tested.pattern;
    let results: readonly PatternTestResult[] = tested.results;
    let compare = args.compareWithAws;
    // Untrusted: the engine's answers only (no question, no AWS call); asked explicitly, say why not.
    if (compare === true && aws.refuseUntrusted('compare with AWS TestEventPattern')) compare = false;
    if (compare === undefined && arg === undefined && aws.trusted) {
      const answer = await vscode.window.showQuickPick(['Local engine only', 'Also ask AWS TestEventPattern'], {
        title: 'EventBridge: compare with AWS?',
      });
      compare = answer === 'Also ask AWS TestEventPattern';
    }
    if (compare) {
      if (pattern.dialect !== 'eventbus' && pattern.dialect !== 'archive')
        output.warn(
          `TestEventPattern checks EventBridge bus patterns; this is a ${pattern.dialect} filter, so AWS's answer may differ.`,
        );
      const clients = await aws.clients('compare with AWS TestEventPattern');
      if (clients) {
        try {
          results = await withCancellableProgress('EventBridge: TestEventPattern', (signal) =>
            compareWithAws(
              clients.events,
              pattern.text,
              inputs,
              results,
              (e) => aws.reportError(e, clients.connection, 'TestEventPattern'),
              signal,
            ),
          );
        } finally {
          clients.destroy();
        }
      }
    }
    const matched = results.filter((r) => r.matched).length;
    output.info(
      `Test pattern${pattern.resourceId ? ` ${pattern.resourceId}` : ''} in ${vscode.workspace.asRelativePath(doc.uri)}:\n${formatPatternTestResults(results)}`,
    );
    const disagreements = results.filter((r) => r.aws && 'matched' in r.aws && r.aws.matched !== r.matched).length;
    void vscode.window
      .showInformationMessage(
        `EventBridge: ${matched} of ${results.length} ${results.length === 1 ? 'event matches' : 'events match'} the pattern${disagreements ? `; AWS disagrees on ${disagreements}` : ''}.`,
        'Show Details',
      )
      .then((choice) => (choice ? output.show(true) : undefined));
    return results;
  }

  return [vscode.commands.registerCommand(AwsCommands.testPattern, testPattern)];
}
