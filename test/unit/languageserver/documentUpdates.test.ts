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

/** Every position question a document answers, asked of both. */
function assertSameDocument(ours: TextDocument, theirs: TextDocument): void {
  const text = theirs.getText();
  assert.equal(ours.getText(), text);
  assert.equal(ours.lineCount, theirs.lineCount);
  for (let offset = -1; offset <= text.length + 1; offset++) {
    assert.deepEqual(
      ours.positionAt(offset),
      theirs.positionAt(offset),
      `positionAt(${offset}) of ${JSON.stringify(text)}`,
    );
  }
  for (let line = -1; line <= theirs.lineCount; line++) {
    assert.deepEqual(ours.getLineRange(line), theirs.getLineRange(line), `getLineRange(${line})`);
    assert.equal(ours.getEOLCharacters(line), theirs.getEOLCharacters(line), `getEOLCharacters(${line})`);
    for (let character = -1; character <= 8; character++) {
      const position = { line, character };
      assert.equal(ours.offsetAt(position), theirs.offsetAt(position), `offsetAt(${line}:${character})`);
    }
  }
  const range = { start: { line: 0, character: 1 }, end: { line: 1, character: 2 } };
  assert.equal(ours.getText(range), theirs.getText(range));
}

test('line starts carried through edits answer every position as a document made from the text', () => {
  // Half the runs without carriage returns (whose line starts are carried), half with (computed again).
  const caseArb = fc.boolean().chain((carriageReturns) => {
    const lineBreaks = carriageReturns ? fc.constantFrom('\n', '\r\n', '\r') : fc.constant('\n');
    const inserts = carriageReturns
      ? fc.constantFrom('', 'x', 'yz\n', '\n', '\r\n', '\r', 'q\nr\n')
      : fc.constantFrom('', 'x', 'yz\n', '\n', 'q\nr\n');
    const text = fc
      .array(fc.tuple(fc.constantFrom('', 'a', 'bc', 'def '), lineBreaks), { maxLength: 6 })
      .map((parts) => parts.map(([line, lineBreak]) => line + lineBreak).join(''));
    const change = fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      remove: fc.nat({ max: 4 }),
      insert: inserts,
    });
    const step = fc.tuple(
      fc.constantFrom('batch', 'single', 'whole'),
      fc.array(change, { minLength: 1, maxLength: 4 }),
    );
    return fc.tuple(text, fc.array(step, { maxLength: 5 }));
  });
  fc.assert(
    fc.property(caseArb, ([initial, steps]) => {
      let ours: TextDocument = applyContentChanges(TextDocument.create('file:///t', 'x', 1, initial), [], 1);
      let theirs = TextDocument.create('file:///t', 'x', 1, initial);
      let version = 1;
      for (const [kind, edits] of steps) {
        const text = theirs.getText();
        const offsets = edits.map((e) => {
          const start = Math.floor(e.at * text.length);
          return { offset: start, remove: Math.min(e.remove, text.length - start), insert: e.insert };
        });
        const changes =
          kind === 'whole'
            ? [{ text: offsets.map((o) => o.insert).join('') }]
            : kind === 'batch'
              ? descending(theirs, offsets)
              : offsets.map((o) => ({
                  range: { start: theirs.positionAt(o.offset), end: theirs.positionAt(o.offset + o.remove) },
                  text: o.insert,
                }));
        version++;
        ours = applyContentChanges(ours, changes, version);
        theirs = TextDocument.update(theirs, changes, version);
        assert.equal(ours.version, version);
        assertSameDocument(ours, theirs);
      }
    }),
    { numRuns: 500 },
  );
});
