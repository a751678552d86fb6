// What a process says about itself in each heartbeat. A watch daemon forgets finished jobs to keep its memory flat,
// so the beat's done and failed must count what finished since the process started, not what the queue still holds.
import {describe, expect, it} from 'vitest';
import {EventBus} from '../../source/events/index.js';
import {CircuitBreaker} from '../../source/frameio/circuit-breaker.js';
import {AlertEngine} from '../../source/metrics/alert-engine.js';
import {aloneFarm} from '../../source/app/farm-seams.js';
import {nodeSummarySource} from '../../source/app/node-summary.js';
import {emptyTotals} from '../../source/upload/queue-snapshot.js';
import type {UploadOutcome} from '../../source/events/index.js';
import {distinctAlertsConfig} from '../metrics/alert-config.js';

function finished(bus: EventBus, outcome: UploadOutcome, name: string) {
	bus.emit({type: 'upload', at: Date.now(), id: name, name, bytes: 10, seconds: 1, mbps: 0.1, outcome});
}

describe('nodeSummarySource', () => {
	it('counts the uploads done and failed since start, though the queue has forgotten them', () => {
		const bus = new EventBus();
		const source = nodeSummarySource({
			role: 'watch',
			bus,
			breaker: new CircuitBreaker({threshold: 5, timeoutMs: 1000, bus}),
			engine: new AlertEngine(distinctAlertsConfig()),
			farm: aloneFarm,
			// What watch's queue holds after clearFinished(): nothing finished.
			uploads: () => ({jobs: [], total: {...emptyTotals(), queued: 2}}),
		});
		finished(bus, 'done', 'a.mov');
		finished(bus, 'done', 'b.mov');
		finished(bus, 'failed', 'c.mov');
		finished(bus, 'cancelled', 'd.mov');
		const summary = source.summary();
		expect(summary.role).toBe('watch');
		expect(summary.uploads).toMatchObject({queued: 2, done: 2, failed: 1});
		source.stop();
	});

	it('says uploads: null for a process that has no queue and finished nothing', () => {
		const bus = new EventBus();
		const source = nodeSummarySource({bus, breaker: new CircuitBreaker({threshold: 5, timeoutMs: 1000, bus}), engine: new AlertEngine(distinctAlertsConfig()), farm: aloneFarm, uploads: () => null});
		expect(source.summary().uploads).toBeNull();
		source.stop();
	});
});
