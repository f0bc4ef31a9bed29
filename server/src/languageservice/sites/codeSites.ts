// Patterns written in code: AWS CDK in TypeScript/JavaScript (cdkTypeScriptSites.ts) and Python, and Terraform. Each
// language has a reader that walks the file's tree-sitter tree and returns ordinary pattern sites whose nodes are house
// AST nodes built from the code, with document offsets, and whose `syntax` (codeSyntax.ts) says how the features write
// text there. Everything after the reading (validation, completion, hover, quick fixes, code lenses, lint,
// match-rules) is the same code as for templates.
//
// A grammar is loaded on the first document that needs it (loadGrammar is asynchronous); until then the document
// reads as having no sites and the reading says which grammar it waits for, so that the server can load it and
// validate again. A file that mentions nothing a pattern could come from is not even parsed.

import type { Tree } from 'web-tree-sitter';
import { isGrammarLoaded, loadGrammar, parseCode, type GrammarId } from '../parsing/codeGrammars';
import type { CodeLanguageId, SyntaxProblem } from '../parsing/parsedDocument';
import type { PatternSite } from './patternSites';
import { findCdkTypeScriptSites } from './cdkTypeScriptSites';
import { findCdkPythonSites } from './cdkPythonSites';
import { findTerraformSites } from './terraformSites';

/** What a reader finds in a code document. */
export interface CodeReading {
  readonly sites: PatternSite[];
  /** Syntax problems the reader wants shown (an editor shows the language's own syntax errors already: often none). */
  readonly syntaxErrors: SyntaxProblem[];
}

/** Reads the pattern sites of a parsed code document. Offsets are the document's (UTF-16 code units). */
export type CodeReader = (tree: Tree, text: string, uri: string) => CodeReading;

interface CodeLanguage {
  /** The reader; undefined while the language is not read yet (its documents have no sites). */
  readonly reader: CodeReader | undefined;
  /**
   * A quick look at the text before any parse: false when the file cannot hold a pattern (it names none of the
   * constructs or properties patterns are given to), so most source files cost one regular expression.
   */
  readonly mayHoldPatterns: RegExp;
}

/** What a TypeScript or JavaScript file names when it may hold a CDK pattern. */
const CDK_MENTIONS =
  /aws-events|aws_events|aws-pipes|aws-lambda|aws_lambda|eventPattern|EventPattern|FilterPattern|FilterCriteria|aws-sns|aws_sns|filterPolicy/;

/**
 * The readers, by language. Adding a language's reader is one line here (and its grammar in grammarOf).
 */
const CODE_LANGUAGES: Readonly<Record<CodeLanguageId, CodeLanguage>> = {
  typescript: { reader: findCdkTypeScriptSites, mayHoldPatterns: CDK_MENTIONS },
  javascript: { reader: findCdkTypeScriptSites, mayHoldPatterns: CDK_MENTIONS },
  python: {
    reader: findCdkPythonSites,
    mayHoldPatterns: /aws_events|aws_pipes|event_pattern|EventPattern|FilterCriteria/,
  },
  terraform: { reader: findTerraformSites, mayHoldPatterns: /event_pattern|filter_criteria|filter_policy/ },
};

/** The code language of a document, from its file name first, then its editor language; undefined for other files. */
export function codeLanguageOf(uri: string, languageId?: string): CodeLanguageId | undefined {
  const path = uri.replace(/[?#].*$/, '');
  if (/\.[mc]?tsx?$/i.test(path)) return /\.d\.[mc]?ts$/i.test(path) ? undefined : 'typescript';
  if (/\.(?:[mc]?js|jsx)$/i.test(path)) return 'javascript';
  if (/\.py$/i.test(path)) return 'python';
  if (/\.tf$/i.test(path)) return 'terraform';
  switch (languageId) {
    case 'typescript':
    case 'typescriptreact':
      return 'typescript';
    case 'javascript':
    case 'javascriptreact':
      return 'javascript';
    case 'python':
      return 'python';
    case 'terraform':
      return 'terraform';
    default:
      return undefined;
  }
}

/**
 * The grammar a code document is parsed with: `.ts` (and `.mts`, `.cts`) with TypeScript's, where `<T>x` is a type
 * assertion; `.tsx` and every JavaScript file with TSX's, which reads JSX and plain JavaScript alike.
 */
export function grammarOf(uri: string, language: CodeLanguageId, languageId?: string): GrammarId {
  switch (language) {
    case 'typescript': {
      const path = uri.replace(/[?#].*$/, '');
      if (/\.tsx$/i.test(path)) return 'tsx';
      return /\.[mc]?ts$/i.test(path) || languageId !== 'typescriptreact' ? 'typescript' : 'tsx';
    }
    case 'javascript':
      return 'tsx';
    case 'python':
      return 'python';
    case 'terraform':
      return 'terraform';
  }
}

/** What reading a code document gave, and the grammar it still waits for (then it has no sites yet). */
export interface CodeDocumentReading extends CodeReading {
  readonly waitsFor?: GrammarId;
}

const NOTHING: CodeDocumentReading = { sites: [], syntaxErrors: [] };

/**
 * The grammar a document needs before its patterns can be read, if it is a code document that may hold patterns (a
 * language without a reader, or a file that names nothing patterns come from, needs none).
 */
export function grammarNeeded(text: string, uri: string, languageId?: string): GrammarId | undefined {
  const language = codeLanguageOf(uri, languageId);
  if (!language) return undefined;
  const entry = CODE_LANGUAGES[language];
  if (!entry.reader || !entry.mayHoldPatterns.test(text)) return undefined;
  return grammarOf(uri, language, languageId);
}

/** Loads the grammar a document needs, if any (see grammarNeeded); resolves at once when there is none to load. */
export async function prepareCodeDocument(text: string, uri: string, languageId?: string): Promise<void> {
  const grammar = grammarNeeded(text, uri, languageId);
  if (grammar && !isGrammarLoaded(grammar)) await loadGrammar(grammar);
}

/** Reads a code document's pattern sites with its language's reader (none until its grammar is loaded). */
export function readCodeDocument(
  text: string,
  uri: string,
  language: CodeLanguageId,
  languageId?: string,
): CodeDocumentReading {
  const entry = CODE_LANGUAGES[language];
  if (!entry.reader || !entry.mayHoldPatterns.test(text)) return NOTHING;
  const grammar = grammarOf(uri, language, languageId);
  const tree = parseCode(grammar, text);
  if (!tree) return { ...NOTHING, waitsFor: grammar };
  try {
    return entry.reader(tree, text, uri);
  } finally {
    // A tree lives in WebAssembly memory, which the garbage collector does not free.
    tree.delete();
  }
}
