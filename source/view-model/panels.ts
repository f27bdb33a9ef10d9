/** The console's panels, in the order of their numbers (1-5). */
export const panelIds = ['pods', 'database', 'health', 'timeline', 'runbook'] as const;
export type PanelId = (typeof panelIds)[number];
