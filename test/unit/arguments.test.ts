import {describe, expect, it} from 'vitest';
import {parseCommandLine} from '../../source/cli/arguments';

describe('the command line', () => {
	it('runs the console with no subcommand, taking the global flags', () => {
		expect(parseCommandLine(['--drill', 'api-gateway-outage', '--data-dir', '/tmp/x', '--read-only'])).toMatchObject({
			args: [],
			flags: {drill: 'api-gateway-outage', dataDir: '/tmp/x', readOnly: true, dryRun: false, format: 'text'},
		});
		expect(parseCommandLine([]).command).toBeUndefined();
	});

	it('passes a subcommand its arguments', () => {
		expect(parseCommandLine(['note', 'INC-3', 'rolled', 'back', '--incident', 'INC-3'])).toMatchObject({
			command: 'note',
			args: ['INC-3', 'rolled', 'back'],
			flags: {incident: 'INC-3'},
		});
	});

	it('refuses an unknown flag and a flag without its value, pointing at --help', () => {
		expect(() => parseCommandLine(['--bogus'])).toThrow("unknown option '--bogus' (see warroom --help)");
		expect(() => parseCommandLine(['snapshot', '--format'])).toThrow(
			"option '--format <value>' argument missing (see warroom --help)",
		);
	});
});
