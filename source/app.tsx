/**
 * The screen: header, panels laid out for the terminal's size, footer, and
 * the overlays (help, forms, confirmations, a command's output). Keys and pastes go to `routeInput`;
 * everything drawn comes from the store.
 */
import {Box, useInput} from 'ink';
import {useShallow} from 'zustand/react/shallow';
import {useState} from 'react';
import {Confirm} from '../panels/Confirm';
import {Footer} from '../panels/Footer';
import {FormView} from '../panels/FormView';
import {Header} from '../panels/Header';
import {Help} from '../panels/Help';
import {OutputView} from '../panels/OutputView';
import {panelViews} from '../panels/panel-views';
import {StoreContext, useWarroom, useWarroomStore} from '../panels/store-context';
import {TooSmall} from '../panels/TooSmall';
import {createInputReader} from './actions/input';
import {routeInput, type Controls} from './actions/route-key';
import {computeLayout, footerHeight, headerHeight, isTooSmall} from './view-model/layout';
import type {WarroomStore} from './store';

function Body({columns, height}: {columns: number; height: number}) {
	const {overlay, zoomed, focus, rows} = useWarroom(
		useShallow(state => ({overlay: state.ui.overlay, zoomed: state.ui.zoomed, focus: state.ui.focus, rows: state.size.rows})),
	);
	if (overlay?.kind === 'help') return <Help width={columns} height={height} />;
	if (overlay?.kind === 'form') return <FormView form={overlay.form} width={columns} height={height} />;
	if (overlay?.kind === 'confirm') return <Confirm pending={overlay.pending} width={columns} height={height} />;
	if (overlay?.kind === 'output') return <OutputView output={overlay.output} width={columns} height={height} />;
	const layout = computeLayout(columns, rows, zoomed ? focus : undefined);
	return (
		<Box flexDirection="column" height={height}>
			{layout.rows.map(row => (
				<Box key={row.map(cell => cell.panel).join('-')}>
					{row.map(({panel, width, height: cellHeight}) => {
						const Panel = panelViews[panel];
						return <Panel key={panel} width={width} height={cellHeight} />;
					})}
				</Box>
			))}
		</Box>
	);
}

function Screen({controls}: {controls: Controls}) {
	const store = useWarroomStore();
	const {columns, rows} = useWarroom(useShallow(state => state.size));
	// One reader for the screen's life: a paste may end in a later read than it began.
	const [read] = useState(createInputReader);
	useInput((input, key) => {
		for (const event of read(input, key)) routeInput(store, controls, event);
	});
	if (isTooSmall(columns, rows)) return <TooSmall columns={columns} rows={rows} />;
	const frameHeight = rows - 1;
	return (
		<Box flexDirection="column" width={columns} height={frameHeight} overflow="hidden">
			<Header width={columns} />
			<Body columns={columns} height={frameHeight - headerHeight - footerHeight} />
			<Footer />
		</Box>
	);
}

export function App({store, controls}: {store: WarroomStore; controls: Controls}) {
	return (
		<StoreContext.Provider value={store}>
			<Screen controls={controls} />
		</StoreContext.Provider>
	);
}
