import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {loadConfig, parseConfig} from '../../source/config/load';
import {ConfigError} from '../../source/errors';
import {messageThrown} from '../helpers/errors';
import {withDefaultCluster} from '../../source/config/settings';
import {emptyConfig as startupConfig, type Config} from '../../source/config/types';

const baseDir = '/srv/warroom';

/** What every check gets when the config says nothing of its damping. */
const damping = {failAfter: 2, recoverAfter: 2};
/** The timeout, interval and damping of a check that says nothing of them. */
const checkDefaults = {timeoutMs: 3000, intervalMs: 10_000, damping};
const httpDefaults = {method: 'GET', expectStatus: [], followRedirects: true};

const parse = (text: string, env: Record<string, string | undefined> = {}) => parseConfig(text, 'warroom.yaml', {baseDir, env});

/** The one line a user would read for a bad config. */
const errorOf = (run: () => unknown) => messageThrown(run, ConfigError);

const emptyConfig: Config = {
	health: [],
	incidents: {},
	runbooks: {dirs: []},
	contacts: [],
	publicEnv: [],
	secrets: [],
};

const fullExample = `
kubernetes:                      # omitted: the current kubectl context, all namespaces
  context: prod
  namespaces: [shop, jobs]
postgres:                        # omitted: DATABASE_URL, else libpq's PG* variables
  url: \${DATABASE_URL}
  longQuery: 5m
health:                          # one of http | tls | tcp | command per check
  - name: api
    http: https://api.example.com/health
    headers: { Authorization: "Bearer \${API_TOKEN}" }
    timeout: 3s
    interval: 10s
  - name: api-cert
    tls: api.example.com:443
  - name: db-port
    tcp: db.internal:5432
  - name: critical-checks
    command: [python, scripts/run_health_checks.py, --critical-only]
incidents:
  dir: ./incidents               # the journal's data directory
runbooks:
  dirs: [./our-runbooks]         # added to the built-in runbooks/
contacts:
  - { role: Incident Commander, primary: "@alice (Slack)", secondary: "@bob (Slack)" }
publicEnv: [KUBE_CONTEXT]        # env variables whose values may be shown (all others are secrets)
`;

const fullEnv = {DATABASE_URL: 'postgres://app:s3cret@db.internal/shop', API_TOKEN: 'tok-123456'};

describe('parseConfig', () => {
	it('normalises the full example', () => {
		expect(parse(fullExample, fullEnv)).toEqual({
			kubernetes: {context: 'prod', namespaces: ['shop', 'jobs'], production: 'prod', watch: true},
			postgres: {url: 'postgres://app:s3cret@db.internal/shop', longQueryMs: 300_000},
			health: [
				{
					name: 'api',
					kind: 'http',
					target: {url: 'https://api.example.com/health'},
					headers: {Authorization: 'Bearer tok-123456'},
					...httpDefaults,
					...checkDefaults,
				},
				{
					name: 'api-cert',
					kind: 'tls',
					target: {host: 'api.example.com', port: 443},
					warnDays: 14,
					...checkDefaults,
				},
				{name: 'db-port', kind: 'tcp', target: {host: 'db.internal', port: 5432}, ...checkDefaults},
				{
					name: 'critical-checks',
					kind: 'command',
					target: {argv: ['python', 'scripts/run_health_checks.py', '--critical-only']},
					env: {},
					...checkDefaults,
				},
			],
			incidents: {dir: '/srv/warroom/incidents'},
			runbooks: {dirs: ['/srv/warroom/our-runbooks']},
			contacts: [{role: 'Incident Commander', primary: '@alice (Slack)', secondary: '@bob (Slack)'}],
			publicEnv: ['KUBE_CONTEXT'],
			secrets: ['postgres://app:s3cret@db.internal/shop', 's3cret', 'tok-123456', 'Bearer tok-123456'],
		});
	});

	it('reads an empty file as the empty config', () => {
		expect(parse('')).toEqual(emptyConfig);
	});

	it('reads a file with only comments as the empty config', () => {
		expect(parse('# nothing configured yet\n\n# kubernetes:\n#   context: prod\n')).toEqual(emptyConfig);
	});

	it('leaves kubernetes and postgres out when they are not configured', () => {
		const config = parse('contacts: []\n');
		expect(config).not.toHaveProperty('kubernetes');
		expect(config).not.toHaveProperty('postgres');
		expect(config.file).toBeUndefined();
	});

	it('fills in the defaults of each section', () => {
		const config = parse(`
kubernetes: {context: staging}
postgres: {}
health:
  - {name: api, http: 'http://localhost:8080/health'}
  - {name: cert, tls: api.example.com}
  - {name: v6, tcp: '[::1]:6379'}
  - {name: quick, command: [/bin/true], timeout: 500ms, interval: 1h}
runbooks: {}
incidents: {}
`);
		expect(config.kubernetes).toEqual({context: 'staging', namespaces: [], production: 'prod', watch: true});
		expect(config.postgres).toEqual({longQueryMs: 300_000});
		expect(config.health).toEqual([
			{
				name: 'api',
				kind: 'http',
				target: {url: 'http://localhost:8080/health'},
				headers: {},
				...httpDefaults,
				...checkDefaults,
			},
			{
				name: 'cert',
				kind: 'tls',
				target: {host: 'api.example.com', port: 443},
				warnDays: 14,
				...checkDefaults,
			},
			{name: 'v6', kind: 'tcp', target: {host: '::1', port: 6379}, ...checkDefaults},
			{
				name: 'quick',
				kind: 'command',
				target: {argv: ['/bin/true']},
				env: {},
				timeoutMs: 500,
				intervalMs: 3_600_000,
				damping,
			},
		]);
		expect(config.runbooks).toEqual({dirs: []});
		expect(config.incidents).toEqual({});
	});

	it('reads what each kind of check may say, resolving paths against the config file', () => {
		const config = parse(`
health:
  - {name: api, http: 'http://localhost/health', method: HEAD, expectStatus: [200, 204], bodyContains: ok, followRedirects: false, failAfter: 3, recoverAfter: 1}
  - {name: cert, tls: 'localhost:8443', sni: api.example.com, warnDays: 30, ca: certs/ca.pem}
  - {name: script, command: [./check.sh], cwd: scripts, env: {MODE: critical}}
  - {name: teapot, http: 'http://localhost/', expectStatus: 418}
`);
		expect(config.health).toMatchObject([
			{
				method: 'HEAD',
				expectStatus: [200, 204],
				bodyContains: 'ok',
				followRedirects: false,
				damping: {failAfter: 3, recoverAfter: 1},
			},
			{sni: 'api.example.com', warnDays: 30, ca: '/srv/warroom/certs/ca.pem'},
			{cwd: '/srv/warroom/scripts', env: {MODE: 'critical'}},
			{expectStatus: [418]},
		]);
	});

	it('resolves absolute directories as they are', () => {
		const config = parse('incidents: {dir: /var/lib/warroom}\nrunbooks: {dirs: [../shared/runbooks, /opt/runbooks]}\n');
		expect(config.incidents.dir).toBe('/var/lib/warroom');
		expect(config.runbooks.dirs).toEqual(['/srv/shared/runbooks', '/opt/runbooks']);
	});
});

describe('parseConfig errors', () => {
	it.each([
		[
			'an unknown key at the top level',
			'helth: []\n',
			'warroom.yaml: helth: unknown key (expected one of kubernetes, postgres, health, incidents, runbooks, contacts, notify, publicEnv)',
		],
		[
			'an unknown nested key',
			'kubernetes:\n  contex: prod\n',
			'warroom.yaml: kubernetes.contex: unknown key (expected one of context, namespaces, production, kubectl, watch)',
		],
		[
			'an unknown key in a health check',
			'health:\n  - name: api\n    http: https://api.example.com\n    timout: 3s\n',
			'warroom.yaml: health[0].timout: unknown key (expected one of name, http, tls, tcp, command, headers, method, expectStatus, bodyContains, followRedirects, sni, ca, warnDays, cwd, env, failAfter, recoverAfter, timeout, interval)',
		],
		[
			'a key another kind of check takes',
			'health:\n  - {name: db, tcp: "db:5432", warnDays: 3}\n',
			'warroom.yaml: health[0].warnDays: only tls checks take warnDays',
		],
		[
			'a status that is not one',
			'health:\n  - {name: api, http: "http://api/", expectStatus: 2000}\n',
			'warroom.yaml: health[0].expectStatus: expected a status from 100 to 599',
		],
		[
			'a damping of zero',
			'health:\n  - {name: db, tcp: "db:5432", failAfter: 0}\n',
			'warroom.yaml: health[0].failAfter: expected 1 or more',
		],
		[
			'a method in lower case',
			'health:\n  - {name: api, http: "http://api/", method: get}\n',
			'warroom.yaml: health[0].method: expected an HTTP method like GET or HEAD',
		],
		[
			'a bad duration',
			'health:\n  - name: api\n    http: https://api.example.com\n    timeout: 3 sec\n',
			'warroom.yaml: health[0].timeout: expected a duration like 500ms, 3s, 5m, 2h or 1d, got "3 sec"',
		],
		[
			'a number where a duration belongs',
			'postgres:\n  longQuery: 5\n',
			'warroom.yaml: postgres.longQuery: expected a duration like 500ms, 3s, 5m, 2h or 1d, got 5',
		],
		[
			'two kinds in one check',
			'health:\n  - {name: api, http: https://api.example.com}\n  - {name: db, http: https://db.example.com, tcp: db:5432}\n',
			'warroom.yaml: health[1]: expected exactly one of http, tls, tcp, command',
		],
		[
			'no kind in a check',
			'health:\n  - name: api\n',
			'warroom.yaml: health[0]: expected exactly one of http, tls, tcp, command',
		],
		[
			'duplicate check names',
			'health:\n  - {name: api, http: https://a.example.com}\n  - {name: db, tcp: db:5432}\n  - {name: api, tls: a.example.com}\n',
			'warroom.yaml: health[2].name: duplicate name "api" (also health[0])',
		],
		[
			'check names that are the same once their control characters are removed',
			'health:\n  - {name: "a\\ab", tcp: db:5432}\n  - {name: ab, tcp: db:5433}\n',
			'warroom.yaml: health[1].name: duplicate name "ab" (also health[0])',
		],
		[
			'a check name of only control characters',
			'health:\n  - {name: "\\a\\e[0m", tcp: db:5432}\n',
			'warroom.yaml: health[0].name: expected a non-empty string',
		],
		[
			'a tcp check without a port',
			'health:\n  - {name: db, tcp: db.internal}\n',
			'warroom.yaml: health[0].tcp: expected host:port, got "db.internal"',
		],
		[
			'a bad tls target',
			'health:\n  - {name: c, tls: "a.example.com:https"}\n',
			'warroom.yaml: health[0].tls: expected host or host:port, got "a.example.com:https"',
		],
		[
			'an http check that is not an http URL',
			'health:\n  - {name: api, http: ftp://files.example.com}\n',
			'warroom.yaml: health[0].http: expected an http:// or https:// URL, got "ftp://files.example.com"',
		],
		[
			'headers on a check that is not http',
			'health:\n  - {name: db, tcp: db:5432, headers: {A: b}}\n',
			'warroom.yaml: health[0].headers: only http checks take headers',
		],
		[
			'a command written as a shell line',
			'health:\n  - {name: c, command: python run.py}\n',
			'warroom.yaml: health[0].command: expected a list like [program, argument, …], got "python run.py"',
		],
		[
			'an empty command',
			'health:\n  - {name: c, command: []}\n',
			'warroom.yaml: health[0].command: expected at least the program to run',
		],
		[
			'a check without a name',
			'health:\n  - {http: https://a.example.com}\n',
			'warroom.yaml: health[0].name: missing (expected a string)',
		],
		[
			'an empty name',
			'health:\n  - {name: "", http: https://a.example.com}\n',
			'warroom.yaml: health[0].name: expected a non-empty string',
		],
		[
			'a string where a list belongs',
			'kubernetes:\n  namespaces: shop\n',
			'warroom.yaml: kubernetes.namespaces: expected a list, got "shop"',
		],
		[
			'a namespace that is not a Kubernetes name',
			'kubernetes:\n  namespaces: [shop, --all-namespaces]\n',
			'warroom.yaml: kubernetes.namespaces[1]: expected a Kubernetes namespace like shop-prod (lower-case letters, digits and -), got "--all-namespaces"',
		],
		['a section left empty', 'postgres:\n', 'warroom.yaml: postgres: expected a mapping, got an empty value'],
		[
			'a header that is not a string',
			'health:\n  - {name: a, http: https://a.example.com, headers: {X-Retries: 3}}\n',
			'warroom.yaml: health[0].headers.X-Retries: expected a string, got 3',
		],
		[
			'a contact without a primary',
			'contacts:\n  - {role: Scribe}\n',
			'warroom.yaml: contacts[0].primary: missing (expected a string)',
		],
		[
			'a bad publicEnv name',
			'publicEnv: [KUBE CONTEXT]\n',
			'warroom.yaml: publicEnv[0]: expected a variable name like KUBE_CONTEXT',
		],
		[
			'a list at the top level',
			'- name: api\n',
			'warroom.yaml: expected a mapping of settings (key: value) at the top level, got a list',
		],
		[
			'a scalar at the top level',
			'just some text\n',
			'warroom.yaml: expected a mapping of settings (key: value) at the top level, got "just some text"',
		],
		[
			'a YAML syntax error',
			'health:\n  - name: api\n    http: [https://api.example.com\ncontacts: []\n',
			'warroom.yaml: line 4: Flow sequence in block collection must be sufficiently indented and end with a ]',
		],
		[
			'a production pattern that is no regular expression',
			'kubernetes:\n  production: "prod(["\n',
			'warroom.yaml: kubernetes.production: expected a regular expression like prod|live, got "prod(["',
		],
		['a key given twice', 'kubernetes:\n  context: a\n  context: b\n', 'warroom.yaml: line 3: Map keys must be unique'],
		[
			'a ${ that starts no reference',
			'postgres:\n  url: postgres://db/${ shop }\n',
			'warroom.yaml: postgres.url: expected ${NAME} after "${" (write $${ for a literal ${)',
		],
		[
			'a format warroom does not post',
			'notify:\n  webhooks: [{name: a, url: "http://h/x", format: teams}]\n',
			'warroom.yaml: notify.webhooks[0].format: expected one of slack, json, got "teams"',
		],
		[
			'a moment that is none',
			'notify:\n  webhooks: [{name: a, url: "http://h/x", format: json, on: [paged]}]\n',
			'warroom.yaml: notify.webhooks[0].on[0]: expected one of declared, update, resolved, got "paged"',
		],
		[
			'a webhook named twice',
			'notify:\n  webhooks: [{name: a, url: "http://h/x", format: json}, {name: a, url: "http://h/y", format: json}]\n',
			'warroom.yaml: notify.webhooks[1].name: duplicate name "a" (also webhooks[0])',
		],
		[
			'a PagerDuty without its routing key',
			'notify:\n  pagerduty: {url: "http://127.0.0.1:9/v2/enqueue"}\n',
			'warroom.yaml: notify.pagerduty.routingKey: missing (expected a string)',
		],
	])('reports %s', (_, text, message) => {
		expect(errorOf(() => parse(text))).toBe(message);
	});

	it('reports a variable that is not set, with where it is used', () => {
		expect(errorOf(() => parse(fullExample, {DATABASE_URL: 'postgres://db/shop'}))).toBe(
			'warroom.yaml: ${API_TOKEN} is not set in the environment (at health[0].headers.Authorization)',
		);
	});

	it('names the file as the user gave it', () => {
		const message = errorOf(() => parseConfig('kubernetes: {contex: a}\n', 'conf/prod.yaml', {baseDir, env: {}}));
		expect(message).toBe(
			'conf/prod.yaml: kubernetes.contex: unknown key (expected one of context, namespaces, production, kubectl, watch)',
		);
	});

	it('never echoes a secret value in an error', () => {
		expect(errorOf(() => parse('postgres:\n  longQuery: ${LONG_QUERY}\n', {LONG_QUERY: 'five minutes'}))).toBe(
			'warroom.yaml: postgres.longQuery: expected a duration like 500ms, 3s, 5m, 2h or 1d, got "•••"',
		);
	});
});

describe('secrets in errors', () => {
	/** A secret of `length` characters that no message would contain by chance. */
	const secretOf = (length: number) => Array.from({length}, (_, index) => 'Qz7Xk9Wv'[index % 8]).join('');
	/** Not even four characters in a row of the secret may show. */
	function expectNoPartOf(secret: string, message: string) {
		for (let start = 0; start + 4 <= secret.length; start++) expect(message).not.toContain(secret.slice(start, start + 4));
	}

	it.each([8, 45, 200])('masks a %i-character password in a URL read from the environment, however long', length => {
		const secret = secretOf(length);
		const message = errorOf(() =>
			parse('health:\n  - {name: h, http: "${HEALTH_URL}"}\n', {HEALTH_URL: `htps://monitor:${secret}@host`}),
		);
		expect(message).toMatch(/^warroom.yaml: health\[0\].http: expected an http:\/\/ or https:\/\/ URL, got "/);
		expectNoPartOf(secret, message);
	});

	it.each([8, 45, 200])('masks a %i-character password written literally in a URL, however long', length => {
		const secret = secretOf(length);
		const message = errorOf(() => parse(`health:\n  - {name: f, http: "ftp://admin:${secret}@host"}\n`));
		expect(message).toMatch(/^warroom.yaml: health\[0\].http: expected an http:\/\/ or https:\/\/ URL, got "ftp:\/\/admin:/);
		expectNoPartOf(secret, message);
	});

	it.each([8, 45, 200])('masks a %i-character credential header wherever else the bad value repeats it', length => {
		const secret = secretOf(length);
		const message = errorOf(() =>
			parse(`health:\n  - {name: f, http: "htp://api/health?token=${secret}", headers: {Authorization: "Bearer ${secret}"}}\n`),
		);
		expect(message).toMatch(
			/^warroom.yaml: health\[0\].http: expected an http:\/\/ or https:\/\/ URL, got "htp:\/\/api\/health\?token=/,
		);
		expectNoPartOf(secret, message);
	});

	it('masks a secret holding a quote or a backslash, which the message shows escaped', () => {
		expect(errorOf(() => parse('health:\n  - {name: db, tcp: "${TOKEN}"}\n', {TOKEN: 'se"cret\\value'}))).toBe(
			'warroom.yaml: health[0].tcp: expected host:port, got "•••"',
		);
	});

	it('never echoes a value under a credential-like key, whatever its type', () => {
		expect(
			errorOf(() => parse('health:\n  - {name: a, http: https://a.example.com, headers: {X-Api-Key: 123456789012345}}\n')),
		).toBe('warroom.yaml: health[0].headers.X-Api-Key: expected a string, got a value (hidden)');
		expect(errorOf(() => parse('health:\n  - {name: a, http: https://a.example.com, headers: {Authorization: 42}}\n'))).toBe(
			'warroom.yaml: health[0].headers.Authorization: expected a string, got a value (hidden)',
		);
	});

	it('still cuts a long value it may show', () => {
		expect(errorOf(() => parse(`health:\n  - {name: c, tcp: ${'a'.repeat(100)}}\n`))).toBe(
			`warroom.yaml: health[0].tcp: expected host:port, got "${'a'.repeat(57)}…"`,
		);
	});
});

describe('${NAME} interpolation', () => {
	it('replaces every reference in a string value, and reads $${ as a literal ${', () => {
		const config = parse(
			'health:\n  - name: api\n    http: "https://${HOST}:${PORT}/health?q=$${raw}"\n    headers: {X-Trace: "${HOST}-$${HOST}"}\n',
			{HOST: 'api.example.com', PORT: '8443'},
		);
		expect(config.health[0]).toMatchObject({
			target: {url: 'https://api.example.com:8443/health?q=${raw}'},
			headers: {'X-Trace': 'api.example.com-${HOST}'},
		});
	});

	it('reads values inside lists and nested mappings, and leaves keys and numbers alone', () => {
		const config = parse(
			'kubernetes:\n  namespaces: ["${NS}", jobs]\nhealth:\n  - {name: c, command: [echo, "${NS}"], timeout: 0}\n',
			{NS: 'shop'},
		);
		expect(config.kubernetes?.namespaces).toEqual(['shop', 'jobs']);
		expect(config.health[0]).toMatchObject({target: {argv: ['echo', 'shop']}, timeoutMs: 0});
	});

	it('accepts a variable set to the empty string', () => {
		const config = parse('kubernetes:\n  context: "prod${SUFFIX}"\n', {SUFFIX: ''});
		expect(config.kubernetes?.context).toBe('prod');
		expect(config.secrets).toEqual([]);
	});
});

describe('secrets', () => {
	it('collects the values read from the environment', () => {
		const config = parse('kubernetes:\n  context: ${KUBE_CONTEXT}\n  namespaces: ["${NS}"]\n', {
			KUBE_CONTEXT: 'prod-eu',
			NS: 'payments',
		});
		expect(config.secrets).toEqual(['prod-eu', 'payments']);
	});

	it('does not collect the values of publicEnv variables', () => {
		const config = parse('kubernetes:\n  context: ${KUBE_CONTEXT}\n  namespaces: ["${NS}"]\npublicEnv: [KUBE_CONTEXT]\n', {
			KUBE_CONTEXT: 'prod-eu',
			NS: 'payments',
		});
		expect(config.secrets).toEqual(['payments']);
	});

	it('collects a password written literally in a URL, even from a public variable', () => {
		const config = parse(
			'postgres:\n  url: postgres://app:literal-pw@db/shop\nhealth:\n  - {name: api, http: "https://${WHO}@api.example.com/health"}\npublicEnv: [WHO]\n',
			{WHO: 'probe:probe-pw'},
		);
		expect(config.secrets).toEqual(['literal-pw', 'probe-pw']);
	});

	it('collects credential headers written literally, but not other headers', () => {
		const config = parse(`
health:
  - name: api
    http: https://api.example.com/health
    headers:
      Authorization: Bearer literal-token
      X-Api-Key: k-0123456789
      Cookie: session=abc123
      Accept: application/json
`);
		expect(config.secrets).toEqual(['Bearer literal-token', 'literal-token', 'k-0123456789', 'session=abc123']);
	});

	it('lists each secret once', () => {
		const config = parse('kubernetes:\n  context: ${TOKEN}\n  namespaces: ["${TOKEN}"]\n', {TOKEN: 'same-value'});
		expect(config.secrets).toEqual(['same-value']);
	});
});

describe('loadConfig', () => {
	const root = mkdtempSync(path.join(tmpdir(), 'warroom-config-'));
	afterAll(() => rmSync(root, {recursive: true, force: true}));

	function folder(name: string, files: Record<string, string> = {}): string {
		const dir = path.join(root, name);
		mkdirSync(dir, {recursive: true});
		for (const [file, text] of Object.entries(files)) {
			mkdirSync(path.dirname(path.join(dir, file)), {recursive: true});
			writeFileSync(path.join(dir, file), text);
		}
		return dir;
	}

	it('reads warroom.yaml from the working directory when no path is given', () => {
		const cwd = folder('default', {'warroom.yaml': 'incidents: {dir: ./incidents}\n'});
		const config = loadConfig({cwd, env: {}});
		expect(config.file).toBe(path.join(cwd, 'warroom.yaml'));
		expect(config.incidents.dir).toBe(path.join(cwd, 'incidents'));
	});

	it('resolves directories against the folder of the file it was given', () => {
		const cwd = folder('explicit', {'conf/prod.yaml': 'incidents: {dir: ./incidents}\nrunbooks: {dirs: [../runbooks]}\n'});
		const config = loadConfig({path: 'conf/prod.yaml', cwd, env: {}});
		expect(config.file).toBe(path.join(cwd, 'conf', 'prod.yaml'));
		expect(config.incidents.dir).toBe(path.join(cwd, 'conf', 'incidents'));
		expect(config.runbooks.dirs).toEqual([path.join(cwd, 'runbooks')]);
	});

	it('gives the empty config when there is no file and none was asked for', () => {
		expect(loadConfig({cwd: folder('none'), env: {}})).toEqual(emptyConfig);
	});

	it('reports a file it was given that does not exist', () => {
		const cwd = folder('missing');
		expect(errorOf(() => loadConfig({path: 'missing.yaml', cwd, env: {}}))).toBe(
			'missing.yaml: cannot read: no such file (ENOENT)',
		);
	});

	it('reports errors with the path as the user gave it', () => {
		const cwd = folder('bad', {'conf/warroom.yaml': 'health:\n  - {name: api, http: https://a.example.com, timeout: soon}\n'});
		expect(errorOf(() => loadConfig({path: 'conf/warroom.yaml', cwd, env: {}}))).toBe(
			'conf/warroom.yaml: health[0].timeout: expected a duration like 500ms, 3s, 5m, 2h or 1d, got "soon"',
		);
	});
});

describe('no config file', () => {
	it('is the same empty config the console starts with when it reads none', () => {
		expect(parseConfig('', 'warroom.yaml', {baseDir: '/srv', env: {}})).toEqual(startupConfig);
	});
});

describe('a config without a kubernetes section', () => {
	const home = mkdtempSync(path.join(tmpdir(), 'warroom-home-'));
	afterAll(() => rmSync(home, {recursive: true, force: true}));
	const everyNamespace = {namespaces: [], production: 'prod', watch: true};

	it('reads no cluster when kubectl has no kubeconfig', () => {
		expect(withDefaultCluster(emptyConfig, {}, home).kubernetes).toBeUndefined();
	});

	it('reads kubectl’s current context in every namespace when KUBECONFIG is set, or ~/.kube/config exists', () => {
		expect(withDefaultCluster(emptyConfig, {KUBECONFIG: '/etc/kube/config'}, home).kubernetes).toEqual(everyNamespace);
		mkdirSync(path.join(home, '.kube'));
		writeFileSync(path.join(home, '.kube', 'config'), 'apiVersion: v1\n');
		expect(withDefaultCluster(emptyConfig, {}, home).kubernetes).toEqual(everyNamespace);
	});

	it('keeps a kubernetes section as the config gives it', () => {
		const config = {...emptyConfig, kubernetes: {...everyNamespace, context: 'prod-eu', namespaces: ['shop']}};
		expect(withDefaultCluster(config, {KUBECONFIG: '/etc/kube/config'}, home)).toBe(config);
	});
});

describe('notify', () => {
	const key = 'K'.repeat(200);
	const slack = `https://hooks.slack.com/services/T0/B0/${'s'.repeat(40)}`;

	it('reads PagerDuty and the webhooks, with PagerDuty’s endpoint, every moment and 10 s by default, their keys and URLs secret', () => {
		const config = parse(
			[
				'notify:',
				'  pagerduty: {routingKey: "${PD_KEY}"}',
				'  webhooks:',
				`    - {name: ops, url: "${slack}", format: slack}`,
				'    - {name: status, url: "${STATUS_URL}", format: json, on: [resolved]}',
				'',
			].join('\n'),
			{PD_KEY: key, STATUS_URL: 'http://127.0.0.1:8080/hook'},
		);
		expect(config.notify).toEqual({
			pagerduty: {routingKey: key, url: 'https://events.pagerduty.com/v2/enqueue'},
			webhooks: [
				{name: 'ops', url: slack, format: 'slack', on: ['declared', 'update', 'resolved']},
				{name: 'status', url: 'http://127.0.0.1:8080/hook', format: 'json', on: ['resolved']},
			],
			timeoutMs: 10_000,
		});
		// A URL written in the file is a secret too: Slack's carries its token.
		expect(config.secrets).toEqual(expect.arrayContaining([key, slack, 'http://127.0.0.1:8080/hook']));
	});

	it('never echoes a webhook URL read from the environment in an error', () => {
		const message = errorOf(() =>
			parse('notify:\n  webhooks: [{name: a, url: "${HOOK}", format: json}]\n', {HOOK: `ftp://h/${key}`}),
		);
		expect(message).toBe('warroom.yaml: notify.webhooks[0].url: expected an http:// or https:// URL, got "•••"');
	});
});
