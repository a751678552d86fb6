// Nodes seen as a farm: a process that runs for a while (the console, watch, upload) beats every interval: its
// heartbeat (heartbeat.ts, a JSON summary under its own key that expires after a few intervals) and its line in the
// member roll (farm-members.ts, which gives the 1/N share). A process that dies stops beating and leaves the list by
// itself when its keys expire; one that stops cleanly leaves at once.
import type {Logger} from 'pino';
import {isFarmUnavailable} from './farm-error.js';
import type {FarmLink} from './farm-link.js';
import type {MemberRoll} from './farm-members.js';
import {RedisHeartbeat} from './heartbeat.js';
import type {FarmConnection} from './redis-settings.js';

export type FarmPresenceOptions = {
	version: string | null;
	intervalMs: number;
	logger?: Logger;
};

export class FarmPresence {
	private heartbeat: RedisHeartbeat | null = null;
	private timer: NodeJS.Timeout | null = null;
	private warned = false;

	constructor(
		private readonly connection: FarmConnection,
		private readonly roll: MemberRoll,
		private readonly link: FarmLink,
		private readonly options: FarmPresenceOptions,
	) {}

	get instance(): string | null {
		return this.heartbeat?.instance ?? null;
	}

	/** Beats now and every interval, with what `summary` says at each beat. */
	start(summary: () => Record<string, unknown>): void {
		if (this.heartbeat) return;
		const heartbeat = new RedisHeartbeat(this.connection, {version: this.options.version ?? undefined, intervalMs: this.options.intervalMs, payload: summary});
		this.heartbeat = heartbeat;
		const member = `${encodeURIComponent(this.connection.nodeName)}/${heartbeat.instance}`;
		const ttlMs = 3 * this.options.intervalMs;
		const beat = async () => {
			if (!this.link.available) return;
			try {
				await heartbeat.beat();
				this.link.counted(await this.roll.touch(member, ttlMs));
				this.warned = false;
			} catch (error) {
				// Unavailable is the link's to say; anything else (a summary too large) once, not every beat.
				if (!isFarmUnavailable(error) && !this.warned) {
					this.warned = true;
					this.options.logger?.warn({err: error}, `farm: heartbeat not sent: ${error instanceof Error ? error.message : String(error)}`);
				}
			}
		};
		void beat();
		this.timer = setInterval(() => void beat(), this.options.intervalMs);
		this.timer.unref();
		// Back from a Redis outage: beat at once rather than wait for the next tick.
		this.link.onChange(() => {
			if (this.heartbeat && this.link.status().state === 'joined') void beat();
		});
	}

	/** Stops beating and leaves the list at once (when Redis answers; else the keys expire). */
	async stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		const heartbeat = this.heartbeat;
		this.heartbeat = null;
		if (!heartbeat || !this.link.available) return;
		await heartbeat.stop().catch(() => undefined);
		await this.roll.leave(`${encodeURIComponent(this.connection.nodeName)}/${heartbeat.instance}`).catch(() => undefined);
	}
}
