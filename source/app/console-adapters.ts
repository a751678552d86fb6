// Adapters from the services to the console's ports (source/store/ports.ts), where their shapes differ.
import type {EventBus} from '../events/index.js';
import type {AlertEngine, AlertRecord} from '../metrics/alert-engine.js';
import type {FrameioClient} from '../frameio/client.js';
import type {AlertsSource, AlertView, RateLimitView, StatusSource, StatusView, Unsubscribe} from '../store/ports.js';
import type {FarmSide} from './farm-seams.js';

export function alertView(record: AlertRecord): AlertView {
	return {
		id: `${record.rule}@${record.at}`,
		rule: record.rule,
		level: record.level,
		message: record.message,
		value: record.display.value,
		threshold: record.display.threshold,
		at: record.at,
		state: record.state,
		host: record.host,
		action: record.action,
	};
}

export function alertsSource(engine: AlertEngine): AlertsSource {
	return {
		active: () => engine.active().map(alertView),
		recent: n => engine.recent(n).map(alertView),
		onAlert: (listener): Unsubscribe => engine.onAlert(() => listener()),
	};
}

/** The endpoint class with the least headroom, as a share of its limit; the global bucket is ours, not Frame.io's. */
export function tightestRateLimit(client: FrameioClient): RateLimitView | null {
	let tightest: RateLimitView | null = null;
	for (const [endpointClass, snapshot] of Object.entries(client.limiter.snapshot())) {
		if (endpointClass === 'global' || snapshot.observedAt === undefined) continue;
		const view = {endpointClass, remaining: Math.max(0, Math.floor(snapshot.remaining)), limit: snapshot.limit};
		if (!tightest || view.remaining / view.limit < tightest.remaining / tightest.limit) tightest = view;
	}
	return tightest;
}

/**
 * Whether the API answers, from the client's own events: any HTTP answer but a 5xx counts (a 404 is an answer);
 * no answer, a timeout, a 5xx or a failed probe marks it down until the next answer.
 */
export function reachability(bus: EventBus, onFlip: () => void, now: () => number = Date.now) {
	let lastAnswerAt: number | null = null;
	let down: string | null = null;
	const set = (next: string | null) => {
		if (next === down) return;
		down = next;
		onFlip();
	};
	const stop = bus.on(event => {
		if (event.type === 'api') {
			if (event.fromCache || event.errorKind === 'auth' || event.errorKind === 'breaker_open') return;
			if (event.status >= 200 && event.status < 500) {
				lastAnswerAt = Math.min(event.at, now());
				set(null);
			} else set(event.status === 0 ? (event.errorKind === 'timeout' ? 'timed out' : 'no answer') : `HTTP ${event.status}`);
		} else if (event.type === 'probe' && !event.ok && event.status === 0) {
			set(event.reason === 'timeout' ? 'probe timed out' : `probe failed${event.reason ? `: ${event.reason}` : ''}`);
		}
	});
	return {
		lastAnswerAt: () => lastAnswerAt,
		down: () => down,
		stop,
	};
}

export function statusSource(options: {mode: StatusView['mode']; client: FrameioClient; bus: EventBus; account: () => string | null; cacheOf?: string; farm?: FarmSide}): StatusSource & {
	/** Something read() returns changed outside the bus (the account's name arrived): the status bar reads it now. */
	changed(): void;
	stop(): void;
} {
	const {client} = options;
	const listeners = new Set<() => void>();
	const notify = () => {
		for (const listener of listeners) listener();
	};
	const reach = reachability(options.bus, notify);
	const stopBreaker = client.breaker.on(notify);
	const stopFarm = options.farm?.onChange(notify);
	const farmView = () => {
		const state = options.farm?.state();
		return state ? {state: state.state, nodes: state.nodes} : null;
	};
	return {
		read: () => ({
			mode: options.mode,
			account: options.account(),
			cacheOf: options.cacheOf ?? null,
			breaker: client.breaker.state,
			rateLimit: tightestRateLimit(client),
			lastAnswerAt: reach.lastAnswerAt(),
			down: reach.down(),
			farm: farmView(),
		}),
		onChange: listener => {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		changed: notify,
		stop() {
			reach.stop();
			stopBreaker();
			stopFarm?.();
			listeners.clear();
		},
	};
}
