// Log lines back into the events they were written from (metrics/event-log.ts), so that a report over a window of
// logs runs the same MetricsStore code as the live console and gets the same numbers.
import type {AppEvent, BreakerState, ErrorKind, UploadOutcome} from '../../events/index.js';
import type {ParsedLine} from '../../log/read-logs.js';

/** Events of one line; [] for a line that is not an event line (ordinary log messages); 'malformed' when it claims to be one but its fields are unusable. */
export type Replayed = AppEvent[] | 'malformed';

const errorKinds: readonly ErrorKind[] = ['network', 'timeout', 'client', 'rate_limit', 'server', 'breaker_open', 'auth'];
const outcomes: readonly UploadOutcome[] = ['done', 'failed', 'cancelled'];
const breakerStates: readonly BreakerState[] = ['closed', 'open', 'half-open'];
// A summary line stands for at most this many samples (a sampler at 10 ms for a minute); more is a corrupt line.
const MAX_SAMPLES_PER_LINE = 10_000;

export function eventsOfLine({record, at}: ParsedLine): Replayed {
	const r = record as Record<string, unknown>;
	switch (r.event) {
		case 'api': {
			if (!isText(r.op) || !isText(r.method) || !isCount(r.status) || !isAmount(r.ms)) return 'malformed';
			const errorKind = r.errorKind === undefined ? undefined : errorKinds.find(kind => kind === r.errorKind);
			if (r.errorKind !== undefined && !errorKind) return 'malformed';
			return [
				{
					type: 'api',
					at,
					op: r.op,
					method: r.method,
					status: r.status,
					ms: r.ms,
					queueMs: isAmount(r.queueMs) ? r.queueMs : 0,
					retryWaitMs: isAmount(r.retryWaitMs) ? r.retryWaitMs : 0,
					bytes: isAmount(r.bytes) ? r.bytes : 0,
					retries: isCount(r.retries) ? r.retries : 0,
					fromCache: false,
					...(errorKind ? {errorKind} : {}),
				},
			];
		}
		case 'upload': {
			const outcome = outcomes.find(value => value === r.outcome);
			if (!outcome || !isAmount(r.bytes) || !isAmount(r.seconds) || !isAmount(r.mbps)) return 'malformed';
			return [
				{
					type: 'upload',
					at,
					id: isText(r.id) ? r.id : '',
					name: isText(r.name) ? r.name : '',
					bytes: r.bytes,
					seconds: r.seconds,
					mbps: r.mbps,
					outcome,
					...(isText(r.reason) ? {reason: r.reason} : {}),
				},
			];
		}
		case 'cache_summary': {
			if (!isCount(r.hits) || !isCount(r.misses)) return 'malformed';
			const events: AppEvent[] = [];
			if (r.hits > 0) events.push({type: 'cache', at, op: 'hit', key: 'summary', count: r.hits});
			if (r.misses > 0) events.push({type: 'cache', at, op: 'miss', key: 'summary', count: r.misses});
			return events;
		}
		case 'system':
			return systemSamples(r, at);
		case 'probe': {
			if (typeof r.ok !== 'boolean' || !isAmount(r.ms) || !isCount(r.status)) return 'malformed';
			return [{type: 'probe', at, ok: r.ok, ms: r.ms, status: r.status, ...(isText(r.reason) ? {reason: r.reason} : {})}];
		}
		case 'breaker': {
			const state = breakerStates.find(value => value === r.state);
			return state ? [{type: 'breaker', at, state}] : 'malformed';
		}
		case undefined:
			return breakerChange(r, at);
		default:
			return [];
	}
}

/**
 * A summary of n samples (mean, peak) becomes n samples with the same count, sum and peak: one at the peak and
 * n - 1 at (n · mean - peak) / (n - 1), which is never above the mean. So mean and peak over any set of lines are
 * exactly those of the original samples.
 */
function systemSamples(r: Record<string, unknown>, at: number): Replayed {
	const {samples, cpuMean, cpuPeak, rssMean, rssPeak} = r;
	if (!isCount(samples) || samples < 1 || samples > MAX_SAMPLES_PER_LINE) return 'malformed';
	if (!isAmount(cpuMean) || !isAmount(cpuPeak) || !isAmount(rssMean) || !isAmount(rssPeak)) return 'malformed';
	if (cpuMean > cpuPeak || rssMean > rssPeak) return 'malformed';
	const rest = (mean: number, peak: number) => (samples === 1 ? peak : Math.max(0, (samples * mean - peak) / (samples - 1)));
	const events: AppEvent[] = [{type: 'system', at, cpuPercent: cpuPeak, rssBytes: rssPeak}];
	const cpuRest = rest(cpuMean, cpuPeak);
	const rssRest = rest(rssMean, rssPeak);
	for (let i = 1; i < samples; i++) events.push({type: 'system', at, cpuPercent: cpuRest, rssBytes: rssRest});
	return events;
}

/** The client's own line for a breaker change ('frameio.api', with `state` and `previous`). */
function breakerChange(r: Record<string, unknown>, at: number): Replayed {
	if (r.logger !== 'frameio.api' || r.previous === undefined) return [];
	const state = breakerStates.find(value => value === r.state);
	return state ? [{type: 'breaker', at, state}] : [];
}

function isText(value: unknown): value is string {
	return typeof value === 'string';
}

function isAmount(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isCount(value: unknown): value is number {
	return isAmount(value) && Number.isInteger(value);
}
