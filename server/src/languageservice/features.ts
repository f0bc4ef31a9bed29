// Registers the language features with the facade. Each feature module adds its own line(s) below; importing this
// module (for its side effect) is what turns them on.

import { registerFeatures } from './languageService';

// Completion and hover inside patterns.
import { doComplete } from './patternCompletion';
import { doHover } from './patternHover';
registerFeatures({ complete: doComplete, hover: doHover });
