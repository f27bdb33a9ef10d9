/**
 * The real-control-plane suite (npm run test:cluster): test/cluster/ against
 * the kube-apiserver that scripts/control-plane/build.sh builds. One file at a
 * time in one fork: each file starts its own control plane, and the servers
 * already take what the two cores can give.
 */
import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/cluster/**/*.test.ts'],
		testTimeout: 120_000,
		hookTimeout: 120_000,
		pool: 'forks',
		maxWorkers: 1,
		fileParallelism: false,
	},
});
