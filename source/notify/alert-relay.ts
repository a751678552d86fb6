// Which alerts reach the shared channels (Discord). Alone (today, and without farm mode) every transition of this
// process's alert engine goes out as it happens. In farm mode (farm/farm-alert-relay.ts) the nodes report to Redis
// that a rule holds on them, and a condition raises one message for the whole farm, naming the nodes it holds on,
// with the rule's cooldown kept farm-wide; alerts.log stays per node.
import type {AlertRecord} from '../metrics/alert-engine.js';

export interface AlertRelay {
	/** After each evaluation: the rules that hold here now, and the engine's own transitions of this evaluation. */
	evaluated(active: AlertRecord[], transitions: AlertRecord[]): void;
	/** Sends what is still held back or on its way (a message gathering its nodes), for a clean exit. */
	flush(): Promise<void>;
}

/** Every transition of this process goes out as it happens. */
export function ownAlertRelay(send: (alert: AlertRecord) => void): AlertRelay {
	return {
		evaluated: (_active, transitions) => {
			for (const alert of transitions) send(alert);
		},
		flush: async () => undefined,
	};
}
