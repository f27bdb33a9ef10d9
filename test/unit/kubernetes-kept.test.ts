/** What the Kubernetes collector keeps of each pod it watches: less memory, the same panel. */
import {describe, expect, it} from 'vitest';
import {classifyPod, type KubePod} from '../../source/sources/kubernetes/classify';
import {kept} from '../../source/sources/kubernetes/collector';
import {fixtureNow, pods} from '../helpers/kube-pods';

/** A pod with the bulk a real server sends along: managed fields, volumes, full container specs. */
const served = (pod: KubePod) => ({
	...pod,
	metadata: {
		...pod.metadata,
		managedFields: [{manager: 'kubelet', operation: 'Update', fieldsV1: {'f:status': {'f:conditions': {}}}}],
	},
	spec: {
		...pod.spec,
		volumes: [{name: 'kube-api-access-x1', projected: {sources: [{serviceAccountToken: {path: 'token'}}]}}],
		containers: (pod.spec?.containers ?? []).map((container, index) => ({
			name: `c${index}`,
			image: 'registry/app:1.4.2',
			...(container as object),
			env: [{name: 'LOG_LEVEL', value: 'info'}],
			readinessProbe: {httpGet: {path: '/ready', port: 8080}},
		})),
		tolerations: [{key: 'node.kubernetes.io/not-ready', operator: 'Exists'}],
	},
});

describe('kept', () => {
	it.each(Object.keys(pods) as Array<keyof typeof pods>)('%s: classified as the whole pod is', fixture => {
		const pod = served(pods[fixture]);
		expect(classifyPod(kept(pod), fixtureNow)).toEqual(classifyPod(pod, fixtureNow));
	});

	it('drops the managed fields, the volumes and all of a container but its name and image', () => {
		const pod = kept(served(pods.crashLoop));
		expect(pod.metadata).not.toHaveProperty('managedFields');
		expect(pod.spec).toEqual({
			nodeName: 'node-a',
			containers: [
				{name: 'envoy', image: 'registry/app:2.0.0'},
				{name: 'app', image: 'registry/app:2.0.0'},
			],
			tolerations: [{key: 'node.kubernetes.io/not-ready', operator: 'Exists'}],
		});
		expect(pod.status).toBe(pods.crashLoop.status);
	});
});
