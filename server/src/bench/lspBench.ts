// `npm run bench:lsp -- [--resources N] [--shapes compact,rich] [--languages yaml,json] [--edits N]
// [--completions N] [--random-edits N] [--scenarios REGEX] [--write DIR | --write-only DIR] [--json]`: the language
// server as an editor drives it, over stdio. Generates CloudFormation templates of N resources (5,000 by default) in
// two shapes, YAML then JSON each:
// - compact: most resources EventBridge rules with a short pattern, a fifth of them queues (and one queue policy
//   letting EventBridge send to all of them, so that the template is clean: see rule checks' EB607);
// - rich: every resource a rule with a pattern and two targets, short-form tags (`!Sub`, `!Ref`, `!GetAtt`) in YAML,
//   JSON pretty-printed as formatters leave it.
// For each it opens the template and measures, as p50/p95 over the edits of each scenario, the time from a
// `didChange` to the `publishDiagnostics` of that version, the server's validation delay included (it adapts to how
// long validating took: see adaptiveValidationDelay): an edit inside a pattern, spread over the file; an edit in the
// last entry, in Outputs; a syntax error made and fixed (and a completion sent right after each change); a resource
// typed at the end; resources deleted and pasted back; N distant edits in one batch (a multi-cursor edit); Replace
// All over 1 resource in 50 and over every resource; a large paste and its undo; then completion inside a pattern;
// then 1,000 random edits (mostly inside words, a few that break the document and are then fixed), with the server's
// resident memory after them (Linux). Then the pattern edits in process, through the language service facade, to
// split the time between analysis (parse, sites, pattern checks) and validation (lint rules, diagnostics). Prints
// figures, and a summary table in Markdown; never fails on time.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { getLanguageService } from '../languageservice';
import { applyContentChanges } from '../languageserver/documentUpdates';
import { adaptiveValidationDelay, CHEAP_VALIDATION_MS, VALIDATION_DELAY_BOUNDS } from '../languageserver/server';
import { measureAnchorOpen, type AnchorOpen } from './anchorServers';
import { cdkWorkload, runCodeBench, terraformWorkload } from './cdkLspBench';
import { memoryOf, percentile, startLspSession } from './lspSession';

const TARGET_DIAGNOSTICS_MS = 100;
const TARGET_COMPLETION_MS = 20;
const TARGET_RSS_MB = 300;

type Shape = 'compact' | 'rich';

/** A change of the text: `remove` characters at `offset` replaced by `insert`. */
interface Edit {
  readonly offset: number;
  readonly remove: number;
  readonly insert: string;
}

/**
 * One `didChange`: the edits it sends, computed from the text it applies to (offsets in that text, not
 * overlapping). Several edits make one notification with several content changes, as a multi-cursor edit does.
 */
type Step = (text: string) => Edit[];

/** A kind of edit and its steps, each timed to its diagnostics. Steps that undo each other leave the text as it was. */
interface Scenario {
  readonly name: string;
  readonly steps: readonly Step[];
  /** Also time a completion request sent right after each change. */
  readonly completionAfter?: boolean;
}

interface Template {
  readonly languageId: 'yaml' | 'json';
  readonly shape: Shape;
  readonly text: string;
  readonly resources: number;
  /** How a rule's `source` list is written, and broken (an EB201 error) for the pattern edits. */
  readonly sourceList: string;
  readonly brokenSourceList: string;
  /** Where completion is asked: inside a pattern's `detail` object, half-way down. */
  readonly completionAt: number;
  readonly scenarios: readonly Scenario[];
}

// ---------------------------------------------------------------------------------------------------------------
// Templates.

/** The offsets of every occurrence of `s`. */
function occurrences(text: string, s: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + s.length)) out.push(i);
  return out;
}

/** `count` of the items, spread evenly (none at the very start or end). */
function spread<T>(items: readonly T[], count: number): T[] {
  const out: T[] = [];
  for (let k = 0; k < count; k++) out.push(items[Math.floor(((k + 1) * items.length) / (count + 1))]);
  return out;
}

/** Replaces `from` by `to` at the `n`-th occurrence of `marker` (of `count`), `within` characters into it. */
function replaceAt(marker: string, n: (count: number) => number, from: string, to: string, within = 0): Step {
  return (text) => {
    const all = occurrences(text, marker);
    const at = all[n(all.length)] + within;
    if (text.slice(at, at + from.length) !== from) throw new Error(`not found: ${from}`);
    return [{ offset: at, remove: from.length, insert: to }];
  };
}

/** A change at a place the first step finds, and the step that undoes it there. */
function changeAndUndo(find: (text: string) => number, remove: number, insert: string): [Step, Step] {
  let at = -1;
  let removed = '';
  return [
    (text) => {
      at = find(text);
      removed = text.slice(at, at + remove);
      return [{ offset: at, remove, insert }];
    },
    () => [{ offset: at, remove: insert.length, insert: removed }],
  ];
}

/** Inserts `insert` after `count` occurrences of `marker` spread over the text, then removes them again: two batches. */
function batchInsertAndRemove(marker: string, count: number, insert: string): Step[] {
  let offsets: number[] = [];
  return [
    (text) => {
      offsets = spread(occurrences(text, marker), count).map((at) => at + marker.length);
      return offsets.map((offset) => ({ offset, remove: 0, insert }));
    },
    // Each insertion moved the ones after it.
    () => offsets.map((offset, i) => ({ offset: offset + i * insert.length, remove: insert.length, insert: '' })),
  ];
}

/** Where a template's edits go. */
interface Places {
  readonly json: boolean;
  /** A rule's `source` list: where the syntax error is made (`within` it, `from` becomes `to`). */
  readonly brokenList: { readonly marker: string; readonly within: number; readonly from: string; readonly to: string };
  /** The last character of the last entry (an edit goes before it); a place in Outputs (an edit goes there). */
  readonly lastEntry: (text: string) => number;
  readonly lastEntryEdit: string;
  readonly outputs: (text: string) => number;
  /** A resource typed at the end of `Resources`, a step a line (or a few characters). */
  readonly append: Step[];
  /** The start of each entry's lines, and the end of the last one. */
  readonly entryStarts: (text: string) => number[];
  /** The text of `count` resources to paste (new names). */
  readonly pasted: (count: number) => string;
  /** Where each `prefix` of a pattern's values starts (an edit goes after it). */
  readonly prefixMarker: string;
  /** Replace All: a text in every rule and its replacement, and one in 1 rule in 50. */
  readonly inEveryRule: readonly [string, string];
  readonly inOneIn50: readonly [string, string];
}

/** The scenarios every template has. */
function scenarios(places: Places): Scenario[] {
  const { brokenList } = places;
  // Three entries a third of the way down, deleted one by one (the next one moves up each time), then pasted back.
  let deleteAt = -1;
  const deleted: string[] = [];
  const deleteOne: Step = (text) => {
    const starts = places.entryStarts(text);
    if (deleteAt < 0) deleteAt = starts[Math.floor(starts.length / 3)];
    const end = starts[starts.indexOf(deleteAt) + 1];
    deleted.push(text.slice(deleteAt, end));
    return [{ offset: deleteAt, remove: end - deleteAt, insert: '' }];
  };
  const pasteOne: Step = () => [{ offset: deleteAt, remove: 0, insert: deleted.pop()! }];
  // A large paste (500 resources) half-way down, then its undo.
  const paste = changeAndUndo(
    (text) => {
      const starts = places.entryStarts(text);
      return starts[Math.floor(starts.length / 2)];
    },
    0,
    places.pasted(500),
  );
  const syntaxError = (k: number): Step[] =>
    changeAndUndo(
      (text) => {
        const all = occurrences(text, brokenList.marker);
        return all[Math.floor((k * all.length) / 4)] + brokenList.within;
      },
      brokenList.from.length,
      brokenList.to,
    );
  const replaceAllAndBack = ([from, to]: readonly [string, string]): Step[] => [
    (text) => occurrences(text, from).map((at) => ({ offset: at, remove: from.length, insert: to })),
    (text) => occurrences(text, to).map((at) => ({ offset: at, remove: to.length, insert: from })),
  ];
  return [
    {
      name: 'edit in the last entry',
      steps: [0, 1, 2].flatMap(() => changeAndUndo(places.lastEntry, 0, places.lastEntryEdit)),
    },
    { name: 'edit in Outputs', steps: [0, 1, 2].flatMap(() => changeAndUndo(places.outputs, 0, ', edited')) },
    { name: 'syntax error made and fixed', completionAfter: true, steps: [1, 2, 3].flatMap(syntaxError) },
    { name: 'typing a new resource at the end', steps: places.append },
    { name: 'deleting a resource', steps: [deleteOne, deleteOne, deleteOne] },
    { name: 'pasting a resource back', steps: [pasteOne, pasteOne, pasteOne] },
    {
      name: '2 distant edits in one batch',
      steps: [0, 1, 2].flatMap(() => batchInsertAndRemove(places.prefixMarker, 2, '9')),
    },
    {
      name: '10 distant edits in one batch',
      steps: [0, 1, 2].flatMap(() => batchInsertAndRemove(places.prefixMarker, 10, '9')),
    },
    // After cheap edits: the server's wait follows the validations before (see typicalValidationMs).
    { name: 'paste of 500 resources', steps: [paste[0]] },
    { name: 'undo of that paste', steps: [paste[1]] },
    { name: 'Replace All, 1 resource in 50', steps: [0, 1].flatMap(() => replaceAllAndBack(places.inOneIn50)) },
    { name: 'Replace All, every resource', steps: [0, 1].flatMap(() => replaceAllAndBack(places.inEveryRule)) },
  ];
}

function yamlRule(shape: Shape, i: number, queues: number): string[] {
  const queue = `Queue${i % queues}`;
  if (shape === 'compact') {
    if (i % 4 === 3)
      return [
        `  StringRule${i}:`,
        '    Type: AWS::Events::Rule',
        '    Properties:',
        `      EventPattern: '{"source": ["app.${i}"], "detail": {"key": [{"wildcard": "orders/*/${i}"}]}}'`,
        '      Targets:',
        `        - Id: t${i}`,
        `          Arn: !GetAtt ${queue}.Arn`,
      ];
    return [
      `  Rule${i}:`,
      '    Type: AWS::Events::Rule',
      '    Properties:',
      i % 50 === 7 ? '      EventBusName: legacy' : '      EventBusName: default',
      '      EventPattern:',
      '        source: [aws.ec2]',
      '        detail-type: [EC2 Instance State-change Notification]',
      '        detail:',
      `          state: [running, {prefix: "st${i}"}]`,
      `          count: [{numeric: [">", ${i}]}]`,
      '      Targets:',
      `        - Id: t${i}`,
      `          Arn: !GetAtt ${queue}.Arn`,
    ];
  }
  const lines = [
    `  Rule${i}:`,
    '    Type: AWS::Events::Rule',
    '    Properties:',
    `      Name: !Sub '\${AWS::StackName}-orders-${i}'`,
    `      Description: Routes the events of shard ${i} to its queue`,
    i % 50 === 7 ? '      EventBusName: !Ref LegacyBus' : '      EventBusName: !Ref OrdersBus',
    '      State: ENABLED',
  ];
  if (i % 4 === 3)
    lines.push(
      `      EventPattern: '{"source": ["app.${i}"], "detail-type": ["Order Placed"], "detail": {"key": [{"wildcard": "orders/*/${i}"}]}}'`,
    );
  else
    lines.push(
      '      EventPattern:',
      '        source: [aws.ec2]',
      '        detail-type: [EC2 Instance State-change Notification]',
      '        detail:',
      `          state: [running, {prefix: "st${i}"}]`,
      `          count: [{numeric: [">", ${i}, "<=", 100000]}]`,
    );
  lines.push(
    '      Targets:',
    `        - Id: queue-${i}`,
    `          Arn: !GetAtt ${queue}.Arn`,
    `        - Id: logs-${i}`,
    `          Arn: !Sub 'arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:orders-${i}'`,
  );
  return lines;
}

function yamlTemplate(shape: Shape, count: number): Template {
  const lines = ["AWSTemplateFormatVersion: '2010-09-09'", `Description: lspBench, generated (${shape})`, 'Resources:'];
  const queues = shape === 'compact' ? Math.max(1, Math.floor(count / 5)) : 50;
  const rules = shape === 'compact' ? count - queues - 1 : count;
  for (let i = 0; i < rules; i++) lines.push(...yamlRule(shape, i, queues));
  if (shape === 'compact') {
    // The policy before the queues: the last entry stays a queue (see lastEntry).
    lines.push(
      '  QueuesPolicy:',
      '    Type: AWS::SQS::QueuePolicy',
      '    Properties:',
      '      Queues:',
      ...Array.from({ length: queues }, (_, q) => `        - !Ref Queue${q}`),
      '      PolicyDocument:',
      '        Statement:',
      '          - {Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: sqs:SendMessage, Resource: "*"}',
    );
    for (let q = 0; q < queues; q++) lines.push(`  Queue${q}:`, '    Type: AWS::SQS::Queue');
  }
  lines.push('Outputs:', '  FirstRule:', '    Description: the first rule', '    Value: !GetAtt Rule0.Arn', '');
  const text = lines.join('\n');
  const outputsLine = (t: string): number => t.indexOf('\nOutputs:') + 1;
  const entryStarts = (t: string): number[] => [
    ...occurrences(t.slice(0, outputsLine(t)), '\n  ')
      .map((o) => o + 1)
      .filter((o) => /[A-Z]/.test(t[o + 2])),
    outputsLine(t),
  ];
  const newResource = [
    '  NewRule:',
    '    Type: AWS::Events::Rule',
    '    Properties:',
    '      EventPattern:',
    '        source: [aws.s3]',
  ];
  const pasted = (n: number): string => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(...yamlRule(shape, i, queues).map((l, j) => (j === 0 ? `  Pasted${i}:` : l)));
    return out.join('\n') + '\n';
  };
  const middle = Math.floor(rules / 2) - (Math.floor(rules / 2) % 4 === 3 ? 1 : 0);
  return {
    languageId: 'yaml',
    shape,
    text,
    resources: count,
    sourceList: 'source: [aws.ec2]',
    brokenSourceList: 'source: aws.ec2',
    completionAt: text.indexOf(`state: [running, {prefix: "st${middle}"}]`),
    scenarios: scenarios({
      json: false,
      // A `]` left out: the recovery of a parse of the whole document runs into the entries after it.
      brokenList: { marker: 'source: [aws.ec2]', within: 0, from: 'source: [aws.ec2]', to: 'source: [aws.ec2' },
      lastEntry: (t) => outputsLine(t) - 2,
      lastEntryEdit: 'x',
      outputs: (t) => t.indexOf('the first rule\n') + 'the first rule'.length,
      append: newResource.map((line): Step => (t) => [{ offset: outputsLine(t), remove: 0, insert: line + '\n' }]),
      entryStarts,
      pasted,
      prefixMarker: 'prefix: "st',
      inEveryRule: ['    Type: AWS::Events::Rule', '    Type: AWS::Events::Rule '],
      inOneIn50:
        shape === 'compact' ? ['EventBusName: legacy', 'EventBusName: legacy2'] : ['!Ref LegacyBus', '!Ref LegacyBus2'],
    }),
  };
}

/** JSON as a formatter with a line width leaves it: `depth` levels one key per line, deeper values on one line. */
function formatJson(value: unknown, indent: number, depth: number): string {
  if (depth <= 0 || value === null || typeof value !== 'object')
    return JSON.stringify(value)
      .replace(/,(?=["{[\d-])/g, ', ')
      .replace(/":(?=\S)/g, '": ');
  const pad = ' '.repeat(indent + 2);
  const close = ' '.repeat(indent);
  if (Array.isArray(value))
    return `[\n${value.map((v) => pad + formatJson(v, indent + 2, depth - 1)).join(',\n')}\n${close}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${formatJson(v, indent + 2, depth - 1)}`).join(',\n')}\n${close}}`;
}

function jsonRule(shape: Shape, i: number, queues: number): string {
  const queue = `Queue${i % queues}`;
  if (shape === 'compact') {
    if (i % 4 === 3)
      return [
        `    "StringRule${i}": {`,
        '      "Type": "AWS::Events::Rule",',
        '      "Properties": {',
        `        "EventPattern": "{\\"source\\": [\\"app.${i}\\"], \\"detail\\": {\\"key\\": [{\\"wildcard\\": \\"orders/*/${i}\\"}]}}",`,
        `        "Targets": [{"Id": "t${i}", "Arn": {"Fn::GetAtt": ["${queue}", "Arn"]}}]`,
        '      }',
        '    }',
      ].join('\n');
    return [
      `    "Rule${i}": {`,
      '      "Type": "AWS::Events::Rule",',
      '      "Properties": {',
      i % 50 === 7 ? '        "EventBusName": "legacy",' : '        "EventBusName": "default",',
      '        "EventPattern": {',
      '          "source": ["aws.ec2"],',
      '          "detail-type": ["EC2 Instance State-change Notification"],',
      `          "detail": {"state": ["running", {"prefix": "st${i}"}], "count": [{"numeric": [">", ${i}]}]}`,
      '        },',
      `        "Targets": [{"Id": "t${i}", "Arn": {"Fn::GetAtt": ["${queue}", "Arn"]}}]`,
      '      }',
      '    }',
    ].join('\n');
  }
  const pattern =
    i % 4 === 3
      ? `{"source": ["app.${i}"], "detail-type": ["Order Placed"], "detail": {"key": [{"wildcard": "orders/*/${i}"}]}}`
      : {
          source: ['aws.ec2'],
          'detail-type': ['EC2 Instance State-change Notification'],
          detail: { state: ['running', { prefix: `st${i}` }], count: [{ numeric: ['>', i, '<=', 100000] }] },
        };
  const properties = {
    Name: { 'Fn::Sub': `\${AWS::StackName}-orders-${i}` },
    Description: `Routes the events of shard ${i} to its queue`,
    EventBusName: { Ref: i % 50 === 7 ? 'LegacyBus' : 'OrdersBus' },
    State: 'ENABLED',
    EventPattern: pattern,
    Targets: [
      { Id: `queue-${i}`, Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
      {
        Id: `logs-${i}`,
        Arn: { 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:orders-${i}` },
      },
    ],
  };
  return `    "Rule${i}": ${formatJson({ Type: 'AWS::Events::Rule', Properties: properties }, 4, 4)}`;
}

function jsonTemplate(shape: Shape, count: number): Template {
  const queues = shape === 'compact' ? Math.max(1, Math.floor(count / 5)) : 50;
  const rules = shape === 'compact' ? count - queues - 1 : count;
  const entries: string[] = [];
  for (let i = 0; i < rules; i++) entries.push(jsonRule(shape, i, queues));
  if (shape === 'compact') {
    const refs = Array.from({ length: queues }, (_, q) => `{"Ref": "Queue${q}"}`).join(', ');
    entries.push(
      `    "QueuesPolicy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {"Queues": [${refs}], "PolicyDocument": ` +
        `{"Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": "*"}]}}}`,
    );
    // After the policy: the last entry stays a queue (see lastEntry).
    for (let q = 0; q < queues; q++) entries.push(`    "Queue${q}": {"Type": "AWS::SQS::Queue"}`);
  }
  const text =
    `{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Description": "lspBench, generated (${shape})",\n  "Resources": {\n` +
    `${entries.join(',\n')}\n  },\n  "Outputs": {\n    "FirstRule": {\n      "Description": "the first rule",\n` +
    `      "Value": {"Fn::GetAtt": ["Rule0", "Arn"]}\n    }\n  }\n}\n`;
  const resourcesEnd = (t: string): number => t.indexOf('\n  },\n  "Outputs"');
  const entryStarts = (t: string): number[] => [
    ...occurrences(t.slice(0, resourcesEnd(t)), '\n    "').map((o) => o + 1),
    resourcesEnd(t) + 1,
  ];
  const pasted = (n: number): string => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(jsonRule(shape, i, queues).replace(/^ {4}"\w+"/, `    "Pasted${i}"`) + ',\n');
    return out.join('');
  };
  const key = '    "NewRule": {';
  const middle = Math.floor(rules / 2) - (Math.floor(rules / 2) % 4 === 3 ? 1 : 0);
  const sourceList = shape === 'compact' ? '"source": ["aws.ec2"]' : '"source": [\n            "aws.ec2"\n          ]';
  return {
    languageId: 'json',
    shape,
    text,
    resources: count,
    sourceList,
    brokenSourceList: shape === 'compact' ? '"source": "aws.ec2"' : '"source": \n            "aws.ec2"\n          ',
    completionAt: text.indexOf('"state"', text.indexOf(`"Rule${middle}"`)),
    scenarios: scenarios({
      json: true,
      // A `]` left out: the recovery of a parse of the whole document runs into the entries after it.
      brokenList: { marker: sourceList, within: sourceList.length - 1, from: ']', to: '' },
      lastEntry: (t) => resourcesEnd(t) - 1,
      lastEntryEdit: ', "Condition": "IsProd"',
      outputs: (t) => t.indexOf('"the first rule') + '"the first rule'.length,
      // Typed after the last entry as an editor that closes brackets does.
      append: [
        (t) => [{ offset: resourcesEnd(t), remove: 0, insert: `,\n${key}}` }],
        (t) => [{ offset: t.indexOf(key) + key.length, remove: 0, insert: '"Type": "AWS::Events::Rule"' }],
        (t) => [
          {
            offset: t.indexOf(key) + key.length + '"Type": "AWS::Events::Rule"'.length,
            remove: 0,
            insert: ', "Properties": {"EventPattern": {"source": ["aws.s3"]}}',
          },
        ],
      ],
      entryStarts,
      pasted,
      prefixMarker: '"prefix": "st',
      inEveryRule: ['"Type": "AWS::Events::Rule"', '"Type": "AWS::Events::Rule" '],
      inOneIn50: shape === 'compact' ? ['"legacy"', '"legacy2"'] : ['"LegacyBus"', '"LegacyBus2"'],
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring.

interface Timing {
  readonly p50: number;
  readonly p95: number;
  readonly samples: number;
}

interface Figures {
  readonly language: string;
  readonly shape: Shape;
  readonly resources: number;
  readonly lines: number;
  readonly bytes: number;
  readonly openToDiagnosticsMs: number;
  /** The server's CPU time over the same span (all its threads: garbage collection and compilation included). */
  readonly openCpuMs: number | undefined;
  /** Per scenario, the times from a change to its diagnostics. */
  readonly scenarios: readonly ({ readonly name: string } & Timing)[];
  readonly completionMs: Timing & { readonly items: number };
  readonly completionAfterEditMs: Timing;
  /** Completion sent right after each change of the syntax error scenario. */
  readonly completionAfterSyntaxErrorMs: Timing;
  readonly randomEditsMs: Timing;
  /**
   * The server's resident memory (MiB): after open, after the scenarios, right after the random edits, 3 s later,
   * and its peak.
   */
  readonly rssMB:
    | {
        readonly open: number;
        readonly scenarios: number;
        readonly randomEdits: number;
        readonly settled: number;
        readonly peak: number;
      }
    | undefined;
}

function timing(xs: readonly number[]): Timing {
  if (xs.length === 0) return { p50: NaN, p95: NaN, samples: 0 };
  return { p50: percentile(xs, 0.5), p95: percentile(xs, 0.95), samples: xs.length };
}

/**
 * The CPU time a process has used (user + system, all threads, in ms; Linux), undefined elsewhere: beside wall times,
 * a figure that other work on a shared machine barely moves.
 */
function cpuTimeOf(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  // Fields after the command name (which may hold spaces, so read from the last ')'): utime and stime are the 12th
  // and 13th, in clock ticks (100 a second on Linux).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A small deterministic generator (mulberry32), so that every run makes the same random edits. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random edits as a user makes them: mostly a letter typed or deleted inside a word somewhere, and now and then a
 * bracket or quote typed (usually a syntax error), taken out again by the next edit.
 */
function randomEdits(count: number, seed: number): Step[] {
  const r = random(seed);
  const steps: Step[] = [];
  let pending: Edit | undefined;
  for (let k = 0; k < count; k++) {
    steps.push((text) => {
      if (pending) {
        const undo = { offset: pending.offset, remove: pending.insert.length, insert: '' };
        pending = undefined;
        return [undo];
      }
      const word = /[A-Za-z0-9]/g;
      word.lastIndex = Math.floor(r() * text.length);
      const at = word.exec(text)?.index ?? 0;
      if (r() < 0.05) {
        pending = { offset: at, remove: 0, insert: ['[', '{', '"', ']'][Math.floor(r() * 4)] };
        return [pending];
      }
      return r() < 0.5 ? [{ offset: at, remove: 0, insert: 'x' }] : [{ offset: at, remove: 1, insert: '' }];
    });
  }
  return steps;
}

async function measure(
  template: Template,
  options: {
    readonly edits: number;
    readonly completions: number;
    readonly randomEdits: number;
    /** The scenarios to run (by name). */
    readonly scenarios: RegExp;
  },
  serverPath: string,
): Promise<Figures> {
  // LSP_BENCH_SERVER_NODE_ARGS: extra node options for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env['LSP_BENCH_SERVER_NODE_ARGS'] ?? '').split(/\s+/).filter((a) => a !== '');
  const uri = `file:///bench/template.${template.languageId}`;
  const { child, connection, diagnosticsOf } = startLspSession(serverPath, uri, nodeArgs);

  let document = TextDocument.create(uri, template.languageId, 1, template.text);
  /**
   * Sends one step as one `didChange` (its edits from the last in the text to the first); `published` resolves on its
   * diagnostics.
   */
  /**
   * Sends one step as one `didChange` (its edits from the last in the text to the first, as editors send them);
   * `published` resolves on its diagnostics, `sent` is when it was sent (the benchmark's own bookkeeping of the text
   * comes before).
   */
  const send = async (step: Step): Promise<{ published: Promise<Diagnostic[]>; sent: number }> => {
    const edits = step(document.getText()).sort((a, b) => b.offset - a.offset);
    const contentChanges = edits.map((e) => ({
      range: { start: document.positionAt(e.offset), end: document.positionAt(e.offset + e.remove) },
      text: e.insert,
    }));
    document = applyContentChanges(document, contentChanges, document.version + 1);
    const published = diagnosticsOf(document.version);
    const sent = performance.now();
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: document.version },
      contentChanges,
    });
    return { published, sent };
  };
  const complete = async (offset: number): Promise<number> => {
    const result = await connection.sendRequest<{ items?: unknown[] } | unknown[] | null>('textDocument/completion', {
      textDocument: { uri },
      position: document.positionAt(offset),
    });
    return Array.isArray(result) ? result.length : (result?.items?.length ?? 0);
  };

  try {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } },
    });
    await connection.sendNotification('initialized', {});

    const opened = diagnosticsOf(1);
    const cpuBeforeOpen = cpuTimeOf(child.pid);
    let t0 = performance.now();
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: template.languageId, version: 1, text: template.text },
    });
    const initial = await opened;
    const openToDiagnosticsMs = performance.now() - t0;
    const cpuAfterOpen = cpuTimeOf(child.pid);
    const openCpuMs =
      cpuBeforeOpen === undefined || cpuAfterOpen === undefined ? undefined : cpuAfterOpen - cpuBeforeOpen;
    const afterOpen = memoryOf(child.pid);
    const errorsOf = (d: Diagnostic[]): number => d.filter((x) => x.severity === 1).length;
    const baseline = errorsOf(initial);

    // Break a rule's `source` (an EB201 error appears), then fix it (it goes): the expected count checks each answer.
    const { sourceList, brokenSourceList } = template;
    const patternEdits: Step[] = [];
    for (let k = 0; k < options.edits; k++) {
      const site = (n: number): number => Math.floor((((k >> 1) + 1) * n) / (Math.ceil(options.edits / 2) + 1));
      patternEdits.push(
        k % 2 === 0
          ? replaceAt(sourceList, site, sourceList, brokenSourceList)
          : (text) => {
              // The broken list is the only one written so.
              const at = text.indexOf(brokenSourceList);
              return [{ offset: at, remove: brokenSourceList.length, insert: sourceList }];
            },
      );
    }
    const patternTimes: number[] = [];
    let expectedErrors = 0;
    for (const [k, step] of patternEdits.entries()) {
      expectedErrors += k % 2 === 0 ? 1 : -1;
      const { published, sent } = await send(step);
      const diagnostics = await published;
      patternTimes.push(performance.now() - sent);
      const errors = errorsOf(diagnostics) - baseline;
      if (errors !== expectedErrors)
        throw new Error(`version ${document.version}: ${errors} new errors, expected ${expectedErrors}`);
    }

    // Completion right after an edit (break, then fix, a rule near the end): the analysis of the new version is
    // computed for the request.
    const afterEdit: number[] = [];
    for (let k = 0; k < Math.min(options.edits, 6); k++) {
      const { published } = await send(
        k % 2 === 0
          ? replaceAt(sourceList, (n) => n - 1 - (k >> 1), sourceList, brokenSourceList)
          : (text) => [{ offset: text.indexOf(brokenSourceList), remove: brokenSourceList.length, insert: sourceList }],
      );
      t0 = performance.now();
      await complete(template.completionAt);
      afterEdit.push(performance.now() - t0);
      await published;
    }

    const scenarioTimes: ({ name: string } & Timing)[] = [];
    const afterSyntaxError: number[] = [];
    for (const scenario of template.scenarios.filter((sc) => options.scenarios.test(sc.name))) {
      const times: number[] = [];
      for (const step of scenario.steps) {
        const { published, sent } = await send(step);
        if (scenario.completionAfter) {
          const t1 = performance.now();
          await complete(template.completionAt);
          afterSyntaxError.push(performance.now() - t1);
        }
        await published;
        times.push(performance.now() - sent);
      }
      scenarioTimes.push({ name: scenario.name, ...timing(times) });
    }
    const afterScenarios = memoryOf(child.pid);

    const completionTimes: number[] = [];
    let items = 0;
    for (let k = 0; k < options.completions; k++) {
      t0 = performance.now();
      items = await complete(template.completionAt);
      completionTimes.push(performance.now() - t0);
    }

    const randomTimes: number[] = [];
    for (const step of randomEdits(options.randomEdits, 20_240_611)) {
      const { published, sent } = await send(step);
      await published;
      randomTimes.push(performance.now() - sent);
    }
    const afterRandom = memoryOf(child.pid);
    // And once the server has been quiet for a while (it may collect garbage then).
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const settled = memoryOf(child.pid);

    await connection.sendRequest('shutdown');
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    await connection.sendNotification('exit');
    // Let it end on its own (a --cpu-prof profile is written on the way out), within a bound.
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    return {
      language: template.languageId,
      shape: template.shape,
      resources: template.resources,
      lines: template.text.split('\n').length - 1,
      bytes: Buffer.byteLength(template.text),
      openToDiagnosticsMs,
      openCpuMs,
      scenarios: [{ name: 'edit inside a pattern', ...timing(patternTimes) }, ...scenarioTimes],
      completionMs: { ...timing(completionTimes), items },
      completionAfterEditMs: timing(afterEdit),
      completionAfterSyntaxErrorMs: timing(afterSyntaxError),
      randomEditsMs: timing(randomTimes),
      rssMB:
        afterOpen && afterScenarios && afterRandom && settled
          ? {
              open: afterOpen.rss,
              scenarios: afterScenarios.rss,
              randomEdits: afterRandom.rss,
              settled: settled.rss,
              peak: settled.peak,
            }
          : undefined,
    };
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill();
  }
}

interface Breakdown {
  readonly fullAnalysisMs: number;
  readonly analysisMs: number;
  readonly validationMs: number;
}

/** The pattern edits of `measure`, in process: what the server spends on analysis and on validation for each. */
function breakdown(template: Template, edits: number): Breakdown {
  const service = getLanguageService();
  const uri = `file:///bench/inprocess.${template.languageId}`;
  let document = TextDocument.create(uri, template.languageId, 1, template.text);
  let t0 = performance.now();
  service.analyze(document);
  const fullAnalysisMs = performance.now() - t0;
  service.doValidation(document);
  const analysis: number[] = [];
  const validation: number[] = [];
  const sites = occurrences(template.text, template.sourceList);
  for (let k = 0; k < edits; k++) {
    const at = sites[Math.floor((((k >> 1) + 1) * sites.length) / (Math.ceil(edits / 2) + 1))];
    const [from, to] =
      k % 2 === 0 ? [template.sourceList, template.brokenSourceList] : [template.brokenSourceList, template.sourceList];
    const range = { start: document.positionAt(at), end: document.positionAt(at + from.length) };
    document = TextDocument.update(document, [{ range, text: to }], document.version + 1);
    t0 = performance.now();
    service.analyze(document);
    const t1 = performance.now();
    service.doValidation(document);
    analysis.push(t1 - t0);
    validation.push(performance.now() - t1);
  }
  return { fullAnalysisMs, analysisMs: percentile(analysis, 0.5), validationMs: percentile(validation, 0.5) };
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} takes a whole number`);
  return value;
}

const ms = (t: Timing): string => `${t.p50.toFixed(1)} / ${t.p95.toFixed(1)} ms`;
const met = (value: number, target: number): string => (value < target ? 'met' : 'MISSED');

async function main(): Promise<number> {
  const resources = option('resources', 5000);
  if (resources < 10) throw new Error('--resources takes 10 or more');
  const edits = Math.max(2, option('edits', 9));
  const completions = Math.max(1, option('completions', 20));
  const randomEditCount = option('random-edits', 1000);
  // --scenarios REGEX: only the scenarios whose name matches (to profile one, say).
  const scenariosIndex = process.argv.indexOf('--scenarios');
  const scenarioFilter = new RegExp(scenariosIndex >= 0 ? process.argv[scenariosIndex + 1] : '');
  const shapesIndex = process.argv.indexOf('--shapes');
  const shapes = (shapesIndex >= 0 ? process.argv[shapesIndex + 1] : 'compact,rich').split(',') as Shape[];
  if (shapes.some((s) => s !== 'compact' && s !== 'rich')) throw new Error('--shapes takes compact, rich or both');
  const languagesIndex = process.argv.indexOf('--languages');
  const languages = (languagesIndex >= 0 ? process.argv[languagesIndex + 1] : 'yaml,json').split(',');
  if (languages.some((l) => l !== 'yaml' && l !== 'json')) throw new Error('--languages takes yaml, json or both');
  const json = process.argv.includes('--json');
  // --anchors DIR: also open each template in the other servers installed under DIR (see anchorServers.ts).
  const anchorsIndex = process.argv.indexOf('--anchors');
  const anchorsDir = anchorsIndex >= 0 ? process.argv[anchorsIndex + 1] : undefined;
  const anchors: (AnchorOpen | undefined)[] = [];
  // --write DIR: keep the generated templates, to open them in an editor (--write-only DIR: and measure nothing).
  const writeOnly = process.argv.includes('--write-only');
  const writeIndex = Math.max(process.argv.indexOf('--write'), process.argv.indexOf('--write-only'));
  const writeDir = writeIndex >= 0 ? process.argv[writeIndex + 1] : undefined;
  const serverPath = join(__dirname, 'server.js');
  if (!existsSync(serverPath)) {
    process.stderr.write(`${serverPath} is missing: build it first (node scripts/build.mjs --bundles-only)\n`);
    return 2;
  }
  // --cdk, --terraform: a code document alone (cdkLspBench.ts), with about 500 edits in all before RSS is read.
  const code = process.argv.includes('--cdk')
    ? cdkWorkload()
    : process.argv.includes('--terraform')
      ? terraformWorkload()
      : undefined;
  if (code) return runCodeBench(serverPath, code, edits * 5, Math.max(0, 500 - 3 * edits * 5), json);
  const say = (s: string): void => {
    (json ? process.stderr : process.stdout).write(s + '\n');
  };
  say(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  );
  const { min, max } = VALIDATION_DELAY_BOUNDS;
  say(
    `server: ${serverPath} over stdio; it validates a document after a quiet period as long as its recent ` +
      `validations after an edit took (the median of three), within ${min}..${max} ms (${min} ms when under ` +
      `${CHEAP_VALIDATION_MS} ms). Times are p50 / p95.`,
  );
  const results: Figures[] = [];
  const breakdowns: (Breakdown & { language: string; shape: Shape })[] = [];
  for (const shape of shapes) {
    for (const make of languages.map((l) => (l === 'yaml' ? yamlTemplate : jsonTemplate))) {
      const template = make(shape, resources);
      if (writeDir) {
        mkdirSync(writeDir, { recursive: true });
        writeFileSync(join(writeDir, `template-${shape}.${template.languageId}`), template.text);
        if (writeOnly) continue;
      }
      const f = await measure(
        template,
        { edits, completions, randomEdits: randomEditCount, scenarios: scenarioFilter },
        serverPath,
      );
      results.push(f);
      const anchor = anchorsDir ? await measureAnchorOpen(anchorsDir, template.languageId, template.text) : undefined;
      anchors.push(anchor);
      say('');
      say(
        `${f.language.toUpperCase()} (${f.shape}): ${f.resources} resources, ${f.lines} lines, ` +
          `${(f.bytes / 1e6).toFixed(2)} MB (${(f.bytes / 2 ** 20).toFixed(2)} MiB)`,
      );
      say(
        `  open -> first diagnostics                 ${f.openToDiagnosticsMs.toFixed(0)} ms` +
          (f.openCpuMs === undefined ? '' : ` (server CPU time ${f.openCpuMs.toFixed(0)} ms)`),
      );
      if (anchor)
        say(
          `  open in ${anchor.server} ${anchor.version}: ${anchor.openMs.toFixed(0)} ms (median of 3, ` +
            `${anchor.diagnostics} diagnostics)`,
        );
      else if (anchorsDir) say(`  no anchor server for ${template.languageId} under ${anchorsDir}`);
      for (const s of f.scenarios)
        say(
          `  ${`${s.name} -> diagnostics`.padEnd(42)}${ms(s)} (${s.samples}; target < ${TARGET_DIAGNOSTICS_MS} ms: ` +
            `${met(s.p50, TARGET_DIAGNOSTICS_MS)})`,
        );
      say(
        `  ${'completion inside a pattern'.padEnd(42)}${ms(f.completionMs)} (${f.completionMs.samples}, ` +
          `${f.completionMs.items} items; target < ${TARGET_COMPLETION_MS} ms: ${met(f.completionMs.p50, TARGET_COMPLETION_MS)})`,
      );
      say(`  ${'completion right after an edit'.padEnd(42)}${ms(f.completionAfterEditMs)}`);
      say(`  ${'completion right after a syntax error/fix'.padEnd(42)}${ms(f.completionAfterSyntaxErrorMs)}`);
      say(`  ${`${f.randomEditsMs.samples} random edits -> diagnostics`.padEnd(42)}${ms(f.randomEditsMs)}`);
      if (f.rssMB)
        say(
          `  server RSS: ${f.rssMB.open.toFixed(0)} MiB after open, ${f.rssMB.scenarios.toFixed(0)} after the scenarios, ` +
            `${f.rssMB.randomEdits.toFixed(0)} right after the random edits, ${f.rssMB.settled.toFixed(0)} 3 s later; ` +
            `peak ${f.rssMB.peak.toFixed(0)} (target < ${TARGET_RSS_MB} MiB after the random edits: ` +
            `${met(f.rssMB.randomEdits, TARGET_RSS_MB)})`,
        );
      const b = breakdown(template, edits);
      breakdowns.push({ language: template.languageId, shape, ...b });
      const delay = adaptiveValidationDelay(b.analysisMs + b.validationMs);
      say(
        `  in process, per pattern edit              analysis ${b.analysisMs.toFixed(1)} ms + validation ` +
          `${b.validationMs.toFixed(1)} ms (p50): after such edits the server waits ${delay} ms before validating`,
      );
      say(
        `  in process, full analysis                 ${b.fullAnalysisMs.toFixed(0)} ms (an edit's cost without the incremental parse)`,
      );
    }
  }
  if (results.length === 0) return 0;
  // A summary for the README: one column per template.
  say('');
  const header = results.map((f) => `${f.language.toUpperCase()} ${f.shape}, ${(f.bytes / 1e6).toFixed(2)} MB`);
  say(`| ${resources.toLocaleString('en-US')} resources, p50 / p95 | ${header.join(' | ')} |`);
  say(`|---|${header.map(() => '---|').join('')}`);
  const row = (name: string, cell: (f: Figures) => string): void =>
    say(`| ${name} | ${results.map(cell).join(' | ')} |`);
  row('open → first diagnostics', (f) => `${f.openToDiagnosticsMs.toFixed(0)} ms`);
  if (anchors.some((a) => a))
    row('the same open in the anchor server', (f) => {
      const a = anchors[results.indexOf(f)];
      return a ? `${a.openMs.toFixed(0)} ms (${a.server} ${a.version})` : 'n/a';
    });
  for (const [i, s] of results[0].scenarios.entries()) row(s.name, (f) => ms(f.scenarios[i]));
  row(`${randomEditCount} random edits`, (f) => ms(f.randomEditsMs));
  row('completion inside a pattern', (f) => ms(f.completionMs));
  row('completion right after an edit', (f) => ms(f.completionAfterEditMs));
  row('completion right after a syntax error or its fix', (f) => ms(f.completionAfterSyntaxErrorMs));
  row('server RSS after open / after the random edits / 3 s later (peak)', (f) =>
    f.rssMB
      ? `${f.rssMB.open.toFixed(0)} / ${f.rssMB.randomEdits.toFixed(0)} / ${f.rssMB.settled.toFixed(0)} ` +
        `(${f.rssMB.peak.toFixed(0)}) MiB`
      : 'n/a',
  );
  if (json)
    process.stdout.write(
      JSON.stringify({ validationDelay: { policy: 'adaptive', min, max }, results, breakdowns }, null, 2) + '\n',
    );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
