// Grammars load lazily: analysing JSON, YAML and code that names no pattern construct loads none; a CDK file reads as
// having no patterns until `prepare` has loaded its grammar, and the same version is read again afterwards. (Its own
// file: node --test runs each file in a process of its own, so no other test has loaded a grammar here.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { isGrammarLoaded, type GrammarId } from '../../../server/src/languageservice/parsing/codeGrammars';

const GRAMMARS: GrammarId[] = ['typescript', 'tsx', 'python', 'terraform'];
const loaded = (): GrammarId[] => GRAMMARS.filter(isGrammarLoaded);

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: aws.s3
`;
const STACK = `import * as events from 'aws-cdk-lib/aws-events';
new events.Rule(this, 'R', { eventPattern: { source: 'aws.s3' } });
`;

test('JSON, YAML and plain code load no grammar; a CDK file waits for its own, then is read again', async () => {
  const ls = getLanguageService();
  const yaml = TextDocument.create('file:///t/template.yaml', 'yaml', 1, TEMPLATE);
  await ls.prepare(yaml);
  assert.equal(ls.doValidation(yaml).length, 1);
  const plain = TextDocument.create('file:///t/util.ts', 'typescript', 1, 'export const x = 1;\n');
  await ls.prepare(plain);
  assert.deepEqual(ls.doValidation(plain), []);
  assert.deepEqual(loaded(), []);

  const stack = TextDocument.create('file:///t/lib/stack.ts', 'typescript', 1, STACK);
  assert.deepEqual(ls.doValidation(stack), [], 'no patterns before the grammar is loaded');
  assert.equal(ls.analyze(stack).waitsFor, 'typescript');
  await ls.prepare(stack);
  assert.deepEqual(loaded(), ['typescript']);
  assert.deepEqual(
    ls.doValidation(stack).map((d) => d.code),
    ['EB201'],
    'the same version is read again once the grammar is there',
  );
});
