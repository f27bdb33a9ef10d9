/**
 * Catches an error thrown while drawing any part of the screen and hands it
 * to the console's way out (terminal restored, the error on stderr, exit 70),
 * instead of Ink's error overview on a screen whose keys no longer work.
 */
import {Component, type ReactNode} from 'react';

type Props = {onCrash: (error: unknown) => void; children: ReactNode};

export class CrashBoundary extends Component<Props, {failed: boolean}> {
	static getDerivedStateFromError() {
		return {failed: true};
	}

	override state = {failed: false};

	override componentDidCatch(error: unknown) {
		this.props.onCrash(error);
	}

	override render() {
		return this.state.failed ? null : this.props.children;
	}
}
