/**
 * The texts written from the journal: `t` (templates) fills a message template (what it
 * cannot derive is asked for in its form), `P` drafts the post-mortem. Both
 * open in the output overlay, where `c` copies the text and `w` writes it to
 * a file; neither changes anything until then, so both are live in
 * read-only mode, where `c` and `w` are refused.
 */
import {isMessageTemplate} from '../incident/events';
import {askedFields, fillTemplate, messageValues, type AskedField, type GivenFields} from '../incident/messages';
import {postmortemMarkdown} from '../incident/postmortem';
import {readerTimeZone} from '../incident/timeline';
import {defineAction, type Values} from './action';

/** The secrets are masked where the overlay shows the text: the executor redacts what a command returns. */
const unmasked = (text: string) => text;

/** What the responder typed in the form, blank fields left out so they are derived. */
const given = (values: Values): GivenFields =>
	Object.fromEntries(
		Object.keys(askedFields).flatMap(name => (values[name]?.trim() ? [[name as AskedField, values[name]!]] : [])),
	);

const message = defineAction({
	id: 'message',
	title: 'message',
	keys: ['t'],
	keyLabel: 't',
	description: 'write a message from the journal: preview, then c copy · w file',
	hint: true,
	risk: 'read',
	needsIncident: true,
	form: 'message',
	journals: [],
	build: ({state, incident, values}) => {
		const name = values.template ?? '';
		if (!isMessageTemplate(name)) return {refused: `no message "${name}"`};
		const template = state.templates?.[name];
		if (template === undefined) return {refused: `the ${name} template is not read yet (templates/${name}.md)`};
		const filled = fillTemplate(
			template,
			messageValues({
				policy: state.policy,
				incident,
				given: given(values),
				now: state.now,
				zone: readerTimeZone.zone,
				redact: unmasked,
			}),
		);
		if ('missing' in filled) {
			const labels = filled.missing.map(field => (field in askedFields ? askedFields[field as AskedField].label : `{${field}}`));
			return {refused: `the ${name} message needs: ${labels.join(', ')}`};
		}
		return {
			command: {
				kind: 'run',
				name: `templates/${name}.md`,
				run: async () => filled.text,
				output: {title: `${name} message`, atEnd: false, produces: name},
			},
			effect: `show the ${name} message`,
			summary: `${name} message`,
		};
	},
});

const postmortem = defineAction({
	id: 'postmortem',
	title: 'post-mortem',
	keys: ['P'],
	keyLabel: 'P',
	description: 'draft the post-mortem from the journal: c copy · w file',
	risk: 'read',
	needsIncident: true,
	journals: [],
	build: ({state, incident}) => {
		const text = postmortemMarkdown({
			policy: state.policy,
			incident,
			given: {},
			now: state.now,
			zone: readerTimeZone.zone,
			redact: unmasked,
		});
		return {
			command: {
				kind: 'run',
				name: 'post-mortem draft',
				run: async () => text,
				output: {title: 'post-mortem draft', atEnd: false, produces: 'postmortem'},
			},
			effect: 'show the post-mortem draft',
			summary: 'post-mortem draft',
		};
	},
});

export const messageActions = [message, postmortem];
