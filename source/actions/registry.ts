/**
 * The action registry: every key that acts, in the order `?` lists them.
 * A source adds its actions here as one entry each, from its own folder
 * (e.g. `sources/kubernetes/actions.ts`); routing, `?`, the footer,
 * read-only mode and the executor read nothing else.
 */
import {defineAction, type Action} from './action';
import type {FormKind} from './forms';
import {incidentActions} from './incident-actions';
import {healthActions} from '../sources/health/actions';
import {messageActions} from './message-actions';
import {kubernetesActions} from '../sources/kubernetes/actions';
import {postgresActions} from '../sources/postgres/actions';
import {runDiagnostic} from './playbook-actions';

const refresh = defineAction({
	id: 'refresh',
	title: 'refresh',
	keys: ['r'],
	keyLabel: 'r',
	description: 'refresh every source now, and run every health check',
	risk: 'read',
	journals: [],
	build: () => ({
		command: {kind: 'run', name: 'refresh every source', run: services => services.refresh()},
		effect: 'every source and the journal are read again',
		summary: 'refresh',
	}),
});

export const registry: readonly Action[] = [
	...incidentActions,
	runDiagnostic,
	...messageActions,
	...kubernetesActions,
	...postgresActions,
	...healthActions,
	refresh,
];

/** The action a form belongs to. */
export const actionOfForm = (kind: FormKind): Action | undefined => registry.find(action => action.form === kind);
