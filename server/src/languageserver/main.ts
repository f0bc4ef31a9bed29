// Entry point of the language server (bundled to dist/server.js). The transport comes from the command line:
// `--node-ipc` when the VS Code client forks it, `--stdio` for other editors (`npm run --silent server -- --stdio`).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
// The pattern language service plugs in here once it exists: startServer(connection, { languageService }).
startServer(connection);
