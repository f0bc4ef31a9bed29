// The protocol the client and the server share, declared once and imported by both sides (as vscode-eslint's
// `$shared/`): the settings, the custom LSP requests, and the messages with the local bus process. It lives beside
// client/ and server/ rather than inside either, because it belongs to neither; it imports nothing from them, nor
// `vscode`, so both bundles can take it.
export * from './settings';
export * from './requests';
export * from './localBus';
export * from './learnedSchemas';
export * from './serverProcess';
