/**
 * libpq's password file (PGPASSFILE, else ~/.pgpass), read as libpq reads
 * it, for a connection that has no password of its own (none in the URL,
 * no PGPASSWORD). pg can read it too, but then prints a deprecation warning
 * on stderr, across the console's screen.
 */
import {readFile, stat} from 'node:fs/promises';
import {homedir} from 'node:os';
import {join} from 'node:path';

/** What a line of the file is matched against. */
export type PasswordTarget = {host: string; port: number; database: string; user: string};

/** A line's fields: `:` separates them, `\` escapes `:` and `\`. */
function fieldsOf(line: string): string[] {
	const fields: string[] = [];
	let field = '';
	for (let index = 0; index < line.length; index++) {
		const character = line[index]!;
		if (character === '\\' && index + 1 < line.length) field += line[++index];
		else if (character === ':') {
			fields.push(field);
			field = '';
		} else field += character;
	}
	return [...fields, field];
}

/** The password of the first line matching `target` (`*` matches anything; a socket directory is `localhost`), if any. */
export function passwordFor(text: string, target: PasswordTarget): string | undefined {
	const host = target.host.startsWith('/') ? 'localhost' : target.host;
	const wanted = [host, String(target.port), target.database, target.user];
	for (const line of text.split(/\r?\n/)) {
		if (line.trimStart().startsWith('#')) continue;
		const fields = fieldsOf(line);
		if (fields.length < 5) continue;
		if (wanted.every((value, index) => fields[index] === '*' || fields[index] === value)) return fields.slice(4).join(':');
	}
	return undefined;
}

/** The password the file gives `target`; none when there is no file, or when others may read it (libpq ignores such a file). */
export async function passwordFromFile(target: PasswordTarget, env: NodeJS.ProcessEnv): Promise<string | undefined> {
	const file = env.PGPASSFILE ?? join(homedir(), '.pgpass');
	try {
		const {mode} = await stat(file);
		if ((mode & 0o077) !== 0) return undefined;
		return passwordFor(await readFile(file, 'utf8'), target);
	} catch {
		return undefined;
	}
}
