/** Where the console finds what ships with it. */
import {fileURLToPath} from 'node:url';

// This file sits one level below the package root both as source (`source/`)
// and bundled (`dist/`).

/** The built-in `runbooks/` folder. */
export const builtInRunbooksDir = fileURLToPath(new URL('../runbooks', import.meta.url));

/**
 * Where the build writes the built-in runbook files it validated and compiled
 * to JSON (`dist/severity.json`, `dist/drills/NAME.json`); none there when
 * running from source.
 */
export const compiledRunbooksDir = fileURLToPath(new URL('.', import.meta.url));
