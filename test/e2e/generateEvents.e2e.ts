// Generate Sample Events for Pattern in a real VS Code: the command saves matching events and near misses under
// events/<source>/, the editor's file watcher tells the server, and the pattern's code lens counts them (the matching
// ones as matching, the near misses as not). The files it writes are removed afterwards.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { activeApi, fixturePath, runningServerPid, waitFor } from './helpers';

const SOURCE = 'com.example.gen-e2e';
const PATTERN = JSON.stringify({
  source: [SOURCE],
  'detail-type': ['Order Placed'],
  detail: { total: [{ numeric: ['>=', 100] }], currency: ['EUR'] },
});

async function lensTitle(document: vscode.TextDocument): Promise<string> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
    'vscode.executeCodeLensProvider',
    document.uri,
    100,
  );
  return lenses.find((l) => l.command?.title.includes('sample event'))?.command?.title ?? '';
}

function counts(title: string): [number, number] {
  const m = /(\d+) of (\d+)/.exec(title);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

describe('generate sample events for a pattern', () => {
  const patternFile = (): string => fixturePath('gen-e2e.eventpattern.json');
  const eventsFolder = (): string => fixturePath('events', SOURCE);

  before(async () => {
    fs.writeFileSync(patternFile(), PATTERN);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(patternFile()));
    await runningServerPid(await activeApi());
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(eventsFolder(), { recursive: true, force: true });
    fs.rmSync(patternFile(), { force: true });
  });

  it('saves the events under events/<source>/ and the code lens counts them', async () => {
    const document = await vscode.workspace.openTextDocument(patternFile());
    const before = await waitFor(async () => (await lensTitle(document)) || undefined, 'the code lens');
    const result = await vscode.commands.executeCommand<{ saved: string[]; events: { matches: boolean }[] }>(
      'eventbridge.generateSampleEvents',
      { uri: document.uri.toString(), position: { line: 0, character: 3 }, count: 2, save: 'all' },
    );
    assert.equal(result.events.filter((e) => e.matches).length, 2);
    assert.ok(result.saved.includes(`events/${SOURCE}/Order Placed-1.json`), result.saved.join(', '));
    assert.ok(result.saved.some((p) => p.includes('-near-miss-')));
    for (const p of result.saved) assert.ok(fs.existsSync(fixturePath(p)), p);
    const [matchedBefore, testedBefore] = counts(before);
    const after = await waitFor(async () => {
      const title = await lensTitle(document);
      return counts(title)[1] === testedBefore + result.saved.length ? title : undefined;
    }, 'the code lens to count the saved events');
    assert.deepEqual(counts(after), [matchedBefore + 2, testedBefore + result.saved.length]);
  });
});
