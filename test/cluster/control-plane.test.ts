/**
 * The harness fails loudly: a control plane that cannot start stops the suite
 * with what is wrong, never a skip or a silent pass. And the build script
 * takes the binaries it cached instead of building again.
 */
import {mkdirSync, symlinkSync} from 'node:fs';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterEach, expect, it} from 'vitest';
import {cleanup, makeTempDir, projectRoot} from '../helpers/pty';
import {cachedBinaries, startControlPlane} from './control-plane';

afterEach(cleanup);

it('a missing server binary fails the suite with its name and how to build it', async () => {
	const empty = makeTempDir('warroom-no-binaries-');
	await expect(startControlPlane({binaries: empty})).rejects.toThrow(
		`etcd, kube-apiserver, kube-controller-manager missing from ${empty}: run scripts/control-plane/build.sh`,
	);
});

it('a server that does not come up fails the suite with its exit status', async () => {
	const broken = makeTempDir('warroom-broken-binaries-');
	symlinkSync(join(cachedBinaries, 'etcd'), join(broken, 'etcd'));
	symlinkSync(join(cachedBinaries, 'kube-controller-manager'), join(broken, 'kube-controller-manager'));
	symlinkSync('/bin/false', join(broken, 'kube-apiserver'));
	await expect(startControlPlane({binaries: broken})).rejects.toThrow('kube-apiserver exited (1) before apiserver ready');
});

it('the build script takes the binaries cached under XDG_CACHE_HOME and says where they are', async () => {
	const cache = makeTempDir('warroom-cache-');
	const binaries = join(cache, 'warroom/control-plane-1.20.2');
	mkdirSync(binaries, {recursive: true});
	for (const server of ['etcd', 'kube-apiserver', 'kube-controller-manager'])
		symlinkSync(join(cachedBinaries, server), join(binaries, server));
	const {stdout} = await execa(join(projectRoot, 'scripts/control-plane/build.sh'), {env: {XDG_CACHE_HOME: cache}});
	expect(stdout).toBe(`control plane 1.20.2: ${binaries} (cached)`);
});
