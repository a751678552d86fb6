// The farm slice: one read at a time (a slow Redis never piles reads up), a failed read keeps the last view with the
// reason, no source reads as "off", and an answer after dispose is dropped.
import {describe, expect, it} from 'vitest';
import {connectFarm, initialFarm, type FarmSlice} from '../../source/store/farm-slice.js';
import type {FarmSource, FarmView} from '../../source/store/ports.js';
import type {SliceHandle} from '../../source/store/slice-handle.js';
import {renderFarm} from './farm-fixtures.js';

function handle(): SliceHandle<FarmSlice> & {value: FarmSlice; sets: number} {
	const box = {
		value: initialFarm,
		sets: 0,
		get: () => box.value,
		set(value: FarmSlice) {
			box.sets++;
			box.value = value;
			return true;
		},
		update: (updater: (current: FarmSlice) => FarmSlice) => box.set(updater(box.value)),
	};
	return box;
}

/** A source whose reads wait until the test answers them. */
function gatedSource() {
	const pending: Array<{resolve(view: FarmView): void; reject(error: Error): void}> = [];
	const source: FarmSource = {read: () => new Promise((resolve, reject) => pending.push({resolve, reject}))};
	return {source, pending};
}

describe('farm slice', () => {
	it('reads once at a time, shows the first answer, and keeps it with the reason when a read fails', async () => {
		const slice = handle();
		const {source, pending} = gatedSource();
		const farm = connectFarm(slice, source);
		const first = farm.refresh();
		const again = farm.refresh();
		expect(pending).toHaveLength(1);
		expect(slice.value.loading).toBe(true);
		const view = renderFarm(2);
		pending[0].resolve(view);
		await Promise.all([first, again]);
		expect(slice.value).toEqual({view, error: null, loading: false});

		const failing = farm.refresh();
		expect(pending).toHaveLength(2);
		// A later read is silent: the view on screen stays until the answer.
		expect(slice.value.loading).toBe(false);
		pending[1].reject(new Error('Redis at redis://10.0.0.5:6379 is out of reach (connect ECONNREFUSED)'));
		await failing;
		expect(slice.value).toEqual({view, error: 'Redis at redis://10.0.0.5:6379 is out of reach (connect ECONNREFUSED)', loading: false});
	});

	it('without a source, says farm mode is off', async () => {
		const slice = handle();
		await connectFarm(slice, undefined).refresh();
		expect(slice.value.view).toEqual({mode: 'off', reason: 'farm mode is off'});
	});

	it('drops an answer that comes after dispose', async () => {
		const slice = handle();
		const {source, pending} = gatedSource();
		const farm = connectFarm(slice, source);
		const read = farm.refresh();
		const before = slice.sets;
		farm.dispose();
		pending[0].resolve(renderFarm(1));
		await read;
		expect(slice.sets).toBe(before);
		expect(slice.value.view).toBeNull();
	});
});
