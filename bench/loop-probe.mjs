/**
 * Loaded into the console under measurement (NODE_OPTIONS=--import): its
 * event-loop delay, kept by perf_hooks.monitorEventLoopDelay. SIGUSR2 writes
 * what was seen since the last SIGUSR2 to $WARROOM_LOOP_PROBE as JSON (in
 * ms) and starts afresh: the benchmark signals once to open its window,
 * once to close it.
 */
import {writeFileSync} from 'node:fs';
import {monitorEventLoopDelay} from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({resolution: 1});
histogram.enable();
const ms = nanoseconds => Number((nanoseconds / 1e6).toFixed(2));
process.on('SIGUSR2', () => {
	const file = process.env.WARROOM_LOOP_PROBE;
	if (file)
		writeFileSync(
			file,
			JSON.stringify({
				p50: ms(histogram.percentile(50)),
				p99: ms(histogram.percentile(99)),
				max: ms(histogram.max),
				mean: ms(histogram.mean),
			}),
		);
	histogram.reset();
});
