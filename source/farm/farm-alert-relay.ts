// Alerts once per farm (notify/alert-relay.ts). After each evaluation this node reports to Redis which rules hold on
// it (alert-dedupe.ts: hold while it holds, clear when it stops); the one node whose report starts an episode (or
// passes the rule's cooldown) raises, and the one whose report ends it resolves. The raising node waits a moment
// (gatherMs: the other nodes evaluate on their own clocks) and then names every node the condition holds on, in one
// message. alerts.log stays per node: the engine writes it before the relay runs.
//
// Redis lost: this node's own transitions go out as they would alone (one message per node until Redis is back).
import type {Logger} from 'pino';
import type {AlertRecord} from '../metrics/alert-engine.js';
import type {AlertRelay} from '../notify/alert-relay.js';
import type {AlertDedupe, FarmAlertTransition} from './alert-dedupe.js';
import {isFarmUnavailable} from './farm-error.js';
import type {FarmLink} from './farm-link.js';

type Rule = AlertRecord['rule'];

export type FarmAlertRelayOptions = {
	/** The rule's cooldown (alerts.json cooldown_seconds), in ms. */
	cooldownMs: (rule: string) => number;
	/** How long a report stands unless renewed: several evaluation intervals. */
	holdTtlMs: number;
	/** How long a raising node waits for the other nodes' reports before it sends. */
	gatherMs: number;
	send: (alert: AlertRecord) => void;
	logger?: Logger;
};

export class FarmAlertRelay implements AlertRelay {
	/** Rules this process reported as holding. */
	private readonly held = new Set<Rule>();
	/** Rules the farm had active when last heard of, with the record that named them (to resolve them later). */
	private readonly farmActive = new Map<Rule, AlertRecord>();
	private readonly gathering = new Map<Rule, {timer: NodeJS.Timeout; record: AlertRecord}>();
	private queue: Promise<void> = Promise.resolve();

	constructor(
		private readonly dedupe: AlertDedupe,
		private readonly link: FarmLink,
		private readonly options: FarmAlertRelayOptions,
	) {}

	evaluated(active: AlertRecord[], transitions: AlertRecord[]): void {
		// One evaluation at a time, in order: a clear must not overtake the hold before it.
		this.queue = this.queue.then(() => this.report(active, transitions)).catch(error => this.options.logger?.warn({err: error}, 'farm alerts: a report failed'));
	}

	async flush(): Promise<void> {
		await this.queue;
		const gathering = [...this.gathering.keys()];
		await Promise.all(gathering.map(rule => this.sendGathered(rule)));
	}

	private async report(active: AlertRecord[], transitions: AlertRecord[]): Promise<void> {
		if (!this.link.available) return this.alone(transitions);
		const holding = new Map(active.map(record => [record.rule, record]));
		try {
			for (const [rule, record] of holding) {
				const outcome = await this.dedupe.hold(rule, {cooldownMs: this.options.cooldownMs(rule), holdTtlMs: this.options.holdTtlMs});
				this.held.add(rule);
				this.farmActive.set(rule, record);
				if (outcome.action === 'raise') this.gather(record);
			}
			for (const rule of [...this.held]) {
				if (holding.has(rule)) continue;
				const outcome = await this.dedupe.clear(rule);
				this.held.delete(rule);
				this.settled(rule, outcome, transitions.find(record => record.rule === rule && record.state === 'resolved'));
			}
			// Rules that held elsewhere: a node that died stops reporting, and someone must resolve the episode.
			for (const rule of [...this.farmActive.keys()]) {
				if (holding.has(rule) || this.held.has(rule)) continue;
				this.settled(rule, await this.dedupe.sweep(rule));
			}
		} catch (error) {
			if (!isFarmUnavailable(error)) throw error;
			this.alone(transitions);
		}
	}

	/** Redis away: as one box would. */
	private alone(transitions: AlertRecord[]): void {
		for (const alert of transitions) this.options.send(alert);
	}

	/** After a clear or a sweep: a resolve is this node's to send; an episode that is over is forgotten. */
	private settled(rule: Rule, outcome: FarmAlertTransition, resolved?: AlertRecord): void {
		const last = this.farmActive.get(rule);
		if (outcome.since === null) this.farmActive.delete(rule);
		if (outcome.action !== 'resolve' || !last) return;
		this.cancelGathering(rule);
		this.options.send(resolved ? {...resolved, nodes: []} : {...last, state: 'resolved', at: Date.now(), message: `${last.display.title}: no node reports it any more`, nodes: []});
	}

	private gather(record: AlertRecord): void {
		if (this.gathering.has(record.rule)) return;
		const timer = setTimeout(() => void this.sendGathered(record.rule), this.options.gatherMs);
		timer.unref();
		this.gathering.set(record.rule, {timer, record});
	}

	private cancelGathering(rule: Rule): void {
		const pending = this.gathering.get(rule);
		if (pending) clearTimeout(pending.timer);
		this.gathering.delete(rule);
	}

	/** The raise, naming the nodes that hold the condition now. */
	private async sendGathered(rule: Rule): Promise<void> {
		const pending = this.gathering.get(rule);
		if (!pending) return;
		this.cancelGathering(rule);
		let nodes = [pending.record.host];
		let outcome: FarmAlertTransition | null = null;
		try {
			// A sweep reads the live holders (and drops the expired ones) without reporting anything.
			outcome = await this.dedupe.sweep(rule);
			if (outcome.nodes.length > 0) nodes = outcome.nodes;
		} catch (error) {
			if (!isFarmUnavailable(error)) this.options.logger?.warn({err: error}, 'farm alerts: reading the nodes failed');
		}
		this.options.send({...pending.record, nodes, host: nodes.join(', ')});
		// Over while it gathered (every holder gone): the sweep ended the episode, so this node says so too.
		if (outcome?.action === 'resolve') this.settled(rule, outcome);
	}
}
