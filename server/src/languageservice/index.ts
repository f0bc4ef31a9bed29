// The language service's facade: what the LSP wiring, the CLI and the benchmark use. Inside, the folder shows the
// flow: parsing/ (JSON and YAML text → one AST with offsets, incrementally), sites/ (where patterns live in a document,
// and their analysis), features/ (validation, lint rules, completion, hover, code actions, code lenses and the
// answers to the client's requests). languageService.ts builds a service from its parts.
export * from './languageService';
export { setSampleEvents } from './features/patternCodeLens';
export { subTemplateError } from './sites/substitutedPatterns';
// Terraform's reader, until the code documents are wired into the service (issue 13): for the benchmark.
export { loadGrammar, parseCode } from './parsing/codeGrammars';
export { findTerraformSites, type TerraformReading, type ReferencedPatternFile } from './sites/terraformSites';
