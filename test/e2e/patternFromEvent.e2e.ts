// Pattern from an event in the real editor: the code action on a sample event, then the command (driven with
// arguments, no UI) writing a new AWS::Events::Rule into an open template, whose code lens then says the sample event
// matches. The template is an untitled document, so no fixture file changes and other tests' counts stay the same.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PatternTestResultsView } from '../../client/src/patternTestResults';
import type { PatternFromEventOutcome } from '../../client/src/events';
import { activeApi, fixturePath, runningServerPid, waitFor } from './helpers';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Queue:
    Type: AWS::SQS::Queue
`;

describe('create pattern from event', () => {
  let eventDocument: vscode.TextDocument;

  before(async () => {
    eventDocument = await vscode.workspace.openTextDocument(fixturePath('events', 'ec2-running.json'));
    await vscode.window.showTextDocument(eventDocument);
    await runningServerPid(await activeApi());
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('offers a code action on the event in a sample event file', async () => {
    const position = eventDocument.positionAt(eventDocument.getText().indexOf('"running"'));
    const actions = await waitFor(async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        eventDocument.uri,
        new vscode.Range(position, position),
      );
      return found.some((a) => a.command?.command === 'eventbridge.createPatternFromEvent') ? found : undefined;
    }, 'the Create pattern from this event code action');
    const action = actions.find((a) => a.command?.command === 'eventbridge.createPatternFromEvent')!;
    assert.equal(action.title, 'Create pattern from this event (aws.ec2 / EC2 Instance State-change Notification)');
  });

  it('writes a new rule into the open template, whose code lens says the event matches', async () => {
    const template = await vscode.workspace.openTextDocument({ language: 'yaml', content: TEMPLATE });
    await vscode.window.showTextDocument(template);
    const position = eventDocument.positionAt(eventDocument.getText().indexOf('"state"'));
    const outcome = await vscode.commands.executeCommand<PatternFromEventOutcome | { error: string }>(
      'eventbridge.createPatternFromEvent',
      {
        uri: eventDocument.uri.toString(),
        position: { line: position.line, character: position.character },
        fields: ['source', 'detail-type', 'detail.state', 'detail.instance-id:prefix=i-'],
        target: { kind: 'rule', uri: template.uri.toString() },
      },
    );
    assert.ok(outcome && !('error' in outcome), JSON.stringify(outcome));
    assert.equal(outcome.logicalId, 'Ec2EC2InstanceStateChangeNotificationRule');
    assert.deepEqual(outcome.pattern, {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['running'], 'instance-id': [{ prefix: 'i-' }] },
    });
    const text = template.getText();
    assert.ok(
      text.startsWith(`${TEMPLATE}  Ec2EC2InstanceStateChangeNotificationRule:
    Type: AWS::Events::Rule
    Properties:
      State: ENABLED
      EventPattern:
        source: ["aws.ec2"]
`),
      text,
    );
    const patternLine = text.split('\n').findIndex((l) => l.trim() === 'EventPattern:');

    // The lens above the new rule's pattern runs events/**/*.json: ec2-running.json matches.
    const lens = await waitFor(async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        template.uri,
        100,
      );
      return lenses.find(
        (l) => l.range.start.line === patternLine && /^▶ \d+ of \d+ sample events? match/.test(l.command?.title ?? ''),
      );
    }, 'the sample-event lens on the new rule');
    const view = await vscode.commands.executeCommand<PatternTestResultsView | undefined>(
      lens.command!.command,
      ...((lens.command!.arguments ?? []) as unknown[]),
    );
    try {
      assert.ok(view);
      const line = view.lines.find((l) => l.label === 'events/ec2-running.json');
      assert.ok(line, JSON.stringify(view.lines.map((l) => l.label)));
      assert.equal(line.verdict, 'matches');
      // The stopped instance of ec2-changes.json does not.
      assert.equal(view.lines.find((l) => l.label === 'events/ec2-changes.json[0]')?.verdict, 'does not match');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    }
  });

  it('refuses, with the reason, a field the event does not have', async () => {
    const outcome = await vscode.commands.executeCommand<PatternFromEventOutcome | { error: string }>(
      'eventbridge.createPatternFromEvent',
      {
        uri: eventDocument.uri.toString(),
        position: { line: 3, character: 5 },
        fields: ['detail.nothing'],
        target: {
          kind: 'patternFile',
          uri: vscode.Uri.file(fixturePath('never-written.eventpattern.json')).toString(),
        },
      },
    );
    assert.deepEqual(outcome, { error: 'The event has no field detail.nothing.' });
  });
});
