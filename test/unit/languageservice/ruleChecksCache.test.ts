// The rule checks (EB600-EB646) of resources the incremental analysis carried over are kept between versions, with
// what they read from the rest of the template (the resources they looked up, the lists of permissions and policies
// they went through). Whatever the edits, the diagnostics and quick fixes must equal those of a fresh language
// service; and an edit must check again only what it changed and what read it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { ruleChecks } from '../../../server/src/languageservice/features/ruleChecks';
import { applyBatch, applyEdit, batchArb, editArb } from './templateEdits';

const RUNS = Number(process.env['EBP_PROPERTY_RUNS'] ?? 150);

/**
 * Rules whose targets are functions, queues, topics and log groups of the template, beside the permissions and
 * policies that let EventBridge reach some of them (for this rule, another rule, anyone), and schedules. Entry `i`
 * is of kind `(i + variant) % 6`; references go to entries of the kind they need.
 */
function yamlTemplate(count: number, variant: number): string {
  const kinds = Array.from({ length: count }, (_, i) => (i + variant) % 6);
  const of = (...ks: number[]): number[] => kinds.flatMap((k, i) => (ks.includes(k) ? [i] : []));
  const pick = (list: number[], n: number): number => list[n % list.length] ?? 0;
  const [rules, fns, queues, logs] = [of(0), of(1, 5), of(2, 5), of(3)];
  const lines = ["AWSTemplateFormatVersion: '2010-09-09'", 'Resources:'];
  for (let i = 0; i < count; i++) {
    switch (kinds[i]) {
      case 0:
        lines.push(
          `  Rule${i}:`,
          '    Type: AWS::Events::Rule',
          '    Properties:',
          `      Name: rule-${i}`,
          '      EventPattern: {source: [app]}',
          // Slid out of the pattern (misplacedPatternKeys.ts, kept per resource too).
          '      detail-type: [Order Placed]',
          '      Targets:',
          `        - Id: fn${i}`,
          `          Arn: !GetAtt Fn${pick(fns, i)}.Arn`,
          `        - Id: q${i}`,
          `          Arn: !GetAtt Queue${pick(queues, i + 1)}.Arn`,
          `        - Id: logs${i}`,
          `          Arn: !GetAtt Logs${pick(logs, i)}.Arn`,
          '          RetryPolicy: {MaximumRetryAttempts: 200}',
        );
        break;
      case 1:
        lines.push(
          `  Fn${i}:`,
          '    Type: AWS::Lambda::Function',
          '    Properties:',
          `      FunctionName: fn-${i}`,
          '      Handler: index.handler',
          `  Perm${i}:`,
          '    Type: AWS::Lambda::Permission',
          '    Properties:',
          `      FunctionName: !Ref Fn${i}`,
          '      Action: lambda:InvokeFunction',
          '      Principal: events.amazonaws.com',
          `      SourceArn: !GetAtt Rule${pick(rules, i + (i % 2))}.Arn`,
        );
        break;
      case 2:
        lines.push(
          `  Queue${i}:`,
          '    Type: AWS::SQS::Queue',
          `  QueuePolicy${i}:`,
          '    Type: AWS::SQS::QueuePolicy',
          '    Properties:',
          `      Queues: [!Ref Queue${i}]`,
          '      PolicyDocument:',
          '        Statement:',
          '          - Effect: Allow',
          '            Principal: {Service: events.amazonaws.com}',
          '            Action: sqs:SendMessage',
        );
        break;
      case 3:
        lines.push(
          `  Logs${i}:`,
          '    Type: AWS::Logs::LogGroup',
          '    Properties:',
          `      LogGroupName: /aws/events/group-${i}`,
          `  LogsPolicy${i}:`,
          '    Type: AWS::Logs::ResourcePolicy',
          '    Properties:',
          `      PolicyName: events-${i}`,
          `      PolicyDocument: '{"Statement": [{"Principal": {"Service": "events.amazonaws.com"}, "Resource": "arn:aws:logs:*:*:log-group:/aws/events/group-${i + (i % 2)}:*"}]}'`,
        );
        break;
      case 4:
        lines.push(
          `  Timer${i}:`,
          '    Type: AWS::Events::Rule',
          '    Properties:',
          `      ScheduleExpression: ${i % 2 === 0 ? 'rate(5 minute)' : 'cron(0 12 * * ? *)'}`,
          '      Targets:',
          `        - Id: timer${i}`,
          `          Arn: !GetAtt Fn${pick(fns, i + 1)}.Arn`,
          `          Input: '{"n": ${i}}'`,
        );
        break;
      default:
        lines.push(
          `  Fn${i}:`,
          '    Type: AWS::Lambda::Function',
          `  Queue${i}:`,
          '    Type: AWS::SQS::Queue',
          `  Topic${i}:`,
          '    Type: AWS::SNS::Topic',
          `  TopicRule${i}:`,
          '    Type: AWS::Events::Rule',
          '    Properties:',
          '      EventPattern: {source: [app]}',
          '      Targets:',
          `        - Id: topic${i}`,
          `          Arn: !Ref Topic${i}`,
          `        - Id: queue${i}`,
          `          Arn: !Ref Queue${i}`,
          `        - Id: fn${i}`,
          `          Arn: !GetAtt Fn${i}.Arn`,
        );
    }
  }
  lines.push('Outputs:', '  Out:', '    Value: !Ref Rule0', '    Description: the first rule', '');
  return lines.join('\n');
}

function jsonTemplate(count: number, variant: number): string {
  const entries: string[] = [];
  for (let i = 0; i < count; i++) {
    const j = (i + variant) % count;
    switch ((i + variant) % 4) {
      case 0:
        entries.push(
          `    "Rule${i}": {\n      "Type": "AWS::Events::Rule",\n      "Properties": {\n` +
            `        "EventPattern": {"source": ["app"]},\n` +
            `        "Targets": [\n` +
            `          {"Id": "fn${i}", "Arn": {"Fn::GetAtt": ["Fn${j}", "Arn"]}},\n` +
            `          {"Id": "q${i}", "Arn": {"Fn::GetAtt": ["Queue${(j + 2) % count}", "Arn"]}, "RetryPolicy": {"MaximumEventAgeInSeconds": 10}}\n` +
            `        ]\n      }\n    }`,
        );
        break;
      case 1:
        entries.push(
          `    "Fn${i}": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "fn-${i}"}},\n` +
            `    "Perm${i}": {"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": {"Ref": "Fn${i}"}, ` +
            `"Principal": "events.amazonaws.com", "SourceArn": {"Fn::GetAtt": ["Rule${(i + 3) % count}", "Arn"]}}}`,
        );
        break;
      case 2:
        entries.push(
          `    "Queue${i}": {"Type": "AWS::SQS::Queue"},\n` +
            `    "QueuePolicy${i}": {"Type": "AWS::SQS::QueuePolicy", "Properties": {"Queues": [{"Ref": "Queue${i}"}], ` +
            `"PolicyDocument": {"Statement": [{"Principal": {"Service": "events.amazonaws.com"}}]}}}`,
        );
        break;
      default:
        entries.push(
          `    "Timer${i}": {"Type": "AWS::Events::Rule", "Properties": {"ScheduleExpression": "rate(1 minutes)", ` +
            `"Targets": [{"Id": "t${i}", "Arn": {"Ref": "Queue${(j + 1) % count}"}}]}}`,
        );
    }
  }
  return (
    `{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n${entries.join(',\n')}\n  },\n` +
    `  "Outputs": {\n    "A": {"Value": {"Ref": "Rule0"}, "Description": "the first rule"}\n  }\n}\n`
  );
}

/** The rule checks' diagnostics, and those of pattern keys beside the pattern (also kept per resource). */
const ruleDiagnostics = (ds: readonly Diagnostic[]): Diagnostic[] =>
  ds.filter((d) => /^EB6\d\d$/.test(String(d.code)) || String(d.code) === 'EB508');

/**
 * Runs the versions through one service, comparing each one's diagnostics (and the last one's quick fixes) with a
 * fresh service's.
 * Returns how many rule-check diagnostics the versions had.
 */
function checkVersions(texts: readonly string[], uri: string, language: 'yaml' | 'json'): number {
  const service = getLanguageService();
  let seen = 0;
  texts.forEach((text, i) => {
    const document = TextDocument.create(uri, language, i + 1, text);
    const kept = service.doValidation(document);
    const freshService = getLanguageService();
    const fresh = freshService.doValidation(TextDocument.create(uri, language, 1, text));
    assert.deepEqual(kept, fresh, text);
    seen += ruleDiagnostics(kept).length;
    if (i < texts.length - 1) return;
    const whole = { start: document.positionAt(0), end: document.positionAt(text.length) };
    const context = { diagnostics: [] };
    assert.deepEqual(
      service.doCodeActions?.(document, whole, context),
      freshService.doCodeActions?.(TextDocument.create(uri, language, 1, text), whole, context),
      text,
    );
  });
  return seen;
}

test('property: YAML, rule checks kept between versions equal fresh checks after random edits', () => {
  let seen = 0;
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 5 }),
      fc.array(editArb, { minLength: 1, maxLength: 10 }),
      (variant, edits) => {
        const texts = [yamlTemplate(12, variant)];
        for (const e of edits) texts.push(applyEdit(texts[texts.length - 1], e));
        seen += checkVersions(texts, 'file:///w/rules.yaml', 'yaml');
      },
    ),
    { numRuns: RUNS },
  );
  assert.ok(seen > 1000, `only ${seen} rule-check diagnostics were compared`);
});

test('property: JSON, rule checks kept between versions equal fresh checks after random edits and batches', () => {
  let seen = 0;
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 3 }),
      fc.array(
        fc.oneof(
          editArb.map((e) => [e]),
          batchArb,
        ),
        { minLength: 1, maxLength: 8 },
      ),
      (variant, batches) => {
        const texts = [jsonTemplate(10, variant)];
        for (const b of batches) texts.push(applyBatch(texts[texts.length - 1], b));
        seen += checkVersions(texts, 'file:///w/rules.json', 'json');
      },
    ),
    { numRuns: RUNS },
  );
  assert.ok(seen > 500, `only ${seen} rule-check diagnostics were compared`);
});

test('the generated templates have findings of every kind the checks read other resources for', () => {
  const codes = new Set(
    ruleDiagnostics(
      getLanguageService().doValidation(TextDocument.create('file:///w/kinds.yaml', 'yaml', 1, yamlTemplate(12, 0))),
    ).map((d) => String(d.code)),
  );
  // Lambda permission missing / for another rule, logs policy, dead letter... and schedules, retry bounds.
  for (const code of ['EB604', 'EB508', 'EB605', 'EB606', 'EB603', 'EB608', 'EB611', 'EB640'])
    assert.ok(codes.has(code), `no ${code} in ${[...codes].join(', ')}`);
});

test('an edit checks again only the resource it changed and those that read what changed', () => {
  const service = getLanguageService();
  const uri = 'file:///w/kept.yaml';
  let text = yamlTemplate(12, 0);
  let version = 1;
  const checksOf = (t: string) => ruleChecks(service.analyze(TextDocument.create(uri, 'yaml', version++, t)));
  const before = checksOf(text);
  const byPlace = new Map(before.map((p) => [`${p.offset} ${p.message}`, p]));
  assert.ok(before.length > 10);

  // An edit in Outputs, after every resource: every problem is the one computed before (not moved, not recomputed).
  text = text.replace('Description: the first rule', 'Description: the first rule!');
  const afterOutputs = checksOf(text);
  assert.equal(afterOutputs.length, before.length);
  for (const p of afterOutputs) assert.equal(p, byPlace.get(`${p.offset} ${p.message}`), p.message);

  // Rule6's own retry policy fixed: its problem goes; those of the resources before it are the very objects computed
  // for the first version (nothing they read changed), those after it the same problems moved.
  const rule6 = text.indexOf('  Rule6:');
  const fixedRetry = text.replace(/(Rule6:[^]*?MaximumRetryAttempts: )200/, '$120');
  assert.notEqual(fixedRetry, text);
  text = fixedRetry;
  const afterRetry = checksOf(text);
  assert.equal(afterRetry.length, before.length - 1);
  const early = before.filter((p) => p.offset < rule6);
  assert.ok(early.length >= 4);
  for (const p of early) assert.ok(afterRetry.includes(p), p.message);
  assert.deepEqual(afterRetry, ruleChecks(getLanguageService().analyze(TextDocument.create(uri, 'yaml', 1, text))));

  // Rule6 targets Fn7, whose permission is for Rule0: EB605 on Rule6. Pointing the permission at Rule6 resolves it
  // (Rule6 read the permissions and is checked again, though its own entry did not change).
  const otherRule = /allows events\.amazonaws\.com only for another SourceArn, not rule Rule6:/;
  assert.ok(afterRetry.some((p) => otherRule.test(p.message)));
  const pointed = text.replace(/(Perm7:[^]*?SourceArn: !GetAtt )Rule0/, '$1Rule6');
  assert.notEqual(pointed, text);
  text = pointed;
  const afterPermission = checksOf(text);
  assert.ok(!afterPermission.some((p) => otherRule.test(p.message)));
  assert.equal(afterPermission.length, afterRetry.length - 1);
  assert.deepEqual(
    afterPermission,
    ruleChecks(getLanguageService().analyze(TextDocument.create(uri, 'yaml', 1, text))),
  );
});
