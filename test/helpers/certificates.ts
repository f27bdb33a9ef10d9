/**
 * Certificates for the TLS checks' tests, made with the machine's `openssl`:
 * a test CA, leaf certificates it signs with any validity and names
 * (expired ones too, through `openssl ca`), and a self-signed one.
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export type KeyPair = {key: string; cert: string};

const caConfig = `[ca]
default_ca = test
[test]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = anything
x509_extensions = leaf
unique_subject = no
[anything]
organizationName = optional
commonName = supplied
[leaf]
subjectAltName = $ENV::SAN
`;

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** `YYYYMMDDHHMMSSZ`, as `openssl ca` takes a date. */
const opensslDate = (at: number) => `${new Date(at).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

export class TestCertificates {
	readonly dir = mkdtempSync(join(tmpdir(), 'warroom-certs-'));
	readonly caFile = join(this.dir, 'ca.pem');
	private count = 0;

	constructor() {
		writeFileSync(join(this.dir, 'ca.cnf'), caConfig);
		writeFileSync(join(this.dir, 'index.txt'), '');
		writeFileSync(join(this.dir, 'serial'), '01\n');
		this.openssl([
			'req',
			'-x509',
			...ecKey,
			'-keyout',
			'ca.key',
			'-out',
			'ca.pem',
			'-days',
			'30',
			'-subj',
			'/O=Warroom Test CA/CN=Warroom Test CA',
		]);
	}

	private openssl(args: string[], env: Record<string, string> = {}): void {
		execFileSync('openssl', args, {cwd: this.dir, stdio: 'pipe', env: {...process.env, ...env}});
	}

	private read(name: string): KeyPair {
		return {key: readFileSync(join(this.dir, `${name}.key`), 'utf8'), cert: readFileSync(join(this.dir, `${name}.pem`), 'utf8')};
	}

	/** A certificate the test CA signs for `names` (DNS names), valid from `notBefore` to `notAfter` (epoch ms); `subject` as `-subj` takes it. */
	signed(options: {names: string[]; notBefore: number; notAfter: number; subject?: string}): KeyPair {
		const name = `leaf${++this.count}`;
		this.openssl([
			'req',
			...ecKey,
			'-keyout',
			`${name}.key`,
			'-out',
			`${name}.csr`,
			'-subj',
			options.subject ?? `/CN=${options.names[0]}`,
		]);
		const san = options.names.map(dns => `DNS:${dns}`).join(',');
		this.openssl(
			[
				'ca',
				'-batch',
				'-config',
				'ca.cnf',
				'-cert',
				'ca.pem',
				'-keyfile',
				'ca.key',
				'-in',
				`${name}.csr`,
				'-out',
				`${name}.pem`,
				'-notext',
			].concat(['-startdate', opensslDate(options.notBefore), '-enddate', opensslDate(options.notAfter)]),
			{SAN: san},
		);
		return this.read(name);
	}

	/** A certificate that signs itself: its chain cannot verify. */
	selfSigned(names: string[]): KeyPair {
		const name = `self${++this.count}`;
		const san = names.map(dns => `DNS:${dns}`).join(',');
		this.openssl([
			'req',
			'-x509',
			...ecKey,
			'-keyout',
			`${name}.key`,
			'-out',
			`${name}.pem`,
			'-days',
			'30',
			'-subj',
			`/CN=${names[0]}`,
			'-addext',
			`subjectAltName=${san}`,
		]);
		return this.read(name);
	}

	remove(): void {
		rmSync(this.dir, {recursive: true, force: true});
	}
}
