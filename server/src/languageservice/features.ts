// Registers the language features with the facade. Each feature module adds its own line(s) below; importing this
// module (for its side effect) is what turns them on.

import { registerFeatures } from './languageService';

// Completion and hover inside patterns.
import { doComplete } from './patternCompletion';
import { doHover } from './patternHover';
registerFeatures({ complete: doComplete, hover: doHover });

// Lint rules (registered with patternLint on import), quick fixes and refactors, "test against sample events" lenses.
import './patternLintRules';
import { doCodeActions } from './patternCodeActions';
import { doCodeLenses } from './patternCodeLens';
registerFeatures({ codeActions: doCodeActions, codeLenses: doCodeLenses });
