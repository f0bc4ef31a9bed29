// `lint --format sarif`: the findings as a SARIF 2.1.0 log, the format GitHub code scanning and other CI dashboards
// read. One rule per code (its help link is the code's entry in docs/problems.md), one result per finding with its
// file and 1-based region (columns in UTF-16 code units, as the editor counts them).

import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LintFinding, LintSeverity } from './lintCommand';

const TOOL_NAME = 'eventbridge-patterns';
const TOOL_URI = 'https://github.com/eventbridge-patterns/eventbridge-patterns';
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVELS: Readonly<Record<LintSeverity, 'error' | 'warning' | 'note'>> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

/** The SARIF log of one lint run. `helpUris` gives the documentation link of each code that has one. */
export function sarifReport(findings: readonly LintFinding[], helpUris: ReadonlyMap<string, string>): object {
  const ruleIds = [...new Set(findings.map((f) => f.code).filter((c) => c !== ''))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            informationUri: TOOL_URI,
            rules: ruleIds.map((id) => {
              const helpUri = helpUris.get(id);
              return { id, ...(helpUri ? { helpUri } : {}) };
            }),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ...(f.code !== '' ? { ruleId: f.code, ruleIndex: ruleIndex.get(f.code) } : {}),
          level: LEVELS[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: fileUri(f.file) },
                region: {
                  startLine: f.line,
                  startColumn: f.column,
                  endLine: f.endLine,
                  endColumn: f.endColumn,
                },
              },
            },
          ],
        })),
      },
    ],
  };
}

/** A path relative to the working directory stays relative (a URI reference); one outside it becomes a file URL. */
function fileUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}
