// A clock for unit tests of timing logic. sleep() schedules a fake timer; once every pending promise has settled
// (a macrotask later), the earliest timer fires and time jumps to it. So concurrent sleepers interleave as they
// would in real time, and a test of minutes runs in milliseconds.
export type FakeClock = {now: () => number; sleep: (ms: number) => Promise<void>; advance: (ms: number) => void; sleeps: number[]};

export function fakeClock(start = 1_000_000): FakeClock {
	let time = start;
	let sequence = 0;
	let scheduled = false;
	const timers: Array<{due: number; seq: number; resolve: () => void}> = [];
	const sleeps: number[] = [];
	const pump = () => {
		if (scheduled) return;
		scheduled = true;
		setImmediate(() => {
			scheduled = false;
			if (timers.length === 0) return;
			timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
			const timer = timers.shift()!;
			time = Math.max(time, timer.due);
			timer.resolve();
			if (timers.length > 0) pump();
		});
	};
	return {
		now: () => time,
		sleep(ms) {
			sleeps.push(ms);
			return new Promise<void>(resolve => {
				timers.push({due: time + Math.max(0, ms), seq: sequence++, resolve});
				pump();
			});
		},
		advance(ms) {
			time += ms;
		},
		sleeps,
	};
}
