import {describe, expect, it} from 'vitest';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {incidentToQueue} from '../../source/notify/notifications';
import {update} from '../../source/store';
import {journalOf} from '../helpers/incidents';
import {testStore} from '../helpers/store';

const incident = replayIncident('INC-1', journalOf([0, newEvent.declared({title: 'Outage', severity: 'P1', services: []})]))!;

describe('which incident the notifications are planned for', () => {
	it('the incident on screen once the templates are read, as either changes', () => {
		const store = testStore();
		const before = store.getState();
		store.setState({incident, templates: {}});
		expect(incidentToQueue(store.getState(), before)).toBe(incident);
		expect(incidentToQueue(store.getState(), store.getState())).toBeUndefined();
	});

	it('none once the journal store has made the console read-only after its start', () => {
		const store = testStore();
		const before = store.getState();
		update.journalLink(store, {
			store: 'postgres',
			where: 'db:5432/warroom',
			state: 'live',
			since: 0,
			waiting: 0,
			readOnly: 'SELECT only',
		});
		store.setState({incident, templates: {}});
		expect(incidentToQueue(store.getState(), before)).toBeUndefined();
	});
});
