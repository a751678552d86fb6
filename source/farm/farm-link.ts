// How this process stands with the farm: joined (Redis answers), lost (it does not: every block falls back to its
// local implementation at once, at the last known share of 1/N), or still connecting. Redis lost is said in a
// warning log line, in health and in the status bar (through status()); the connection reconnects by itself, and
// the next 'ready' rejoins, with an info line.
import type {Logger} from 'pino';
import type {MemberRoll} from './farm-members.js';
import type {FarmConnection} from './redis-settings.js';

export type FarmLinkState = 'connecting' | 'joined' | 'lost';

export type FarmLinkStatus = {
	state: FarmLinkState;
	/** When the state began (this node's clock). */
	since: number;
	/** Why Redis is lost (ioredis' message, free of secrets); null otherwise. */
	reason: string | null;
	/** Processes the farm counted last (at least 1: this one): the share of each bucket while lost is 1/nodes. */
	nodes: number;
	node: string;
	/** The Redis URL with the password as ***. */
	display: string;
	namespace: string;
};

export class FarmLink {
	private current: FarmLinkState = 'connecting';
	private since = Date.now();
	private reason: string | null = null;
	private nodes = 1;
	private readonly listeners = new Set<() => void>();
	private readonly detach: Array<() => void> = [];

	constructor(
		readonly connection: FarmConnection,
		private readonly roll: MemberRoll,
		private readonly logger: Logger,
	) {
		const redis = connection.redis;
		const onReady = () => this.joined();
		const onError = (error: Error) => (this.reason = error.message);
		const onClose = () => this.lost();
		redis.on('ready', onReady);
		redis.on('error', onError);
		redis.on('close', onClose);
		this.detach.push(() => {
			redis.off('ready', onReady);
			redis.off('error', onError);
			redis.off('close', onClose);
		});
		if (connection.connected) this.joined();
	}

	/** Redis answers now: use the farm's blocks; otherwise fall back at once, without waiting for a timeout. */
	get available(): boolean {
		return this.connection.connected;
	}

	/** This process's share of each bucket while it works alone. */
	get share(): number {
		return 1 / Math.max(1, this.nodes);
	}

	status(): FarmLinkStatus {
		return {
			state: this.current,
			since: this.since,
			reason: this.current === 'lost' ? this.reason : null,
			nodes: this.nodes,
			node: this.connection.nodeName,
			display: this.connection.display,
			namespace: this.connection.namespace,
		};
	}

	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** What the farm counted (a beat's touch, or a count): kept for the 1/N share. */
	counted(nodes: number): void {
		if (Number.isFinite(nodes) && nodes >= 1 && nodes !== this.nodes) {
			this.nodes = nodes;
			this.notify();
		}
	}

	/** Counts the farm now (a process that does not beat: a CLI command). Never throws. */
	async recount(): Promise<void> {
		try {
			this.counted(await this.roll.count());
		} catch {
			// keep the last count
		}
	}

	close(): void {
		for (const off of this.detach.splice(0)) off();
		this.listeners.clear();
	}

	private joined(): void {
		const was = this.current;
		if (was === 'joined') return;
		this.current = 'joined';
		this.since = Date.now();
		const where = `${this.connection.display} as ${this.connection.nodeName}`;
		if (was === 'lost') this.logger.info({redis: this.connection.display, node: this.connection.nodeName}, `farm: Redis is back; rejoined the farm at ${where}`);
		else this.logger.info({redis: this.connection.display, node: this.connection.nodeName, namespace: this.connection.namespace}, `farm: joined the farm at ${where}`);
		void this.recount();
		this.notify();
	}

	private lost(): void {
		if (this.current === 'lost') return;
		const wasJoined = this.current === 'joined';
		this.current = 'lost';
		this.since = Date.now();
		const why = this.reason ?? 'connection closed';
		const share = this.nodes > 1 ? `1/${this.nodes} of each rate-limit bucket` : 'the whole of each rate-limit bucket (no other node seen yet)';
		this.logger.warn(
			{redis: this.connection.display, node: this.connection.nodeName, reason: why, nodes: this.nodes},
			`farm: ${wasJoined ? 'lost Redis' : 'cannot reach Redis'} (${why}); working alone at ${share}, with local locks and cache; rejoining by itself when Redis is back`,
		);
		this.notify();
	}

	private notify(): void {
		for (const listener of this.listeners) {
			try {
				listener();
			} catch {
				// a reader's bug must not break the link
			}
		}
	}
}
