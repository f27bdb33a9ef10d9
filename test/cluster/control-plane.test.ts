/**
 * The harness fails loudly: a control plane that cannot start stops the suite
 * with what is wrong, never a skip or a silent pass.
 */
import {mkdtempSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {cachedBinaries, startControlPlane} from './control-plane';

it('a missing server binary fails the suite with its name and how to build it', async () => {
	const empty = mkdtempSync(join(tmpdir(), 'warroom-no-binaries-'));
	try {
		await expect(startControlPlane({binaries: empty})).rejects.toThrow(
			`etcd, kube-apiserver, kube-controller-manager missing from ${empty}: run scripts/control-plane/build.sh`,
		);
	} finally {
		rmSync(empty, {recursive: true});
	}
});

it('a server that does not come up fails the suite with its exit status', async () => {
	const broken = mkdtempSync(join(tmpdir(), 'warroom-broken-binaries-'));
	try {
		symlinkSync(join(cachedBinaries, 'etcd'), join(broken, 'etcd'));
		symlinkSync(join(cachedBinaries, 'kube-controller-manager'), join(broken, 'kube-controller-manager'));
		symlinkSync('/bin/false', join(broken, 'kube-apiserver'));
		await expect(startControlPlane({binaries: broken})).rejects.toThrow('kube-apiserver exited (1) before apiserver ready');
	} finally {
		rmSync(broken, {recursive: true});
	}
});
