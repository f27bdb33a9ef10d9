import {describe, expect, it} from 'vitest';
import {clusterName} from '../../source/view-model/cluster';
import {testStore} from '../helpers/store';

const withReading = (
	data: {context?: string; cluster?: string} | undefined,
	mode: {context?: string; production?: string} = {},
) => {
	const state = testStore().getState();
	return clusterName({
		...state,
		mode: {
			...state.mode,
			kubernetes: {
				...state.mode.kubernetes,
				production: mode.production ?? 'prod',
				...(mode.context ? {context: mode.context} : {}),
			},
		},
		readings: {
			...state.readings,
			kubernetes: data ? {state: 'ok', data: {pods: [], healthyCount: 0, ...data}} : {state: 'disabled'},
		},
	});
};

describe('the cluster the header names', () => {
	it('is the context the reading showed, with its cluster when that says more', () => {
		expect(withReading({context: 'eu-west', cluster: 'gke_shop_eu-west1_main'})).toEqual({
			text: 'eu-west (gke_shop_eu-west1_main)',
			production: false,
		});
		expect(withReading({context: 'staging', cluster: 'staging'})).toEqual({text: 'staging', production: false});
	});

	it('is the configured context before the first reading, and nothing without either', () => {
		expect(withReading(undefined, {context: 'shop-live'})).toEqual({text: 'shop-live', production: false});
		expect(withReading(undefined)).toBeUndefined();
	});

	it('is production when the context matches the configured pattern, whatever its case', () => {
		expect(withReading({context: 'EU-PROD-1'})?.production).toBe(true);
		expect(withReading({context: 'shop-live'}, {production: 'live$'})?.production).toBe(true);
		expect(withReading({context: 'shop-prod'}, {production: 'live$'})?.production).toBe(false);
	});
});
