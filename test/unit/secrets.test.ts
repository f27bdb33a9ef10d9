import {describe, expect, it} from 'vitest';
import {createRedactor, maskUrlPassword, urlPasswords} from '../../source/config/secrets';

describe('createRedactor', () => {
	it('masks every occurrence of every secret in arbitrary text', () => {
		const redact = createRedactor(['tok123', 'hunter2']);
		expect(redact('curl -H "Authorization: Bearer tok123" → 401 (token tok123 expired); pw=hunter2')).toBe(
			'curl -H "Authorization: Bearer •••" → 401 (token ••• expired); pw=•••',
		);
	});

	it('masks the longest secret first, so one that contains another is masked whole', () => {
		const redact = createRedactor(['abc', 'abcdef']);
		expect(redact('abcdef and abc')).toBe('••• and •••');
	});

	it('ignores secrets shorter than 3 characters, which would mask everything', () => {
		const redact = createRedactor(['', 'a', '42']);
		expect(redact('a value of 42')).toBe('a value of 42');
	});

	it('treats secrets as plain text, not as patterns', () => {
		const redact = createRedactor(['p@ss.w*rd(1)|x']);
		expect(redact('login p@ss.w*rd(1)|x, not pXssXwrd1')).toBe('login •••, not pXssXwrd1');
	});

	it('masks URL passwords even when they are not known secrets', () => {
		const redact = createRedactor(['tok123']);
		expect(redact('tok123: connecting to postgres://app:hunter2@db:5432/shop failed')).toBe(
			'•••: connecting to postgres://app:•••@db:5432/shop failed',
		);
	});

	it('masks URL passwords with no secrets at all', () => {
		const redact = createRedactor([]);
		expect(redact('DATABASE_URL=postgres://app:hunter2@db/shop')).toBe('DATABASE_URL=postgres://app:•••@db/shop');
	});

	it('masks a secret also as JSON writes it, with its quotes, backslashes and control characters escaped', () => {
		const secret = 'se"cret\\value\n';
		const redact = createRedactor([secret]);
		expect(redact(`got ${JSON.stringify(secret)} and ${secret}`)).toBe('got "•••" and •••');
	});

	it('leaves text without secrets untouched', () => {
		const redact = createRedactor(['tok123']);
		expect(redact('GET https://api.example.com:8443/health 200 in 12ms')).toBe(
			'GET https://api.example.com:8443/health 200 in 12ms',
		);
	});
});

describe('maskUrlPassword', () => {
	it.each([
		['postgres://app:s3cret@db.internal:5432/shop', 'postgres://app:•••@db.internal:5432/shop'],
		['https://user:pw@host/path', 'https://user:•••@host/path'],
		['redis://:pw@cache:6379', 'redis://:•••@cache:6379'],
		['postgres://app:p@ss@db/shop', 'postgres://app:•••@db/shop'],
		['a postgres://a:one@x and https://b:two@y', 'a postgres://a:•••@x and https://b:•••@y'],
		['https://user@host/path', 'https://user@host/path'],
		['http://host:8080/path@x', 'http://host:8080/path@x'],
		['no url here: a:b@c', 'no url here: a:b@c'],
	])('%s → %s', (url, masked) => {
		expect(maskUrlPassword(url)).toBe(masked);
	});
});

describe('urlPasswords', () => {
	it('lists the passwords written in URLs, as written', () => {
		expect(urlPasswords('postgres://app:s3cret@db/shop, https://u:p@ss@h/ and https://host:443/x')).toEqual(['s3cret', 'p@ss']);
	});
});
