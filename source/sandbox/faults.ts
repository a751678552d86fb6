// Fault injection. Each request draws from the RNG in a fixed order, so an injected RNG gives repeatable runs.
import type {FaultProfile, LateAnswerFault} from './types.js';

export const NAMED_PROFILES: Record<string, FaultProfile> = {
	none: {},
	flaky: {errorRate: 0.05, resetRate: 0.02},
	storm: {rateLimitStormRate: 0.5},
	slow: {latencyMs: 250, latencyJitterMs: 250, slowRate: 0.05, slowMs: 10_000},
	// Long runs: errors, 429s and resets, plus latency spikes.
	soak: {errorRate: 0.1, rateLimitStormRate: 0.05, resetRate: 0.02, partFailureRate: 0.02, latencyMs: 20, latencyJitterMs: 80, slowRate: 0.02, slowMs: 3000},
};

const RATE_KEYS = ['errorRate', 'rateLimitStormRate', 'resetRate', 'partFailureRate', 'slowRate'] as const;
const MS_KEYS = ['latencyMs', 'latencyJitterMs', 'slowMs'] as const;

/** Resolves a profile name or object; throws on an unknown name or an out-of-range value. */
export function resolveFaults(profile: FaultProfile | string | undefined): FaultProfile {
	if (profile === undefined) return {};
	if (typeof profile === 'string') {
		const named = NAMED_PROFILES[profile];
		if (!named) throw new Error(`unknown fault profile "${profile}" (expected ${Object.keys(NAMED_PROFILES).join(', ')})`);
		return {...named};
	}
	for (const key of RATE_KEYS) {
		const value = profile[key];
		if (value !== undefined && !(value >= 0 && value <= 1)) throw new Error(`fault ${key} must be between 0 and 1, got ${value}`);
	}
	for (const key of MS_KEYS) {
		const value = profile[key];
		if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new Error(`fault ${key} must be a number of ms >= 0, got ${value}`);
	}
	if (profile.lateAnswer === undefined) return {...profile};
	checkLateAnswer(profile.lateAnswer);
	// A copy: its `times` count (keyed on this object) starts over with every profile set.
	return {...profile, lateAnswer: {...profile.lateAnswer}};
}

function checkLateAnswer(late: LateAnswerFault): void {
	try {
		new RegExp(late.pathPattern);
	} catch {
		throw new Error(`fault lateAnswer.pathPattern must be a regular expression, got ${JSON.stringify(late.pathPattern)}`);
	}
	if (!(Number.isFinite(late.delayMs) && late.delayMs >= 0)) throw new Error(`fault lateAnswer.delayMs must be a number of ms >= 0, got ${late.delayMs}`);
	if (late.times !== undefined && !(Number.isInteger(late.times) && late.times >= 1)) throw new Error(`fault lateAnswer.times must be a whole number >= 1, got ${late.times}`);
}

/**
 * The lateAnswer fault as a per-server matcher: how long to hold the answer to this request (0: answer at once).
 * Counts matches per profile object, so setting a new profile starts its `times` over.
 */
export function lateAnswerPlanner(): (profile: FaultProfile, method: string, pathname: string) => number {
	const used = new WeakMap<LateAnswerFault, number>();
	return (profile, method, pathname) => {
		const late = profile.lateAnswer;
		if (!late || (late.method && late.method.toUpperCase() !== method.toUpperCase())) return 0;
		if (!new RegExp(late.pathPattern).test(pathname)) return 0;
		const count = used.get(late) ?? 0;
		if (late.times !== undefined && count >= late.times) return 0;
		used.set(late, count + 1);
		return late.delayMs;
	};
}

export type ApiFault = {kind: 'reset'} | {kind: 'error'; status: 500 | 502 | 503} | {kind: 'rate_limit_storm'} | {kind: 'none'};

export type ApiFaultPlan = {fault: ApiFault; delayMs: number; slow: boolean};

/** Decides what happens to one API request: a delay (latency, maybe a slow spike) and at most one fault. */
export function planApiFault(profile: FaultProfile, random: () => number): ApiFaultPlan {
	let delayMs = (profile.latencyMs ?? 0) + (profile.latencyJitterMs ? random() * profile.latencyJitterMs : 0);
	const slow = chance(profile.slowRate, random);
	if (slow) delayMs += profile.slowMs ?? 0;
	let fault: ApiFault = {kind: 'none'};
	if (chance(profile.resetRate, random)) fault = {kind: 'reset'};
	else if (chance(profile.errorRate, random)) {
		const statuses = [500, 502, 503] as const;
		fault = {kind: 'error', status: statuses[Math.min(2, Math.floor(random() * 3))]};
	} else if (chance(profile.rateLimitStormRate, random)) fault = {kind: 'rate_limit_storm'};
	return {fault, delayMs: Math.round(delayMs), slow};
}

export function chance(rate: number | undefined, random: () => number): boolean {
	// No draw when the rate is off, so enabling one fault does not shift the others' sequence.
	return rate !== undefined && rate > 0 && random() < rate;
}
