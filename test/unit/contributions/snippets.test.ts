// The snippets: well-formed, contributed, and what they insert is valid: each pattern compiles with the engine
// (placeholders at their defaults, every choice tried), and each resource snippet, dropped into a template, gives
// no diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { repoRoot } from '../repoPaths';
import { compilePattern } from '../../../server/src/engine';
import { getLanguageService } from '../../../server/src/languageservice/languageService';

interface Snippet {
  prefix: string;
  body: string | string[];
  description: string;
}

function load(name: string): Record<string, Snippet> {
  return JSON.parse(readFileSync(join(repoRoot, 'snippets', name), 'utf8')) as Record<string, Snippet>;
}
const jsonSnippets = load('eventbridge-json.json');
const yamlSnippets = load('eventbridge-yaml.json');
const bodyOf = (s: Snippet): string => (Array.isArray(s.body) ? s.body.join('\n') : s.body);

/**
 * The text a snippet inserts when every placeholder keeps its default: `${1:x}` → x (nested too), `${1|a,b|}` → the
 * `choice`-th option (the last one when there are fewer), `$1`/`${1}` → nothing; `\$`, `\}`, `\\` are escapes.
 */
function expandSnippet(body: string, choice = 0): string {
  let i = 0;
  const parse = (stopAt: string | undefined): string => {
    let out = '';
    while (i < body.length) {
      const c = body[i];
      if (c === '\\' && i + 1 < body.length && '$}\\'.includes(body[i + 1])) {
        out += body[i + 1];
        i += 2;
      } else if (stopAt !== undefined && c === stopAt) {
        return out;
      } else if (c === '$' && /[0-9A-Za-z_]/.test(body[i + 1] ?? '')) {
        i++;
        while (/[0-9A-Za-z_]/.test(body[i] ?? '')) i++;
      } else if (c === '$' && body[i + 1] === '{') {
        i += 2;
        while (/[0-9A-Za-z_]/.test(body[i] ?? '')) i++;
        if (body[i] === ':') {
          i++;
          out += parse('}');
        } else if (body[i] === '|') {
          const close = body.indexOf('|}', i + 1);
          assert.ok(close > 0, 'unterminated choice');
          const options = body.slice(i + 1, close).split(',');
          out += options[Math.min(choice, options.length - 1)];
          i = close + 1;
        }
        assert.equal(body[i], '}', `malformed placeholder at ${i} in ${body}`);
        i++;
      } else {
        out += c;
        i++;
      }
    }
    assert.equal(stopAt, undefined, 'unterminated placeholder');
    return out;
  };
  return parse(undefined);
}

/** Every distinct expansion: defaults, then each choice index. */
function expansions(s: Snippet): string[] {
  const body = bodyOf(s);
  const options = Math.max(1, ...[...body.matchAll(/\$\{\d+\|([^|]*)\|\}/g)].map((m) => m[1].split(',').length));
  return [...new Set(Array.from({ length: options }, (_, k) => expandSnippet(body, k)))];
}

function assertCompiles(patternText: string, what: string, dialect?: 'pipes' | 'lambda'): void {
  const r = compilePattern(patternText, dialect ? { dialect } : {});
  assert.ok(r.ok, `${what}: ${r.ok ? '' : r.error.message}\n${patternText}`);
}

const service = getLanguageService();
// The rest of the template the snippets are tried in: the queue the rule snippet targets lets EventBridge send to it
// (or the rule checks would rightly say it does not, EB607).
const JSON_QUEUE_POLICY = `"OrdersQueuePolicy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {"Queues": [{"Ref": "OrdersQueue"}], "PolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["OrdersQueue", "Arn"]}}]}}}`;
const YAML_QUEUE_POLICY = [
  '  OrdersQueuePolicy:',
  '    Type: AWS::SQS::QueuePolicy',
  '    Properties:',
  '      Queues: [!Ref OrdersQueue]',
  '      PolicyDocument:',
  '        Statement: [{Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: sqs:SendMessage, Resource: !GetAtt OrdersQueue.Arn}]',
  '',
].join('\n');
function assertCleanTemplate(text: string, uri: string, what: string): void {
  const doc = TextDocument.create(uri, uri.endsWith('.json') ? 'json' : 'yaml', 1, text);
  assert.deepEqual(
    service
      .doValidation(doc)
      .map((d) => `${String(d.code)} ${typeof d.message === 'string' ? d.message : d.message.value}`),
    [],
    `${what}\n${text}`,
  );
  const sites = service.analyze(doc).sites;
  assert.ok(sites.length >= 1, `${what}: the pattern is found in the template\n${text}`);
  for (const s of sites) assert.ok(s.analysis.pattern, `${what}: the pattern compiles`);
}

const RESOURCE_PREFIXES = ['eb-rule', 'eb-archive', 'eb-sam-eventbridge-rule', 'eb-pipe-filter', 'eb-esm-filter'];

test('both files: prefix, body and description on each; same prefixes in JSON and YAML; contributed', () => {
  for (const snippets of [jsonSnippets, yamlSnippets]) {
    const prefixes = new Set<string>();
    for (const [name, s] of Object.entries(snippets)) {
      assert.equal(typeof s.prefix, 'string', name);
      assert.ok(
        typeof s.body === 'string' || (Array.isArray(s.body) && s.body.every((l) => typeof l === 'string')),
        name,
      );
      assert.ok(typeof s.description === 'string' && s.description.length > 0, name);
      assert.ok(!prefixes.has(s.prefix), `duplicate prefix ${s.prefix}`);
      prefixes.add(s.prefix);
      expandSnippet(bodyOf(s)); // well-formed placeholders
    }
  }
  const prefixes = (s: Record<string, Snippet>): string[] =>
    Object.values(s)
      .map((x) => x.prefix)
      .sort();
  assert.deepEqual(prefixes(jsonSnippets), prefixes(yamlSnippets));
  for (const p of [
    ...RESOURCE_PREFIXES,
    'eb-pattern-s3-object-created',
    'eb-pattern-ec2-state-change',
    'eb-or',
    'eb-numeric',
  ]) {
    assert.ok(prefixes(jsonSnippets).includes(p), p);
  }
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { snippets?: { language: string; path: string }[] };
  };
  const contributed = pkg.contributes.snippets ?? [];
  for (const [language, file] of [
    ['json', 'eventbridge-json.json'],
    ['yaml', 'eventbridge-yaml.json'],
  ]) {
    const entry = contributed.find((c) => c.language === language);
    assert.ok(entry && entry.path.endsWith(`snippets/${file}`), language);
    assert.ok(existsSync(join(repoRoot, entry.path)));
  }
  assert.equal(expandSnippet('a ${1:b ${2:c}} \\$or ${3|x,y|} $0'), 'a b c $or x ');
  assert.equal(expandSnippet('${3|x,y|}', 5), 'y');
});

test('JSON snippets: every pattern compiles, every resource is clean in a template', () => {
  for (const [name, s] of Object.entries(jsonSnippets)) {
    for (const body of expansions(s)) {
      const what = `${name} (${s.prefix})`;
      if (s.prefix.startsWith('eb-pattern-')) {
        assertCompiles(body, what);
      } else if (s.prefix === 'eb-or') {
        assertCompiles(`{${body}}`, what);
      } else if (s.prefix === 'eb-rule' || s.prefix === 'eb-archive') {
        const template = `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {${body},
          "OrdersQueue": {"Type": "AWS::SQS::Queue"}, "OrdersBus": {"Type": "AWS::Events::EventBus"}, ${JSON_QUEUE_POLICY}}}`;
        assertCleanTemplate(template, 'file:///w/template.json', what);
      } else if (s.prefix === 'eb-sam-eventbridge-rule') {
        const template = `{"Transform": "AWS::Serverless-2016-10-31", "Resources": {"Fn": {"Type": "AWS::Serverless::Function",
          "Properties": {"Handler": "app.handler", "Events": {${body}}}}}}`;
        assertCleanTemplate(template, 'file:///w/template.json', what);
      } else if (s.prefix === 'eb-pipe-filter') {
        const template = `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Pipe": {"Type": "AWS::Pipes::Pipe",
          "Properties": {"SourceParameters": {${body}}}}}}`;
        assertCleanTemplate(template, 'file:///w/template.json', what);
      } else if (s.prefix === 'eb-esm-filter') {
        const template = `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Map": {"Type": "AWS::Lambda::EventSourceMapping",
          "Properties": {${body}}}}}`;
        assertCleanTemplate(template, 'file:///w/template.json', what);
      } else {
        // An operator: a match object that goes into a field's list.
        assertCompiles(`{"field": [${body}]}`, what);
      }
    }
  }
});

test('YAML snippets: every pattern compiles, every resource is clean in a template', () => {
  const indent = (text: string, by: string): string =>
    text
      .split('\n')
      .map((l) => (l ? by + l : l))
      .join('\n');
  for (const [name, s] of Object.entries(yamlSnippets)) {
    for (const body of expansions(s)) {
      const what = `${name} (${s.prefix})`;
      const asJson = (): string => JSON.stringify(yaml.parse(body));
      if (s.prefix.startsWith('eb-pattern-') || s.prefix === 'eb-or') {
        assertCompiles(asJson(), what);
      } else if (s.prefix === 'eb-rule' || s.prefix === 'eb-archive') {
        const template = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${indent(body, '  ')}\n  OrdersQueue:\n    Type: AWS::SQS::Queue\n  OrdersBus:\n    Type: AWS::Events::EventBus\n${YAML_QUEUE_POLICY}`;
        assertCleanTemplate(template, 'file:///w/template.yaml', what);
      } else if (s.prefix === 'eb-sam-eventbridge-rule') {
        const template = `Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n${indent(body, '        ')}\n`;
        assertCleanTemplate(template, 'file:///w/template.yaml', what);
      } else if (s.prefix === 'eb-pipe-filter') {
        const template = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Pipe:\n    Type: AWS::Pipes::Pipe\n    Properties:\n      SourceParameters:\n${indent(body, '        ')}\n`;
        assertCleanTemplate(template, 'file:///w/template.yaml', what);
      } else if (s.prefix === 'eb-esm-filter') {
        const template = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Map:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n${indent(body, '      ')}\n`;
        assertCleanTemplate(template, 'file:///w/template.yaml', what);
      } else {
        // An operator: a list item of a field.
        assertCompiles(JSON.stringify({ field: yaml.parse(body) as unknown }), what);
      }
    }
  }
});
