/** The bottom line: the filter being typed, the last notice, or the main keys; "saving…" while a journal write is in flight. */
import {Text} from 'ink';
import {useShallow} from 'zustand/react/shallow';
import {footerHints} from '../source/actions/keys';
import {toSingleLine} from '../source/text/sanitize';
import {noticeLine} from '../source/store';
import {useWarroom} from './store-context';
import {useTone} from './theme';

export function Footer() {
	const {ui, readOnly, dryRun, hasIncident, saving} = useWarroom(
		useShallow(state => ({
			ui: state.ui,
			saving: state.writesInFlight > 0,
			readOnly: state.mode.readOnly,
			dryRun: state.mode.dryRun,
			hasIncident: state.incident !== undefined,
		})),
	);
	const colour = useTone();
	const badges = `${readOnly ? '[READ-ONLY] ' : ''}${dryRun ? '[DRY-RUN] ' : ''}${saving ? 'saving… ' : ''}`;
	if (ui.filtering) {
		return (
			<Text wrap="truncate-end">
				filter {ui.focus}: <Text inverse>{ui.filters[ui.focus]} </Text> · Enter keep · Esc clear
			</Text>
		);
	}
	if (ui.notice) {
		return (
			<Text wrap="truncate-end" color={colour(ui.notice.tone === 'error' ? 'bad' : 'ok')}>
				{badges}
				{toSingleLine(noticeLine(ui.notice))}
			</Text>
		);
	}
	const hints = footerHints({focus: ui.focus, hasIncident, readOnly, zoomed: ui.zoomed});
	return (
		<Text wrap="truncate-end" color={colour('dim')}>
			{badges}
			{hints}
		</Text>
	);
}
