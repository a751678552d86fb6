// Adapters from the services to the console's ports (source/store/ports.ts), where their shapes differ.
import type {AlertEngine, AlertRecord} from '../metrics/alert-engine.js';
import type {FrameioClient} from '../frameio/client.js';
import type {AlertsSource, AlertView, RateLimitView, StatusSource, StatusView, Unsubscribe} from '../store/ports.js';

function alertView(record: AlertRecord): AlertView {
	return {
		id: `${record.rule}@${record.at}`,
		rule: record.rule,
		level: record.level,
		message: record.message,
		value: record.display.value,
		threshold: record.display.threshold,
		at: record.at,
		state: record.state,
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

export function statusSource(options: {mode: StatusView['mode']; client: FrameioClient; account: () => string | null}): StatusSource {
	const {client} = options;
	return {
		read: () => ({mode: options.mode, account: options.account(), breaker: client.breaker.state, rateLimit: tightestRateLimit(client)}),
		onChange: listener => client.breaker.on(() => listener()),
	};
}
