/**
 * The command line, parsed with Node's own `util.parseArgs`: meow cost
 * ~20-40 ms of every start (it normalises package.json through spdx tables
 * at import), more than the whole rest of argument handling is worth.
 */
import {parseArgs} from 'node:util';
import {messageOf, UsageError} from '../errors';

export const helpText = `
  A terminal war-room console for incident responders

  Usage
    $ warroom [options]                 the console (on a drill: --drill NAME)
    $ warroom snapshot [--format text|json]
    $ warroom declare --severity P0..P3 --title TEXT [--services a,b] [--commander NAME]
    $ warroom note INC-N TEXT
    $ warroom status INC-N investigating|identified|fixing|monitoring|resolved
    $ warroom severity INC-N P0..P3
    $ warroom doctor [--format text|json]   what the console needs: kubectl, the database, the data dir…
    $ warroom runbooks list|show ID|validate [FILE…]
    $ warroom template initial|update|resolution|internal [--eta T] [--impact T] [--root-cause T] [--resolution T]
    $ warroom postmortem [--impact T] [--root-cause T]
    $ warroom db migrate                set up or upgrade the shared incident store (incidents.store: postgres)
    $ warroom journal export INC-N      the incident as JSON lines, on stdout
    $ warroom journal import FILE|-     an exported incident, under a new id

  Options
    --config FILE      warroom.yaml to read (default: ./warroom.yaml when present)
    --data-dir DIR     the incident journal (default: $WARROOM_DATA_DIR, incidents.dir, ./incidents)
    --incident INC-N   the incident to act on (default: the newest unresolved)
    --drill NAME       play a scripted incident; touches no real system
    --read-only        bind no key that writes
    --dry-run          show mitigations without running them
    --help, --version

  Exit codes: 0 fine · 1 something checked is unhealthy or missing · 2 bad usage, config or input
`;

const options = {
	config: {type: 'string'},
	'data-dir': {type: 'string'},
	incident: {type: 'string'},
	drill: {type: 'string'},
	'read-only': {type: 'boolean', default: false},
	'dry-run': {type: 'boolean', default: false},
	format: {type: 'string', default: 'text'},
	severity: {type: 'string'},
	title: {type: 'string'},
	services: {type: 'string'},
	commander: {type: 'string'},
	eta: {type: 'string'},
	impact: {type: 'string'},
	'root-cause': {type: 'string'},
	resolution: {type: 'string'},
	help: {type: 'boolean', short: 'h', default: false},
	version: {type: 'boolean', default: false},
} as const;

export type CommandLine = {
	/** The subcommand; undefined runs the console. */
	command?: string;
	args: string[];
	flags: {
		config?: string;
		dataDir?: string;
		incident?: string;
		drill?: string;
		readOnly: boolean;
		dryRun: boolean;
		format: string;
		severity?: string;
		title?: string;
		services?: string;
		commander?: string;
		/** What only the responder knows, for `template` and `postmortem`. */
		eta?: string;
		impact?: string;
		rootCause?: string;
		resolution?: string;
		help: boolean;
		version: boolean;
	};
};

/** Parses `argv` (without node and the script); an unknown flag or a missing value is a UsageError. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
	let parsed;
	try {
		parsed = parseArgs({args: [...argv], options, allowPositionals: true, strict: true});
	} catch (error) {
		// Node's messages carry a hint about "--" that does not apply here.
		const message = messageOf(error).split('. ')[0]!;
		throw new UsageError(`${message.charAt(0).toLowerCase()}${message.slice(1)} (see warroom --help)`);
	}
	const {values, positionals} = parsed;
	const [command, ...args] = positionals;
	return {
		...(command === undefined ? {} : {command}),
		args,
		flags: {
			config: values.config,
			dataDir: values['data-dir'],
			incident: values.incident,
			drill: values.drill,
			readOnly: values['read-only'],
			dryRun: values['dry-run'],
			format: values.format,
			severity: values.severity,
			title: values.title,
			services: values.services,
			commander: values.commander,
			eta: values.eta,
			impact: values.impact,
			rootCause: values['root-cause'],
			resolution: values.resolution,
			help: values.help,
			version: values.version,
		},
	};
}
