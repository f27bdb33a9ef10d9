/**
 * The three patch formats kubectl sends, applied as an API server applies
 * them: a JSON patch (RFC 6902, what `rollout undo` sends), a JSON merge
 * patch (RFC 7386, `scale`) and a strategic merge patch, taken here as a
 * merge patch (`rollout restart` only sets an annotation with it).
 */
type Json = unknown;
type Operation = {op: string; path: string; value?: Json};

const isObject = (value: Json): value is Record<string, Json> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 7386: null removes a field, an object merges into an object, anything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
	if (!isObject(patch)) return patch;
	const result: Record<string, Json> = isObject(target) ? {...target} : {};
	for (const [name, value] of Object.entries(patch)) {
		if (value === null) delete result[name];
		else result[name] = mergePatch(result[name], value);
	}
	return result;
}

const unescapeToken = (token: string) => token.replaceAll('~1', '/').replaceAll('~0', '~');

/** RFC 6902's add, replace, remove and test; a path that is not there fails, as the server's 422 would. */
export function jsonPatch(target: Json, operations: Operation[]): Json {
	const document = structuredClone(target) as Record<string, Json>;
	for (const {op, path, value} of operations) {
		const tokens = path.split('/').slice(1).map(unescapeToken);
		const last = tokens.pop();
		let parent: Json = document;
		for (const token of tokens)
			parent = isObject(parent) || Array.isArray(parent) ? (parent as Record<string, Json>)[token] : undefined;
		if (last === undefined || !(isObject(parent) || Array.isArray(parent))) throw new Error(`path ${path} not found`);
		const container = parent as Record<string, Json>;
		if (op === 'test' && JSON.stringify(container[last]) !== JSON.stringify(value)) throw new Error(`test of ${path} failed`);
		if (op === 'remove' || op === 'replace') {
			if (!(last in container)) throw new Error(`path ${path} not found`);
			delete container[last];
		}
		if (op === 'add' || op === 'replace') container[last] = structuredClone(value);
	}
	return document;
}

/** The object after `body`, patched as its content type says. */
export function applyPatch(target: Json, contentType: string, body: Json): Json {
	if (contentType.startsWith('application/json-patch+json')) return jsonPatch(target, body as Operation[]);
	return mergePatch(target, body);
}
