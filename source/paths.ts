/** Where the console finds what ships with it. */
import {fileURLToPath} from 'node:url';

/**
 * The built-in `runbooks/` folder. This file sits one level below the
 * package root both as source (`source/`) and bundled (`dist/`).
 */
export const builtInRunbooksDir = fileURLToPath(new URL('../runbooks', import.meta.url));
