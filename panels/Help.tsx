/** `?`: every key that does something here and now, and nothing else; then the escalation roster from the config. */
import {Box, Text} from 'ink';
import {useShallow} from 'zustand/react/shallow';
import {liveBindings} from '../source/actions/keys';
import {contactText} from '../source/incident/roster';
import {toSingleLine} from '../source/text/sanitize';
import {journalLinkDetail} from '../source/view-model/journal-link';
import {truncateText} from './table-layout';
import {useWarroom} from './store-context';

export function Help({width, height}: {width: number; height: number}) {
	const context = useWarroom(
		useShallow(state => ({
			focus: state.ui.focus,
			hasIncident: state.incident !== undefined,
			readOnly: state.mode.readOnly,
			zoomed: state.ui.zoomed,
			playbooks: state.playbooks,
		})),
	);
	const contacts = useWarroom(state => state.mode.contacts) ?? [];
	const readOnlyBecause = useWarroom(state => state.mode.readOnlyBecause);
	const journal = useWarroom(state => journalLinkDetail(state.journal, state.now));
	const live = liveBindings(context);
	const contactRows = contacts.length === 0 ? 0 : contacts.length + 1;
	const journalRows = (readOnlyBecause === undefined ? 0 : 1) + (journal === undefined ? 0 : 1);
	const columns = live.length > height - 3 - contactRows - journalRows ? 2 : 1;
	const perColumn = Math.ceil(live.length / columns);
	// Cut before Ink measures it: a store's words may run to any length.
	const line = (text: string) => truncateText(toSingleLine(text), width - 4);
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="double" paddingX={1}>
			<Text bold wrap="truncate-end">
				Keys · {context.focus} panel{context.readOnly ? ' · read-only: nothing that writes is bound' : ''} · any key closes
			</Text>
			{journal === undefined ? null : <Text>{line(journal)}</Text>}
			{readOnlyBecause === undefined ? null : <Text>{line(`why read-only: ${readOnlyBecause}`)}</Text>}
			<Box>
				{Array.from({length: columns}, (_, column) => (
					<Box key={column} flexDirection="column" width={Math.floor((width - 4) / columns)} paddingRight={2}>
						{live.slice(column * perColumn, (column + 1) * perColumn).map(binding => (
							<Text key={binding.action} wrap="truncate-end">
								<Text bold>{binding.label.padEnd(10)}</Text> {binding.description}
							</Text>
						))}
					</Box>
				))}
			</Box>
			{contactRows > 0 ? <Text bold>Contacts (primary, else secondary)</Text> : null}
			{contacts.map(contact => (
				<Text key={contact.role} wrap="truncate-end">
					{contactText(contact)}
				</Text>
			))}
		</Box>
	);
}
