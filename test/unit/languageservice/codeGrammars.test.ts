// The code grammars load from node_modules (compiled tests) and parse with UTF-16 offsets, as the house AST counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GRAMMAR_FILES,
  grammarPath,
  isGrammarLoaded,
  loadGrammar,
  parseCode,
  type GrammarId,
} from '../../../server/src/languageservice/parsing/codeGrammars';

const SAMPLES: Record<GrammarId, { text: string; find: string; type: string }> = {
  typescript: {
    text: 'const é = "🙂"; rule.addEventPattern({ source: ["aws.s3"] });',
    find: 'source',
    type: 'property_identifier',
  },
  tsx: {
    text: 'const v = <b>é🙂</b>; new events.Rule(this, "R", { eventPattern: {} });',
    find: 'eventPattern',
    type: 'property_identifier',
  },
  python: {
    text: 'x = "🙂é"\nevents.Rule(self, "R", event_pattern=events.EventPattern(source=["aws.s3"]))\n',
    find: 'event_pattern',
    type: 'identifier',
  },
  terraform: {
    text: '# 🙂é\nresource "aws_cloudwatch_event_rule" "r" {\n  event_pattern = jsonencode({ source = ["aws.s3"] })\n}\n',
    find: 'event_pattern',
    type: 'identifier',
  },
};

test('every grammar file is found', () => {
  for (const id of Object.keys(GRAMMAR_FILES) as (GrammarId | 'runtime')[]) {
    assert.ok(grammarPath(id), `${id}: ${GRAMMAR_FILES[id].file}`);
  }
});

test('nothing parses before its grammar is loaded', () => {
  assert.equal(isGrammarLoaded('python'), false);
  assert.equal(parseCode('python', 'x = 1'), undefined);
});

for (const [id, sample] of Object.entries(SAMPLES) as [GrammarId, (typeof SAMPLES)[GrammarId]][]) {
  test(`${id}: nodes carry UTF-16 offsets past non-ASCII text`, async () => {
    await loadGrammar(id);
    const tree = parseCode(id, sample.text);
    assert.ok(tree);
    const at = sample.text.indexOf(sample.find);
    const node = tree.rootNode.descendantForIndex(at, at + sample.find.length);
    assert.ok(node);
    assert.equal(node.type, sample.type);
    assert.equal(node.startIndex, at);
    assert.equal(node.endIndex, at + sample.find.length);
    assert.equal(node.text, sample.find);
    assert.equal(tree.rootNode.hasError, false);
  });
}

test('loading twice shares the first load', async () => {
  const [a, b] = await Promise.all([loadGrammar('typescript'), loadGrammar('typescript')]);
  assert.equal(a, b);
});
