// Background traffic for the console on the built-in sandbox, so that a new user sees every pane live within
// seconds: browsing (cache hits and misses, latency), a rare request for a missing file (an error in the metrics),
// and a rendered shot uploaded every little while (the Uploads tab). Only ever started on the sandbox.
//
// The missing file is asked for once every DEMO_ERROR_MS: the Metrics tab shows a 404 now and then, but the error
// share stays under the default error_rate alert (5 % over 5 min). Once every 11 s, as before, kept that alert on
// for good in demo mode, and an alert that is always on teaches people to ignore alerts. At one per 3 min a 5-minute
// window holds at most 2 errors, against at least 60 latency probes (one per system_metrics_interval, 5 s).
import {randomBytes} from 'node:crypto';
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {Logger} from 'pino';
import type {StructureNode} from '../structure/index.js';

export type SandboxDemoDeps = {
	listChildren(node: StructureNode | null): AsyncIterable<{items: StructureNode[]}>;
	/** A read that 404s: a missing file. */
	missingFile(): Promise<unknown>;
	/** Absent: no demo uploads (a --readonly console). */
	addUpload?(filePath: string): Promise<void>;
	activeUploads(): number;
	/** Where the generated renders are written; removed on stop. */
	dir: string;
	logger?: Logger;
	random?: () => number;
};

export type SandboxDemoOptions = {browseMs?: number; errorMs?: number; uploadMs?: number};

/** One request for a missing file this often (see above). */
export const DEMO_ERROR_MS = 180_000;

const MiB = 1024 * 1024;
const SEQUENCES = ['SEQ01', 'SEQ02', 'SEQ03'];

export function startSandboxDemo(deps: SandboxDemoDeps, options: SandboxDemoOptions = {}): () => void {
	const random = deps.random ?? Math.random;
	const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
	const timers: NodeJS.Timeout[] = [];
	let renders = 0;
	let stopped = false;
	mkdirSync(deps.dir, {recursive: true});

	const every = (ms: number, task: () => Promise<unknown>) => {
		let running = false;
		const timer = setInterval(() => {
			if (running || stopped) return;
			running = true;
			task()
				.catch(error => deps.logger?.debug({err: error}, 'sandbox demo step failed'))
				.finally(() => (running = false));
		}, ms);
		timer.unref();
		timers.push(timer);
	};

	// A random walk down the tree, as a user browsing would: listings come from the cache or the API.
	every(options.browseMs ?? 2500, async () => {
		let node: StructureNode | null = null;
		for (let depth = 0; depth < 5; depth++) {
			const items: StructureNode[] = [];
			for await (const page of deps.listChildren(node)) items.push(...page.items);
			const next = pick(items.filter(item => item.expandable));
			if (!next) return;
			node = next;
		}
	});

	every(options.errorMs ?? DEMO_ERROR_MS, () => deps.missingFile());

	// One block of random bytes, repeated: realistic enough for an upload, and cheap to write.
	const block = randomBytes(MiB);
	const addUpload = deps.addUpload;
	if (addUpload) every(options.uploadMs ?? 6000, async () => {
		if (deps.activeUploads() >= 2) return;
		renders++;
		const shot = String(10 * (1 + Math.floor(random() * 12))).padStart(5, '0');
		const name = `UNDLM_${pick(SEQUENCES)}_${shot}_v${String(100 + renders).padStart(3, '0')}.mp4`;
		const file = path.join(deps.dir, name);
		const mebibytes = 6 + Math.floor(random() * 18);
		writeFileSync(file, Buffer.concat(Array.from({length: mebibytes}, () => block)));
		await addUpload(file);
	});

	return () => {
		stopped = true;
		for (const timer of timers) clearInterval(timer);
		rmSync(deps.dir, {recursive: true, force: true});
	};
}
