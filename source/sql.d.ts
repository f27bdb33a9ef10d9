/** A `.sql` file imported as its text: the build and the tests both load it so (scripts/build.mjs, vitest.config.ts). */
declare module '*.sql' {
	const text: string;
	export default text;
}
