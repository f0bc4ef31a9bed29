// Testing the pattern under the cursor against sample events with the engine, and optionally with AWS
// TestEventPattern to compare; results (match or why not) in the log.
import * as vscode from 'vscode';
import { loadCatalog } from '../../../server/src/catalog/catalog';
import { sampleEventForPattern } from '../aws/patternSamples';
import {
  compareWithAws,
  formatPatternTestResults,
  patternAtOffset,
  testPatternLocally,
  type EventUnderTest,
  type PatternTestResult,
} from '../aws/patternTesting';
import type { AwsContext } from '../awsContext';
import { AwsCommands, catalogLookup, isRecord, withCancellableProgress } from './commandSupport';

export interface TestPatternArgs {
  /** Event JSON texts to test; default: a generated matching sample plus the catalog samples of the pattern. */
  readonly events?: string[];
  readonly compareWithAws?: boolean;
}

export function registerTestPatternCommand(aws: AwsContext): vscode.Disposable[] {
  const output = aws.output;

  async function testPattern(arg?: unknown): Promise<PatternTestResult[] | undefined> {
    const args: TestPatternArgs = isRecord(arg) ? arg : {};
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showWarningMessage(
        'EventBridge: open an event pattern (or a template) and put the cursor in a pattern to test it.',
      );
      return undefined;
    }
    const doc = editor.document;
    const found = patternAtOffset(doc.getText(), doc.uri.fsPath, doc.languageId, doc.offsetAt(editor.selection.active));
    if (!found.ok) {
      void vscode.window.showWarningMessage(`EventBridge: cannot test: ${found.reason}`);
      return undefined;
    }
    const pattern = found.pattern;
    let inputs: EventUnderTest[];
    if (args.events) {
      inputs = args.events.map((text, i) => ({ label: `event ${i + 1}`, text }));
    } else {
      const candidates: EventUnderTest[] = [
        {
          label: 'generated sample that should match',
          text: JSON.stringify(sampleEventForPattern(pattern.value, { lookup: catalogLookup }), null, 2),
        },
      ];
      const p = isRecord(pattern.value) ? pattern.value : {};
      const sources = Array.isArray(p.source) ? p.source.filter((s): s is string => typeof s === 'string') : [];
      const types = Array.isArray(p['detail-type'])
        ? p['detail-type'].filter((s): s is string => typeof s === 'string')
        : [];
      try {
        const catalog = loadCatalog();
        if (catalog.isAvailable())
          for (const source of sources)
            for (const dt of types.length ? types : catalog.detailTypes(source).slice(0, 10)) {
              const sample = catalog.sampleEvent(source, dt);
              if (sample)
                candidates.push({ label: `catalog sample ${source} / ${dt}`, text: JSON.stringify(sample, null, 2) });
            }
      } catch {
        // no catalog: the generated sample still works
      }
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
    let results = testPatternLocally(pattern.compiled, inputs);
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
