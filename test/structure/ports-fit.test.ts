// The structure and health services are the console's StructureSource and HealthSource as they are: a compile-time
// check (tsc runs over the tests), and a run of each through the port's type.
import {afterEach, describe, expect, it} from 'vitest';
import {HealthService} from '../../source/health/index.js';
import type {StructureService} from '../../source/structure/index.js';
import type {HealthSource, StructureSource, TreePage} from '../../source/store/ports.js';
import {startRig, type Rig} from './rig.js';

type Fits<T extends U, U> = T;
export type StructureFits = Fits<Pick<StructureService, 'listChildren'>, StructureSource>;
export type HealthFits = Fits<Pick<HealthService, 'run'>, HealthSource>;

let rig: Rig | undefined;
afterEach(async () => {
	await rig?.close();
	rig = undefined;
});

describe('ports', () => {
	it('StructureService is a StructureSource and HealthService a HealthSource', async () => {
		rig = await startRig();
		const structure: StructureSource = rig.service;
		const pages: TreePage[] = [];
		for await (const page of structure.listChildren(null)) pages.push(page);
		expect(pages[0].items[0]).toMatchObject({kind: 'account', name: 'Sandbox Account', expandable: true});
		const health: HealthSource = new HealthService([{id: 'x', name: 'X', run: async () => ({status: 'pass', reason: 'fine'})}], {timeoutMs: 1000});
		expect(await health.run()).toEqual([{id: 'x', name: 'X', status: 'pass', reason: 'fine', ms: expect.any(Number)}]);
	});
});
