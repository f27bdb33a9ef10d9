/** Where the console finds what ships with it. */
import {fileURLToPath} from 'node:url';

// This file sits one level below the package root both as source (`source/`)
// and bundled (`dist/`).

/** The built-in `runbooks/` folder. */
export const builtInRunbooksDir = fileURLToPath(new URL('../runbooks', import.meta.url));

/**
 * The built-in severity policy, validated and compiled to JSON by the build
 * (`dist/severity.json`); absent when running from source.
 */
export const compiledPolicyFile = fileURLToPath(new URL('./severity.json', import.meta.url));

/** A built-in drill, validated and compiled to JSON by the build (`dist/drills/NAME.json`). */
export const compiledDrillFile = (name: string) => fileURLToPath(new URL(`./drills/${name}.json`, import.meta.url));
