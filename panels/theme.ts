/**
 * Colours by meaning. Every state is also written as text, so the screen
 * reads the same with NO_COLOR, in 16 colours, or on a projector.
 */
import {useWarroom} from './store-context';

export type Tone = 'ok' | 'warn' | 'bad' | 'dim' | 'accent';

// The basic 16 colours only: they survive tmux, screen and old terminals.
const colours: Record<Tone, string> = {ok: 'green', warn: 'yellow', bad: 'red', dim: 'gray', accent: 'cyan'};

const toneColour = (tone: Tone | undefined) => (tone ? colours[tone] : undefined);
const noColour = () => undefined;

/** The colour for a tone, or undefined when colour is off: the same function each time, so a memoized row that takes it redraws only when its row changes. */
export function useTone(): (tone: Tone | undefined) => string | undefined {
	const colour = useWarroom(state => state.mode.colour);
	return colour ? toneColour : noColour;
}
