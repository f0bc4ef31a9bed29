// A didChange's content changes, applied in one pass when they come from the last in the text to the first (as an
// editor sends a Replace All or a multi-cursor edit), must give exactly what applying them one by one gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyContentChanges } from '../../../server/src/languageserver/documentUpdates';

const text = Array.from({ length: 40 }, (_, i) => `line ${i}: ${'abcdefghij'.slice(0, i % 10)}`).join('\n') + '\n';

/** Edits at offsets of the text, as content changes one after the other, from the last in the text to the first. */
function descending(document: TextDocument, edits: { offset: number; remove: number; insert: string }[]) {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  const kept: typeof sorted = [];
  for (const e of sorted) {
    // Each one must end before the one kept before it starts (not overlapping, not touching).
    const last = kept[kept.length - 1];
    if (!last || e.offset + e.remove < last.offset) kept.push(e);
  }
  return kept.map((e) => ({
    range: { start: document.positionAt(e.offset), end: document.positionAt(e.offset + e.remove) },
    text: e.insert,
  }));
}

const editsArb = fc.array(
  fc.record({
    offset: fc.nat({ max: text.length }),
    remove: fc.nat({ max: 6 }),
    insert: fc.constantFrom('', 'x', 'yz\n', '\n'),
  }),
  { minLength: 1, maxLength: 12 },
);

test('changes from the last to the first: one pass equals one by one', () => {
  fc.assert(
    fc.property(editsArb, (edits) => {
      const document = TextDocument.create('file:///t.txt', 'plaintext', 1, text);
      const changes = descending(document, edits).map((c) => ({
        ...c,
        range: {
          start: c.range.start,
          end: document.positionAt(Math.min(document.offsetAt(c.range.end), text.length)),
        },
      }));
      const batched = applyContentChanges(document, changes, 2);
      const oneByOne = TextDocument.update(TextDocument.create('file:///t.txt', 'plaintext', 1, text), changes, 2);
      assert.equal(batched.getText(), oneByOne.getText());
      assert.equal(batched.version, 2);
      assert.equal(batched.lineCount, oneByOne.lineCount);
      assert.deepEqual(batched.positionAt(batched.getText().length), oneByOne.positionAt(oneByOne.getText().length));
    }),
    { numRuns: 300 },
  );
});

test('changes in any other order, touching ones and whole-text ones are applied one by one', () => {
  const document = (): TextDocument => TextDocument.create('file:///t.txt', 'plaintext', 1, 'abc\ndef\n');
  const at = (line: number, character: number) => ({ line, character });
  const cases = [
    // From the first to the last: the second range is in the text the first one left.
    [
      { range: { start: at(0, 0), end: at(0, 1) }, text: 'XY' },
      { range: { start: at(0, 3), end: at(0, 4) }, text: '' },
    ],
    // Two insertions at the same place: the second goes before the first.
    [
      { range: { start: at(1, 1), end: at(1, 1) }, text: '1' },
      { range: { start: at(1, 1), end: at(1, 1) }, text: '2' },
    ],
    [{ text: 'whole' }, { range: { start: at(0, 0), end: at(0, 0) }, text: '>' }],
  ];
  for (const changes of cases) {
    assert.equal(
      applyContentChanges(document(), changes, 2).getText(),
      TextDocument.update(document(), changes, 2).getText(),
      JSON.stringify(changes),
    );
  }
});
