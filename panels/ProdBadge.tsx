/**
 * `PROD` in reverse video, then a space, for a production context: the same
 * mark on the header and on every confirmation of a change, so a responder
 * learns one sign. Nothing otherwise.
 */
import {Text} from 'ink';
import {useTone} from './theme';

export function ProdBadge({production}: {production: boolean | undefined}) {
	const colour = useTone();
	if (!production) return null;
	return (
		<>
			<Text inverse bold color={colour('bad')}>
				{' PROD '}
			</Text>{' '}
		</>
	);
}
