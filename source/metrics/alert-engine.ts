import {alertRuleNames, type AlertLevel, type AlertRuleName, type AlertsConfig} from '../config/alerts-schema.js';
import {nodeName} from '../config/node-name.js';
import {windowLength} from './units.js';
import {ruleDefinitions} from './alert-rules.js';
import type {Figures, MetricsSource} from './figures.js';

export type AlertState = 'firing' | 'resolved';

export type AlertRecord = {
	rule: AlertRuleName;
	level: AlertLevel;
	state: AlertState;
	/** The rule's own value in its own unit (ratio, seconds, MB, count, breaker 1/0.5/0); null = not enough data. */
	value: number | null;
	threshold: number;
	windowSeconds: number;
	/** Epoch ms of this transition (for active(): when the episode started). */
	at: number;
	/** e.g. "API error rate 7.5 % > 5 % over 5 min". */
	message: string;
	/** The machine it fired on (FRAMEIO_NODE_NAME, else the host name): on a farm, the node to look at. */
	host: string;
	/** In farm mode, for the farm's one message: every node the condition holds on. */
	nodes?: string[];
	/** The rule's recommended action (channels show it with a firing alert). */
	action: string;
	/** Ready-to-print parts, so that every channel shows the same text. */
	display: {title: string; summary: string; value: string; threshold: string; window: string | null};
};

export type AlertListener = (alert: AlertRecord) => void;

export type AlertEngineOptions = {
	/** Transitions kept for recent(); default 200. */
	historySize?: number;
	/** Default nodeName(): FRAMEIO_NODE_NAME, else the host name. */
	host?: string;
	/**
	 * monitoring.system_metrics_interval, when a sampler feeds the metrics. A sampled figure (process memory) is read
	 * over at least two intervals and one second, whatever the rule's window: see sampledWindowMs.
	 */
	samplingIntervalSeconds?: number;
};

type RuleState = {active: boolean; since: number; lastFiredAt: number | null; notified: boolean; current: AlertRecord | null};

const levelRank: Record<AlertLevel, number> = {info: 0, warning: 1, error: 2, critical: 3};

/**
 * Turns figures into alert transitions. Each rule reads its own value over its own window and compares
 * it with its own threshold. While a rule's condition holds it fires once, then again only after its
 * cooldown has passed (a reminder); when the condition clears, one "resolved" notice follows, if the
 * episode was notified. A new episode that starts within the cooldown of the last firing stays silent
 * until the cooldown ends. A cooldown of 0 means one firing per episode, no reminders.
 * "Not enough data" (see MIN_SAMPLES) counts as not firing, so an alert resolves when its window empties.
 */
export class AlertEngine {
	private readonly states = new Map<AlertRuleName, RuleState>();
	private readonly history: AlertRecord[] = [];
	private readonly listeners = new Set<AlertListener>();
	private readonly historySize: number;
	private readonly host: string;
	private readonly samplingIntervalMs: number;

	constructor(
		private readonly config: AlertsConfig,
		options: AlertEngineOptions = {},
	) {
		this.historySize = options.historySize ?? 200;
		this.host = options.host ?? nodeName();
		this.samplingIntervalMs = (options.samplingIntervalSeconds ?? 0) * 1000;
		for (const rule of alertRuleNames) {
			this.states.set(rule, {active: false, since: 0, lastFiredAt: null, notified: false, current: null});
		}
	}

	/** Reads every enabled rule at `now`; returns the transitions (firing / resolved) it produced, and tells listeners. */
	evaluate(metrics: MetricsSource, now = Date.now()): AlertRecord[] {
		const byWindow = new Map<number, Figures>();
		const figuresFor = (windowMs: number) => {
			let figures = byWindow.get(windowMs);
			if (!figures) {
				figures = metrics.figures(windowMs, now);
				byWindow.set(windowMs, figures);
			}
			return figures;
		};
		const transitions: AlertRecord[] = [];
		for (const rule of alertRuleNames) {
			const config = this.config.rules[rule];
			const state = this.states.get(rule)!;
			if (!config.enabled) continue;
			const definition = ruleDefinitions[rule];
			// A window of 0 on a windowed rule means "everything the store still holds".
			const windowMs = config.window_seconds > 0 ? config.window_seconds * 1000 : Number.POSITIVE_INFINITY;
			const readMs = !definition.windowed ? 1000 : definition.sampled ? sampledWindowMs(windowMs, this.samplingIntervalMs) : windowMs;
			const reading = definition.read(figuresFor(readMs), config.threshold);
			if (reading.firing) {
				if (!state.active) {
					state.active = true;
					state.since = now;
					state.notified = false;
				}
				const cooldownMs = config.cooldown_seconds * 1000;
				const due =
					state.lastFiredAt === null || (cooldownMs > 0 ? now - state.lastFiredAt >= cooldownMs : !state.notified);
				state.current = this.record(rule, 'firing', reading.value, state.since);
				if (due) {
					state.lastFiredAt = now;
					state.notified = true;
					transitions.push(this.record(rule, 'firing', reading.value, now));
				}
			} else if (state.active) {
				state.active = false;
				state.current = null;
				if (state.notified) transitions.push(this.record(rule, 'resolved', reading.value, now));
				state.notified = false;
			}
		}
		for (const alert of transitions) this.publish(alert);
		return transitions;
	}

	/** Rules whose condition holds now, most severe first, with their latest value. */
	active(): AlertRecord[] {
		return [...this.states.values()]
			.flatMap(state => (state.active && state.current ? [state.current] : []))
			.sort((a, b) => levelRank[b.level] - levelRank[a.level] || a.at - b.at);
	}

	/** The latest n transitions, newest first (at most historySize are kept). */
	recent(n = this.historySize): AlertRecord[] {
		return this.history.slice(-Math.max(0, n)).reverse();
	}

	onAlert(listener: AlertListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Evaluates every intervalMs on an unref'd timer; returns stop(). */
	run(metrics: MetricsSource, intervalMs: number): () => void {
		const timer = setInterval(() => this.evaluate(metrics), Math.max(100, intervalMs));
		timer.unref();
		return () => clearInterval(timer);
	}

	private record(rule: AlertRuleName, state: AlertState, value: number | null, at: number): AlertRecord {
		const config = this.config.rules[rule];
		const definition = ruleDefinitions[rule];
		const summary = definition.summary(value, config.threshold, state === 'firing');
		const window = !definition.windowed ? null : config.window_seconds > 0 ? windowLength(config.window_seconds) : 'all retained data';
		return {
			rule,
			level: config.level,
			state,
			value,
			threshold: config.threshold,
			windowSeconds: config.window_seconds,
			at,
			message: window ? `${summary} over ${window}` : summary,
			host: this.host,
			action: definition.action,
			display: {
				title: definition.title,
				summary,
				value: value === null ? 'N/A' : definition.formatValue(value),
				threshold: definition.formatThreshold(config.threshold),
				window,
			},
		};
	}

	private publish(alert: AlertRecord): void {
		this.history.push(alert);
		if (this.history.length > this.historySize) this.history.splice(0, this.history.length - this.historySize);
		for (const listener of this.listeners) {
			try {
				listener(alert);
			} catch {
				// a channel's bug must not stop the others or the evaluation
			}
		}
	}
}

/**
 * The span a sampled figure is read over. One sample lands per interval, and a window of W ms holds the events of the
 * last ceil(W / 1 s) whole seconds, i.e. between W - 1 s and W ms back. With W equal to the interval, the newest
 * sample is inside only until the next one is due, and the evaluation's timer (same period, started first) fires
 * just before the sampler's: the rule read "no data" every time and could never fire. So the window is at least two
 * intervals (a timer late by up to one interval) plus the one second of bucket rounding. The memory rule reads the
 * newest sample in it, so a longer span changes nothing while samples arrive, and a stopped sampler still empties it.
 */
export function sampledWindowMs(windowMs: number, samplingIntervalMs: number): number {
	return samplingIntervalMs > 0 ? Math.max(windowMs, 2 * samplingIntervalMs + 1000) : windowMs;
}
