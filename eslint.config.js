// Lint rules beyond formatting (Prettier owns that): TypeScript's recommended
// type-aware checks, React's hook rules, and the layering of DESIGN.md.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ignores: ['dist/', 'node_modules/', 'coverage/']},
	js.configs.recommended,
	{
		// Scripts and test fixtures run on Node.
		files: ['**/*.{js,mjs}'],
		languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly'}},
	},
	...tseslint.configs.recommended,
	{
		files: ['**/*.{ts,tsx}'],
		plugins: {'react-hooks': reactHooks},
		rules: {
			...reactHooks.configs.recommended.rules,
			'@typescript-eslint/no-unused-vars': [
				'error',
				{argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true},
			],
			'@typescript-eslint/consistent-type-imports': ['error', {fixStyle: 'inline-type-imports'}],
			eqeqeq: ['error', 'always'],
		},
	},
	{
		// Tests read and write terminal escape sequences on purpose.
		files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts'],
		rules: {'no-control-regex': 'off'},
	},
);
