/** Each panel of the panel table (source/view-model/panels.ts) and the component that draws it: the compiler asks for one per panel. */
import type {ReactNode} from 'react';
import type {PanelId} from '../source/view-model/panels';
import {DatabasePanel} from './DatabasePanel';
import {HealthPanel} from './HealthPanel';
import {PodsPanel} from './PodsPanel';
import {RunbookPanel} from './RunbookPanel';
import {TimelinePanel} from './TimelinePanel';

export type PanelView = (props: {width: number; height: number}) => ReactNode;

export const panelViews: Record<PanelId, PanelView> = {
	pods: PodsPanel,
	database: DatabasePanel,
	health: HealthPanel,
	timeline: TimelinePanel,
	runbook: RunbookPanel,
};
