import {describe, expect, it} from 'vitest';
import {
	describeArgv,
	logsArgv,
	rolloutRestartArgv,
	rolloutUndoArgv,
	scaleArgv,
	undoRevision,
} from '../../source/sources/kubernetes/kubectl-commands';
import {nameProblem, namesProblem} from '../../source/sources/kubernetes/kubernetes-names';
import {isProductionContext} from '../../source/sources/kubernetes/production-context';
import type {Deployment} from '../../source/sources/types';

const target = {kubectl: 'kubectl', context: 'prod-eu', namespace: 'shop'};

describe('the kubectl commands', () => {
	it('pin the context and the namespace before the verb', () => {
		expect(rolloutUndoArgv(target, 'api-gateway', 6)).toEqual([
			'kubectl',
			'--context',
			'prod-eu',
			'-n',
			'shop',
			'rollout',
			'undo',
			'deployment/api-gateway',
			'--to-revision=6',
		]);
		expect(rolloutRestartArgv(target, 'api-gateway').slice(5)).toEqual(['rollout', 'restart', 'deployment/api-gateway']);
		expect(scaleArgv(target, 'api-gateway', 0).slice(5)).toEqual(['scale', 'deployment/api-gateway', '--replicas=0']);
		expect(describeArgv(target, 'pod', 'api-7f-x2k4j').slice(5)).toEqual(['describe', 'pod', 'api-7f-x2k4j']);
	});

	it('run the configured kubectl', () => {
		expect(scaleArgv({...target, kubectl: '/opt/kube/bin/kubectl'}, 'web', 2)[0]).toBe('/opt/kube/bin/kubectl');
	});

	it("read a pod's last lines from every container, and the previous instance's when asked", () => {
		expect(logsArgv(target, 'api-7f-x2k4j', false).slice(5)).toEqual([
			'logs',
			'api-7f-x2k4j',
			'--all-containers',
			'--tail=200',
			'--timestamps',
		]);
		// A sidecar that never crashed has no previous instance: its error must not end the others'.
		expect(logsArgv(target, 'api-7f-x2k4j', true).slice(-2)).toEqual(['--previous', '--ignore-errors']);
	});
});

const deployment = (revision: number, revisions: number[]): Deployment => ({
	namespace: 'shop',
	name: 'api-gateway',
	desired: 3,
	ready: 0,
	updated: 3,
	available: 0,
	revision,
	images: [`gateway:${revision}`],
	history: revisions.map(number => ({revision: number, replicaSet: `api-gateway-r${number}`, images: [`gateway:${number}`]})),
});

describe('the revision rollout undo returns to', () => {
	it('is the newest one older than the running one', () => {
		expect(undoRevision(deployment(7, [7, 6, 5]))).toEqual({revision: 6, replicaSet: 'api-gateway-r6', images: ['gateway:6']});
	});

	it('does not depend on the order the history is listed in', () => {
		expect(undoRevision(deployment(9, [4, 9, 8, 2]))?.revision).toBe(8);
	});

	it('skips newer revisions (the running one is an undo to an old template)', () => {
		expect(undoRevision(deployment(5, [7, 6, 5, 3]))?.revision).toBe(3);
	});

	it('is none when the running revision is the only one kept', () => {
		expect(undoRevision(deployment(1, [1]))).toBeUndefined();
	});
});

describe('the names put on the command line', () => {
	it('accepts Kubernetes names and kubeconfig context names', () => {
		expect(nameProblem('pod', 'api-gateway-7d9f8b6c5-x2k4j')).toBeUndefined();
		expect(nameProblem('deployment', 'web.v2')).toBeUndefined();
		expect(nameProblem('namespace', 'shop-prod')).toBeUndefined();
		expect(nameProblem('context', 'arn:aws:eks:eu-west-1:123456789012:cluster/prod')).toBeUndefined();
		expect(nameProblem('context', 'gke_shop_europe-west1_prod-eu')).toBeUndefined();
	});

	it.each([
		['an escape sequence', 'pod', 'api\u001B[2J\u001B]0;pwned\u0007', /^pod name "api" is not a DNS-1123 subdomain/],
		['an option', 'pod', '--kubeconfig=/x', /^pod name "--kubeconfig=\/x" is not a DNS-1123 subdomain/],
		['a space', 'deployment', 'api gateway', /^deployment name "api gateway" is not/],
		['capitals', 'deployment', 'API-Gateway', /^deployment name "API-Gateway" is not/],
		['64 characters', 'namespace', 'a'.repeat(64), /^namespace name "a{40}… \(64 characters\)" is not a DNS label/],
		['300 characters', 'pod', 'a'.repeat(300), /\(300 characters\)/],
		['a bidi override', 'pod', 'api\u202Egateway', /^pod name "apigateway" is not/],
		[
			'an option',
			'context',
			'--kubeconfig=/x',
			/^context name "--kubeconfig=\/x" is not printable, no spaces, not starting with -/,
		],
		['a space', 'context', 'prod eu', /^context name "prod eu" is not/],
		['an escape sequence', 'context', 'prod\u001B[31m', /^context name "prod" is not/],
		['300 characters', 'context', 'p'.repeat(300), /\(300 characters\)/],
	] as const)('refuses %s in a %s name, saying why and showing it clean', (_what, kind, value, message) => {
		expect(nameProblem(kind, value)).toMatch(message);
	});

	it('reports the first problem among several', () => {
		expect(
			namesProblem([
				['context', 'prod'],
				['namespace', 'Shop'],
				['pod', '-x'],
			]),
		).toMatch(/^namespace name "Shop"/);
		expect(namesProblem([['pod', 'web-1']])).toBeUndefined();
	});
});

describe('a production context', () => {
	it('is by default any context whose name contains "prod", whatever its case', () => {
		expect(isProductionContext('prod-eu')).toBe(true);
		expect(isProductionContext('gke_shop_PROD')).toBe(true);
		expect(isProductionContext('staging-eu')).toBe(false);
	});

	it("is one the config's pattern matches", () => {
		expect(isProductionContext('live-eu', 'live|prd')).toBe(true);
		expect(isProductionContext('prod-eu', '^prd-')).toBe(false);
	});
});
