// What the rest of the app sees of farm mode, and the local implementation of each piece: a node on its own (no
// Redis configured) has nobody to tell it is alive, sends its own alerts, and reports "farm mode off" to health and
// the status bar. app/farm-graph.ts builds the Redis side; open-app.ts picks one or the other, and nothing else asks
// which it got. (The seams inside the services, the rate budget, the breaker gate, the cache's second layer and the
// folder lock, have their local implementations next to their interfaces.)
import type {AlertRecord} from '../metrics/alert-engine.js';
import {aloneFarmProbe, type FarmProbe} from '../health/checks/farm-check.js';
import {ownAlertRelay, type AlertRelay} from '../notify/alert-relay.js';

/** A long-running process telling the farm it is alive, with a summary at each beat. */
export type NodePresence = {
	start(summary: () => Record<string, unknown>): void;
	stop(): Promise<void>;
};

export type FarmState = {
	state: 'connecting' | 'joined' | 'lost';
	/** Processes the farm counted last (the share while lost is 1/nodes). */
	nodes: number;
	node: string;
	/** When the state began. */
	since: number;
	reason: string | null;
};

export type AlertRelayOptions = {
	/** The rule's cooldown in ms. */
	cooldownMs: (rule: string) => number;
	/** The alert engine's evaluation interval. */
	intervalMs: number;
};

export type FarmSide = {
	/** null: farm mode off. */
	state(): FarmState | null;
	/** Called when the state changes (joined, lost, the count of nodes). */
	onChange(listener: () => void): () => void;
	presence: NodePresence;
	/** Which alerts reach Discord (`send`), once per farm or once per node. */
	alertRelay(send: (alert: AlertRecord) => void, options: AlertRelayOptions): AlertRelay;
	healthProbe: FarmProbe;
	close(): Promise<void>;
};

/** A node on its own. */
export const aloneFarm: FarmSide = {
	state: () => null,
	onChange: () => () => undefined,
	presence: {start: () => undefined, stop: async () => undefined},
	alertRelay: send => ownAlertRelay(send),
	healthProbe: aloneFarmProbe,
	close: async () => undefined,
};
