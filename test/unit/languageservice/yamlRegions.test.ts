// The scans that keep anchors, aliases, document markers and directives out of the region-isolated YAML reading
// (yamlRegions.ts) run over the whole text at edits that leave syntax errors: they are written as scans of the
// indicators' occurrences, and must answer as the regular expressions that define them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hasAnchorOrAlias, hasDocumentMarker } from '../../../server/src/languageservice/parsing/yamlRegions';

const ANCHOR_OR_ALIAS = /(?:^|[\s[\]{},:])[&*][^\s[\]{},]/m;
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?:\s|$)|^%/m;

const RUNS = Number(process.env['EBP_PROPERTY_RUNS'] ?? 150);

const yamlish = fc
  .array(
    fc.constantFrom(
      '&',
      '*',
      '-',
      '.',
      '%',
      ' ',
      '\n',
      '\r',
      '\t',
      ':',
      ',',
      '[',
      ']',
      '{',
      '}',
      'a',
      'b',
      '\u2028',
      '#',
    ),
    { maxLength: 40 },
  )
  .map((chars) => chars.join(''));

test('hasAnchorOrAlias and hasDocumentMarker answer as their regular expressions', () => {
  fc.assert(
    fc.property(yamlish, (text) => {
      assert.equal(hasAnchorOrAlias(text), ANCHOR_OR_ALIAS.test(text), JSON.stringify(text));
      assert.equal(hasDocumentMarker(text), DOCUMENT_MARKER.test(text), JSON.stringify(text));
    }),
    { numRuns: RUNS * 20 },
  );
});

test('anchors, aliases, markers and directives where templates write them', () => {
  assert.equal(hasAnchorOrAlias('a: &base\n  x: 1\nb: *base\n'), true);
  assert.equal(hasAnchorOrAlias('Resource: arn:aws:s3:::bucket/*\n'), false);
  assert.equal(hasAnchorOrAlias('Text: R&D\n'), false);
  assert.equal(hasDocumentMarker('a: 1\n---\nb: 2\n'), true);
  assert.equal(hasDocumentMarker('%YAML 1.2\na: 1\n'), true);
  assert.equal(hasDocumentMarker('a: ---x\nb: "..."\n'), false);
});
