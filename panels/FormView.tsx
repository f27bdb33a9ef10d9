/** Draws a form's state (fields, the active one, the validation error); `source/forms.ts` edits it. */
import {Box, Text} from 'ink';
import {formSpecs, type FormState} from '../source/actions/forms';
import {toSingleLine} from '../source/text/sanitize';
import {useTone} from './theme';

export function FormView({form, width, height}: {form: FormState; width: number; height: number}) {
	const colour = useTone();
	const spec = formSpecs[form.kind];
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="double" paddingX={1}>
			<Text bold>{spec.title}</Text>
			{form.note === undefined ? null : <Text wrap="truncate-end">{toSingleLine(form.note)}</Text>}
			{spec.fields.map((field, index) => {
				const active = index === form.active;
				const value = form.values[field.name] ?? '';
				return (
					<Text key={field.name} wrap="truncate-start">
						{active ? '> ' : '  '}
						<Text bold={active}>{field.label}: </Text>
						{field.kind === 'choice' ? (
							field.options.map(option => (
								<Text key={option} inverse={option === value}>
									{` ${option} `}
								</Text>
							))
						) : (
							<Text inverse={active}>
								{value === '' && !active && field.placeholder ? (
									// "e.g." tells an example from a typed value where dim does not show: NO_COLOR, a captured screen.
									<Text dimColor>e.g. {field.placeholder}</Text>
								) : (
									value
								)}
								{active ? ' ' : ''}
							</Text>
						)}
					</Text>
				);
			})}
			{form.error ? (
				<Text color={colour('bad')} wrap="truncate-end">
					! {form.error}
				</Text>
			) : null}
			<Text color={colour('dim')} wrap="truncate-end">
				Enter save · Tab/↑↓ field · ←→ choose · Esc cancel
			</Text>
		</Box>
	);
}
