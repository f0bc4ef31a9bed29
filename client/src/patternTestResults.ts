// `eventbridge.showPatternTestResults`: the command behind the "▶ N of M sample events match" code lens. The server
// tests the pattern and puts every result in the lens's arguments; this shows them, one quick pick item per event,
// the misses first with the engine's reasons. Choosing an event from a file opens that file.
import * as vscode from 'vscode';
import { SHOW_PATTERN_TEST_RESULTS_COMMAND, type PatternTestResults, type SampleEventResult } from '../../shared';

export const SHOW_PATTERN_TEST_RESULTS = SHOW_PATTERN_TEST_RESULTS_COMMAND;

/** One line of what the command shows. */
export interface PatternTestResultLine {
  readonly verdict: 'matches' | 'does not match' | 'unreadable';
  readonly label: string;
  readonly description: string;
  readonly detail?: string;
}

/** What the command showed (returned for tests and other callers). */
export interface PatternTestResultsView {
  readonly title: string;
  readonly lines: readonly PatternTestResultLine[];
}

interface ResultItem extends vscode.QuickPickItem {
  readonly uri?: string;
}

export function registerPatternTestResults(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_PATTERN_TEST_RESULTS, (argument: unknown) => showResults(argument)),
  );
}

function showResults(value: unknown): PatternTestResultsView | undefined {
  const argument = readResults(value);
  if (!argument) {
    // Hidden from the palette, but a keybinding or another extension can still call it without the lens's results.
    void vscode.window.showErrorMessage(
      'EventBridge: the pattern test results come from the "▶ … sample events match" lens above a pattern: click it there.',
    );
    return undefined;
  }
  const view = describeResults(argument);
  if (argument.results.length === 0) {
    void vscode.window.showInformationMessage(`EventBridge: ${view.title}`);
    return view;
  }
  const quickPick = vscode.window.createQuickPick<ResultItem>();
  quickPick.title = view.title;
  quickPick.placeholder = 'Choose an event from a file to open it';
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  quickPick.items = toItems(argument.results);
  quickPick.onDidAccept(() => {
    const uri = quickPick.selectedItems[0]?.uri;
    quickPick.hide();
    if (uri !== undefined) void vscode.window.showTextDocument(vscode.Uri.parse(uri));
  });
  quickPick.onDidHide(() => quickPick.dispose());
  quickPick.show();
  return view;
}

/** The title and one line per event, in the order shown: misses, then matches, then unreadable files. */
export function describeResults(results: PatternTestResults): PatternTestResultsView {
  const file = vscode.Uri.parse(results.uri).path.split('/').pop() ?? results.uri;
  const where = `${file}:${results.range.start.line + 1}`;
  const title =
    results.results.length === 0
      ? `No sample events for the pattern at ${where}: add some to events/*.json`
      : `${results.matched} of ${results.tested} sample event${results.tested === 1 ? '' : 's'} match the pattern at ${where}`;
  return { title, lines: ordered(results.results).map(toLine) };
}

function ordered(results: readonly SampleEventResult[]): SampleEventResult[] {
  const rank = (r: SampleEventResult): number => (r.error !== undefined ? 2 : r.matched ? 1 : 0);
  // Array.prototype.sort is stable, so the server's order holds within each group.
  return [...results].sort((a, b) => rank(a) - rank(b));
}

function toLine(result: SampleEventResult): PatternTestResultLine {
  // The name already says where the event comes from (`… (catalog sample)`, `events/….json`).
  if (result.error !== undefined) {
    return { verdict: 'unreadable', label: result.name, description: 'could not be read', detail: result.error };
  }
  if (result.matched) return { verdict: 'matches', label: result.name, description: 'matches' };
  return {
    verdict: 'does not match',
    label: result.name,
    description: 'does not match',
    ...(result.reasons.length > 0 ? { detail: result.reasons.join('  ·  ') } : {}),
  };
}

const ICONS: Record<PatternTestResultLine['verdict'], string> = {
  'does not match': '$(error)',
  matches: '$(pass)',
  unreadable: '$(warning)',
};
const GROUPS: Record<PatternTestResultLine['verdict'], string> = {
  'does not match': 'Do not match',
  matches: 'Match',
  unreadable: 'Could not be read',
};

function toItems(results: readonly SampleEventResult[]): ResultItem[] {
  const items: ResultItem[] = [];
  let group: PatternTestResultLine['verdict'] | undefined;
  for (const result of ordered(results)) {
    const line = toLine(result);
    if (line.verdict !== group) {
      group = line.verdict;
      items.push({ label: GROUPS[group], kind: vscode.QuickPickItemKind.Separator });
    }
    items.push({
      label: `${ICONS[line.verdict]} ${line.label}`,
      description: line.description,
      ...(line.detail !== undefined ? { detail: line.detail } : {}),
      ...(result.uri !== undefined ? { uri: result.uri } : {}),
    });
  }
  return items;
}

/** The lens's argument as the server builds it, or undefined for anything else (a call without the lens). */
function readResults(value: unknown): PatternTestResults | undefined {
  if (!isRecord(value)) return undefined;
  const { uri, range, matched, tested, results } = value;
  const start = isRecord(range) ? range['start'] : undefined;
  if (typeof uri !== 'string' || typeof matched !== 'number' || typeof tested !== 'number') return undefined;
  if (!isRecord(start) || typeof start['line'] !== 'number' || !Array.isArray(results)) return undefined;
  const read = results.map(readResult);
  if (read.some((r) => r === undefined)) return undefined;
  return {
    uri,
    range: range as PatternTestResults['range'],
    matched,
    tested,
    results: read as SampleEventResult[],
  };
}

function readResult(value: unknown): SampleEventResult | undefined {
  if (!isRecord(value)) return undefined;
  const { name, origin, uri, matched, reasons = [], error } = value;
  if (typeof name !== 'string' || typeof matched !== 'boolean') return undefined;
  if (!Array.isArray(reasons) || !reasons.every((x) => typeof x === 'string')) return undefined;
  if ((uri !== undefined && typeof uri !== 'string') || (error !== undefined && typeof error !== 'string')) {
    return undefined;
  }
  return {
    name,
    origin: origin === 'catalog' ? 'catalog' : 'workspace',
    matched,
    reasons,
    ...(uri !== undefined ? { uri } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
