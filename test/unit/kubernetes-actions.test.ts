import {describe, expect, it} from 'vitest';
import type {Action} from '../../source/actions/action';
import type {Prepared, Refusal} from '../../source/actions/command';
import {bindingFor, liveBindings, unboundReason} from '../../source/actions/keys';
import {registry} from '../../source/actions/registry';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {update, type Mode} from '../../source/store';
import type {Deployment, Pod} from '../../source/sources/types';
import {journalOf} from '../helpers/incidents';
import {testDeployment, testPod} from '../helpers/pods';
import {recordingExecutor} from '../helpers/actions';
import {DrillCluster} from '../../source/sources/drill/drill-cluster';
import {panels} from '../../source/view-model/panels';
import {testStore} from '../helpers/store';

const gateway: Deployment = {
	namespace: 'production',
	name: 'api-gateway',
	desired: 3,
	ready: 0,
	updated: 3,
	available: 0,
	revision: 7,
	images: ['registry.example.com/api-gateway:2.15.0'],
	history: [
		{revision: 7, replicaSet: 'api-gateway-7d9f8b6c5', images: ['registry.example.com/api-gateway:2.15.0']},
		{revision: 6, replicaSet: 'api-gateway-5c8d7f9b4', images: ['registry.example.com/api-gateway:2.14.3']},
	],
};

const entry = (id: string): Action => registry.find(action => action.id === id)!;

/** The argument array a prepared action runs; fails the test if it was refused or runs no process. */
function argvOf(prepared: Prepared | Refusal): readonly string[] {
	if ('refused' in prepared) throw new Error(`refused: ${prepared.refused}`);
	if (prepared.command.kind !== 'argv') throw new Error(`not a process: ${prepared.command.kind}`);
	return prepared.command.argv;
}

/** kubectl pinned to the reading's context and the pod's namespace, then these arguments. */
const kubectl = (...args: string[]) => ['kubectl', '--context', 'prod-eu', '-n', 'production', ...args];

/** A console with an incident, and the cluster read with these pods and deployments. */
function setup(
	options: {
		pods?: readonly Pod[];
		deployments?: readonly Deployment[] | undefined;
		context?: string;
		mode?: Partial<Mode>;
		incident?: boolean;
	} = {},
) {
	const store = testStore({mode: options.mode ?? {}});
	const pods = options.pods ?? [testPod('api-gateway-7d9f8b6c5-x2k4j')];
	const deployments = 'deployments' in options ? options.deployments : [gateway];
	update.reading(store, 'kubernetes', {
		state: 'ok',
		data: {
			context: options.context ?? 'prod-eu',
			pods: [...pods],
			healthyCount: 21,
			...(deployments ? {deployments: [...deployments]} : {}),
		},
		fetchedAt: 0,
	});
	if (options.incident !== false)
		store.setState({
			incident: replayIncident('INC-1', journalOf([0, newEvent.declared({title: 'Outage', severity: 'P1', services: []})])),
		});
	const key = `${pods[0]?.namespace}/${pods[0]?.name}`;
	const prepare = (id: string, values = {}) => entry(id).prepare(store.getState(), key, values);
	return {store, prepare};
}

describe('rollout undo (u)', () => {
	it("pins the revision it returns to, and the reading's context and the pod's namespace", () => {
		const prepared = setup().prepare('rollout-undo');
		expect(argvOf(prepared)).toEqual(kubectl('rollout', 'undo', 'deployment/api-gateway', '--to-revision=6'));
		expect(prepared).toMatchObject({
			target: 'production/api-gateway',
			effect:
				'roll api-gateway back from revision 7 (registry.example.com/api-gateway:2.15.0) to revision 6 (registry.example.com/api-gateway:2.14.3)',
			cluster: {context: 'prod-eu', namespace: 'production', production: true},
		});
	});

	it('uses the configured kubectl and, before the cluster says which it read, the configured context', () => {
		const {store} = setup();
		const {data} = store.getState().readings.kubernetes;
		const {context: _read, ...unnamed} = data!;
		update.reading(store, 'kubernetes', {state: 'ok', data: unnamed, fetchedAt: 0});
		store.setState(state => ({
			mode: {...state.mode, kubernetes: {production: 'live', kubectl: '/opt/bin/kubectl', context: 'staging-eu'}},
		}));
		const prepared = entry('rollout-undo').prepare(store.getState(), 'production/api-gateway-7d9f8b6c5-x2k4j', {});
		expect(prepared).toMatchObject({cluster: {context: 'staging-eu', production: false}});
		expect(argvOf(prepared).slice(0, 5)).toEqual(['/opt/bin/kubectl', '--context', 'staging-eu', '-n', 'production']);
	});

	it('is refused, saying why, when there is no earlier revision', () => {
		const only = {...gateway, history: gateway.history.slice(0, 1)};
		expect(setup({deployments: [only]}).prepare('rollout-undo')).toEqual({
			refused: 'api-gateway has no revision before 7 to go back to',
		});
	});

	it('is refused while the deployments are not read yet', () => {
		expect(setup({deployments: undefined}).prepare('rollout-undo')).toEqual({
			refused: 'the deployments are not read yet: try again in a moment',
		});
	});

	it('is refused for a pod no Deployment owns', () => {
		const job = {...testPod('schema-migrate-kq9tx'), namespace: 'jobs', owner: {kind: 'Job', name: 'schema-migrate'}};
		expect(setup({pods: [job]}).prepare('rollout-undo')).toEqual({
			refused: 'jobs/schema-migrate-kq9tx belongs to Job schema-migrate, not to a Deployment',
		});
	});

	it('is refused for a deployment the reading does not have', () => {
		expect(setup({deployments: []}).prepare('rollout-undo')).toEqual({
			refused: "deployment production/api-gateway is not in the cluster's reading",
		});
	});

	it('needs an incident: the timeline is where it is recorded', () => {
		expect(setup({incident: false}).prepare('rollout-undo')).toEqual({refused: 'no incident: declare one first (d)'});
	});
});

describe('a hostile value from the cluster', () => {
	const everyAction = ['rollout-undo', 'rollout-restart', 'scale', 'logs', 'describe'];
	it.each([
		[
			'a pod name with an escape sequence',
			{pods: [testPod('api\u001B]0;pwned\u0007-x')]},
			/^pod name "api-x" is not/,
			everyAction,
		],
		['a pod name that is an option', {pods: [testPod('--kubeconfig=/x')]}, /^pod name "--kubeconfig=\/x" is not/, everyAction],
		['a namespace of 300 characters', {pods: [{...testPod('web-1'), namespace: 'n'.repeat(300)}]}, /300 characters/, everyAction],
		['a context that is an option', {context: '--kubeconfig=/x'}, /^context name "--kubeconfig=\/x" is not/, everyAction],
		['a context with a space', {context: 'prod eu'}, /^context name "prod eu" is not/, everyAction],
		[
			'a deployment name with a space',
			{
				deployments: [{...gateway, name: 'api gateway'}],
				pods: [{...testPod('web-1'), owner: {kind: 'Deployment', name: 'api gateway'}}],
			},
			/^deployment name "api gateway" is not/,
			['rollout-undo', 'rollout-restart', 'scale'],
		],
	] as const)('is refused before any command is built: %s', (_what, options, message, refusedBy) => {
		const {prepare} = setup(options);
		for (const id of refusedBy) expect(prepare(id, {replicas: '1'})).toEqual({refused: expect.stringMatching(message)});
	});
});

describe('rollout restart (R)', () => {
	it('restarts the deployment, with its cluster', () => {
		const prepared = setup().prepare('rollout-restart');
		expect(argvOf(prepared)).toEqual(kubectl('rollout', 'restart', 'deployment/api-gateway'));
		expect(prepared).toMatchObject({
			effect: 'replace every pod of api-gateway (3 replicas), as its rollout strategy allows',
			cluster: {context: 'prod-eu', namespace: 'production'},
		});
	});
});

describe('scale (s)', () => {
	it('opens its form on the current replicas, saying what they are', () => {
		const {store} = setup();
		expect(entry('scale').formOpening!(store.getState(), 'production/api-gateway-7d9f8b6c5-x2k4j')).toEqual({
			values: {replicas: '3'},
			note: 'production/api-gateway: 3 replicas now, 0 ready (0 to 1000)',
		});
	});

	it('does not open its form on a pod no Deployment owns', () => {
		const job = {...testPod('migrate-1'), owner: {kind: 'Job', name: 'migrate'}};
		const {store} = setup({pods: [job]});
		expect(entry('scale').formOpening!(store.getState(), 'production/migrate-1')).toEqual({
			refused: 'production/migrate-1 belongs to Job migrate, not to a Deployment',
		});
	});

	it('asks y/N for a count, and the name typed for 0', () => {
		const {prepare} = setup();
		const five = prepare('scale', {replicas: '5'});
		expect(argvOf(five)).toEqual(kubectl('scale', 'deployment/api-gateway', '--replicas=5'));
		expect(five).not.toHaveProperty('ask');
		expect(prepare('scale', {replicas: '0'})).toMatchObject({
			effect: 'scale api-gateway from 3 to 0 replicas: no pod will be left to serve it',
			ask: {confirmation: 'type-name', name: 'api-gateway'},
		});
	});

	it.each(['1001', '-1', '1e3', ''])('refuses %j replicas', replicas => {
		expect(setup().prepare('scale', {replicas})).toEqual({refused: 'replicas: a whole number from 0 to 1000'});
	});
});

describe('logs (l) and describe (i)', () => {
	it("read the crash-looping pod's previous container, showing the output", () => {
		const prepared = setup().prepare('logs');
		expect(argvOf(prepared)).toEqual(
			kubectl(
				'logs',
				'api-gateway-7d9f8b6c5-x2k4j',
				'--all-containers',
				'--tail=200',
				'--timestamps',
				'--previous',
				'--ignore-errors',
			),
		);
		expect(prepared).toMatchObject({
			command: {
				output: {
					title: 'logs production/api-gateway-7d9f8b6c5-x2k4j · previous container (it crashed) · last 200 lines',
					atEnd: true,
				},
			},
		});
	});

	it('read the running container of a pod that is ready again', () => {
		const recovered = {...testPod('web-1', 'Running'), ready: '1/1', restarts: 2};
		expect(argvOf(setup({pods: [recovered]}).prepare('logs'))).not.toContain('--previous');
	});

	it('describe the pod, and need neither an incident nor a deployment', () => {
		expect(argvOf(setup({incident: false, deployments: undefined}).prepare('describe'))).toEqual(
			kubectl('describe', 'pod', 'api-gateway-7d9f8b6c5-x2k4j'),
		);
	});
});

describe('the keys', () => {
	const context = {focus: 'pods' as const, hasIncident: true, readOnly: false, zoomed: false};

	it('are u R s l i on the Pods panel only', () => {
		expect(['u', 'R', 's', 'l', 'i'].map(key => bindingFor(key, context)?.action)).toEqual([
			'rollout-undo',
			'rollout-restart',
			'scale',
			'logs',
			'describe',
		]);
		expect(bindingFor('u', {...context, focus: 'database'})).toBeUndefined();
	});

	it('are listed by ? on the Pods panel, with what they do', () => {
		expect(liveBindings(context).filter(binding => ['u', 'R', 's', 'l', 'i'].includes(binding.label))).toMatchObject([
			{label: 'u', description: "rollout undo: the selected deployment, or the selected pod's, back to its previous revision"},
			{label: 'R', description: "rollout restart: replace the pods of the selected deployment, or of the selected pod's"},
			{label: 's', description: "scale the selected deployment, or the selected pod's (0 asks for its name)"},
			{label: 'l', description: "logs: the selected pod's last 200 lines"},
			{label: 'i', description: 'describe the selected pod or deployment, with its events'},
		]);
	});

	it('bind no change in read-only mode, and say so; logs and describe stay', () => {
		const readOnly = {...context, readOnly: true};
		expect(['u', 'R', 's'].map(key => bindingFor(key, readOnly))).toEqual([undefined, undefined, undefined]);
		expect(unboundReason('u', readOnly)).toBe('read-only: rollout undo is not available');
		expect(['l', 'i'].map(key => bindingFor(key, readOnly)?.action)).toEqual(['logs', 'describe']);
	});

	it('say that a change needs an incident first', () => {
		expect(unboundReason('s', {...context, hasIncident: false})).toBe('scale: no incident: declare one first (d)');
		expect(unboundReason('u', {...context, focus: 'database'})).toBeUndefined();
	});
});

describe('through the executor', () => {
	function executorOn(mode: Partial<Mode>) {
		const {store} = setup({mode});
		const {executor, recorded} = recordingExecutor(store);
		store.setState(state => ({
			ui: {
				...state.ui,
				selection: {
					...state.ui.selection,
					pods: {key: 'production/api-gateway-7d9f8b6c5-x2k4j', index: 0, label: 'api-gateway-7d9f8b6c5-x2k4j'},
				},
			},
		}));
		return {store, executor, recorded};
	}

	it('asks y/N before an undo, and under --dry-run journals what would have run', async () => {
		const {store, executor, recorded} = executorOn({dryRun: true});
		executor.request(entry('rollout-undo'));
		const overlay = store.getState().ui.overlay;
		expect(overlay).toMatchObject({
			kind: 'confirm',
			pending: {question: {confirmation: 'yes-no', name: 'production/api-gateway'}},
		});
		await executor.run((overlay as {pending: Parameters<typeof executor.run>[0]}).pending);
		expect(recorded).toMatchObject([
			{
				type: 'action_started',
				action: 'rollout-undo',
				command: 'kubectl --context prod-eu -n production rollout undo deployment/api-gateway --to-revision=6',
				dryRun: true,
			},
			{type: 'action_finished', outcome: 'dry-run'},
		]);
		expect(store.getState().ui.notice?.text).toMatch(
			/^would run rollout undo on production\/api-gateway: kubectl .* \(dry run\)$/,
		);
	});

	it('asks for the name typed before scaling to 0', () => {
		const {store, executor} = executorOn({});
		executor.request(entry('scale'), {values: {replicas: '0'}});
		expect(store.getState().ui.overlay).toMatchObject({
			kind: 'confirm',
			pending: {question: {confirmation: 'type-name', name: 'api-gateway', typed: ''}},
		});
	});

	it('runs no change in read-only mode, and says so', () => {
		const {store, executor, recorded} = executorOn({readOnly: true});
		executor.request(entry('rollout-restart'));
		expect(store.getState().ui.notice?.text).toBe('read-only: rollout restart is not available');
		expect(store.getState().ui.overlay).toBeUndefined();
		expect(recorded).toEqual([]);
	});
});

describe('on a selected deployment', () => {
	const checkout = testDeployment('checkout');
	/** The Pods panel with the crash-looping gateway pod, and the healthy checkout deployment selected. */
	function onCheckout(options: {deployments?: Deployment[]; mode?: Partial<Mode>} = {}) {
		const {store} = setup({deployments: options.deployments ?? [gateway, checkout], mode: options.mode});
		const key = panels.pods.key({kind: 'deployment', deployment: (options.deployments ?? [checkout]).at(-1)!});
		return {store, key, prepare: (id: string, values = {}) => entry(id).prepare(store.getState(), key, values)};
	}

	it('scales that deployment, healthy as it is, asking y/N with its cluster, and for its name typed at 0', () => {
		const {store, key, prepare} = onCheckout();
		expect(entry('scale').formOpening!(store.getState(), key)).toEqual({
			values: {replicas: '3'},
			note: 'production/checkout: 3 replicas now, 3 ready (0 to 1000)',
		});
		const five = prepare('scale', {replicas: '5'});
		expect(argvOf(five)).toEqual(kubectl('scale', 'deployment/checkout', '--replicas=5'));
		expect(five).toMatchObject({
			target: 'production/checkout',
			effect: 'scale checkout from 3 to 5 replicas',
			cluster: {context: 'prod-eu', namespace: 'production', production: true},
		});
		expect(five).not.toHaveProperty('ask');
		expect(prepare('scale', {replicas: '0'})).toMatchObject({ask: {confirmation: 'type-name', name: 'checkout'}});
	});

	it('restarts it, and rolls it back to the revision before the one it runs, naming both', () => {
		const {prepare} = onCheckout();
		expect(argvOf(prepare('rollout-restart'))).toEqual(kubectl('rollout', 'restart', 'deployment/checkout'));
		const undo = prepare('rollout-undo');
		expect(argvOf(undo)).toEqual(kubectl('rollout', 'undo', 'deployment/checkout', '--to-revision=1'));
		expect(undo).toMatchObject({
			effect:
				'roll checkout back from revision 2 (registry.example.com/checkout:1.1.0) to revision 1 (registry.example.com/checkout:1.0.0)',
		});
	});

	it('describes the deployment, and asks for a pod for its logs', () => {
		const {prepare} = onCheckout();
		const described = prepare('describe');
		expect(argvOf(described)).toEqual(kubectl('describe', 'deployment', 'checkout'));
		expect(described).toMatchObject({command: {output: {title: 'describe deployment production/checkout'}}});
		expect(prepare('logs')).toEqual({refused: 'select a pod: logs are per pod, and deploy/checkout is a deployment'});
	});

	it('is refused, saying so, once the deployment is gone from the reading', () => {
		const {store, key} = onCheckout();
		update.reading(store, 'kubernetes', {
			state: 'ok',
			data: {context: 'prod-eu', pods: [], healthyCount: 0, deployments: []},
			fetchedAt: 0,
		});
		expect(entry('scale').prepare(store.getState(), key, {replicas: '5'})).toEqual({
			refused: 'the selected deployment is no longer listed: gone from the cluster',
		});
	});

	it('refuses a name that is no Kubernetes name before any command is built', () => {
		const hostile = testDeployment('--kubeconfig=/tmp/x\u001b[2J');
		expect(onCheckout({deployments: [hostile]}).prepare('rollout-restart')).toEqual({
			refused:
				'deployment name "--kubeconfig=/tmp/x" is not a DNS-1123 subdomain: lower-case letters, digits, - and ., at most 253',
		});
	});

	it('acts on the simulated cluster in a drill, and describes it from there', async () => {
		const {prepare} = onCheckout({mode: {drill: {name: 'quick-outage', title: 'Gateway outage'}}});
		const drillCluster = new DrillCluster(
			[
				{
					namespace: 'production',
					name: 'checkout',
					replicas: 3,
					revisions: [{revision: 2, replicaSet: 'checkout-6d4f8b7c9', images: ['c:1']}],
				},
			],
			() => 0,
		);
		const run = async (prepared: Prepared | Refusal) => {
			if ('refused' in prepared || prepared.command.kind !== 'run') throw new Error('not run on the drill');
			return prepared.command.run({drillCluster, refresh: async () => {}}, new AbortController().signal);
		};
		await run(prepare('scale', {replicas: '5'}));
		expect(drillCluster.current()[0]!.replicas).toBe(5);
		expect(await run(prepare('describe'))).toContain('Replicas:           3 desired | 3 updated | 3 ready | 3 available');
	});
});
