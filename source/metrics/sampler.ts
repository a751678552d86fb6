import {performance} from 'node:perf_hooks';
import type {AppEvent, ProbeEvent, SystemSampleEvent} from '../events/index.js';
import {redactText} from '../log/redact.js';

/** The timer functions the sampler uses; tests pass a manual clock. */
export type SamplerClock = {
	now(): number;
	setInterval(callback: () => void, ms: number): unknown;
	clearInterval(handle: unknown): void;
};

export const systemClock: SamplerClock = {
	now: () => Date.now(),
	setInterval(callback, ms) {
		const handle = setInterval(callback, ms);
		// A sampler alone must never keep the process alive.
		handle.unref();
		return handle;
	},
	clearInterval: handle => clearInterval(handle as NodeJS.Timeout),
};

export type Usage = {cpuPercent: number; rssBytes: number};
/** `ms`: the probe's own measure of its time on the wire; without it, the time the probe took. */
export type ProbeResult = {status: number; ms?: number};

export type SamplerOptions = {
	/** Where events go: the app's EventBus. */
	bus: {emit(event: AppEvent): void};
	/** monitoring.system_metrics_interval, in seconds. */
	intervalSeconds: number;
	/** The latency probe, e.g. () => client.me(); resolves with the HTTP status or throws. */
	probe?: () => Promise<ProbeResult>;
	/**
	 * A probe still pending this long is reported as failed (reason "timeout"), once per tick while it
	 * hangs, so that a hung API counts towards api_unreachable. Default: monitoring.health_timeout_seconds (10 s).
	 */
	probeTimeoutMs?: number;
	/** Reads this process's CPU % and RSS; default createUsageReader(). */
	readUsage?: () => Promise<Usage>;
	clock?: SamplerClock;
};

export type Sampler = {
	start(): void;
	stop(): void;
	/** One sampling round, as the timer runs it; resolves when the system sample (not a slow probe) is done. */
	tick(): Promise<void>;
	readonly running: boolean;
};

/**
 * This process's CPU (% of one core since the previous read) and RSS, from Node itself. pidusage would read the
 * same figures from /proc, and its first call spawns `getconf` (~40 ms on the console's start path).
 */
export function createUsageReader(): () => Promise<Usage> {
	let last = {cpu: process.cpuUsage(), at: performance.now()};
	return async () => {
		const cpu = process.cpuUsage();
		const at = performance.now();
		const usedMs = (cpu.user - last.cpu.user + cpu.system - last.cpu.system) / 1000;
		const elapsedMs = at - last.at;
		last = {cpu, at};
		return {cpuPercent: elapsedMs > 0 ? (usedMs / elapsedMs) * 100 : 0, rssBytes: process.memoryUsage.rss()};
	};
}

/**
 * One unref'd timer that samples process CPU/RSS and runs the latency probe on the same clock.
 * A probe or usage read still in flight at the next tick is not started again (no pile-up on a hung API).
 */
export function createSampler(options: SamplerOptions): Sampler {
	const clock = options.clock ?? systemClock;
	const readUsage = options.readUsage ?? createUsageReader();
	const probeTimeoutMs = options.probeTimeoutMs ?? 10_000;
	let timer: unknown = null;
	let usageInFlight = false;
	let probeStartedAt: number | null = null;
	let probeGeneration = 0;

	const emit = (event: SystemSampleEvent | ProbeEvent) => {
		try {
			options.bus.emit(event);
		} catch {
			// a consumer's failure must not stop sampling
		}
	};

	const sampleUsage = async () => {
		if (usageInFlight) return;
		usageInFlight = true;
		try {
			const usage = await readUsage();
			emit({type: 'system', at: clock.now(), cpuPercent: usage.cpuPercent, rssBytes: usage.rssBytes});
		} catch {
			// a custom reader can fail transiently; the next tick tries again
		} finally {
			usageInFlight = false;
		}
	};

	const runProbe = () => {
		const probe = options.probe;
		if (!probe) return;
		const now = clock.now();
		if (probeStartedAt !== null) {
			const elapsed = now - probeStartedAt;
			if (elapsed >= probeTimeoutMs) emit({type: 'probe', at: now, ok: false, ms: elapsed, status: 0, reason: 'timeout'});
			return;
		}
		const started = now;
		const generation = ++probeGeneration;
		probeStartedAt = started;
		const settle = (event: Omit<ProbeEvent, 'type' | 'at' | 'ms'>, wireMs?: number) => {
			if (generation !== probeGeneration || probeStartedAt === null) return;
			const at = clock.now();
			const ms = at - started;
			probeStartedAt = null;
			// A result that arrives after we already reported the probe as timed out is stale.
			if (ms >= probeTimeoutMs) return;
			emit({type: 'probe', at, ms: wireMs ?? ms, ...event});
		};
		let pending: Promise<ProbeResult>;
		try {
			pending = probe();
		} catch (error) {
			pending = Promise.reject(error);
		}
		pending.then(
			result => {
				const ok = result.status >= 200 && result.status < 300;
				settle(ok ? {ok, status: result.status} : {ok, status: result.status, reason: `HTTP ${result.status}`}, result.ms);
			},
			(error: unknown) => settle({ok: false, status: statusOf(error), reason: reasonOf(error)}),
		);
	};

	const tick = async () => {
		runProbe();
		await sampleUsage();
	};

	return {
		get running() {
			return timer !== null;
		},
		start() {
			if (timer !== null) return;
			timer = clock.setInterval(() => void tick(), Math.max(1, options.intervalSeconds * 1000));
			void tick();
		},
		stop() {
			if (timer === null) return;
			clock.clearInterval(timer);
			timer = null;
			// Forget the in-flight probe so a late answer after stop() emits nothing.
			probeGeneration++;
			probeStartedAt = null;
		},
		tick,
	};
}

function statusOf(error: unknown): number {
	if (error && typeof error === 'object') {
		const record = error as {status?: unknown; statusCode?: unknown; response?: {statusCode?: unknown}};
		for (const candidate of [record.status, record.statusCode, record.response?.statusCode]) {
			if (typeof candidate === 'number') return candidate;
		}
	}
	return 0;
}

function reasonOf(error: unknown): string {
	if (error && typeof error === 'object') {
		const record = error as {code?: unknown; message?: unknown};
		const text = typeof record.code === 'string' ? record.code : typeof record.message === 'string' ? record.message : 'error';
		return redactText(text).slice(0, 200);
	}
	return redactText(String(error)).slice(0, 200);
}
