// The uploader in its own process (forked by the upload bench), so that its RSS is the engine's alone. It gets
// {url, token, accountId, files: [{path, folderId}], stateDir, rateLimitScale?} over IPC (the token never travels in argv), runs
// the upload queue from dist/ until every job finished, samples its own RSS every 20 ms, and answers with each
// job's outcome, the wall time and the peak RSS.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {pathToFileURL} from 'node:url';

const DIST = process.env.BENCH_DIST;
const load = rel => import(pathToFileURL(path.join(DIST, rel)).href);

// memoryUsage.rss() only: process.memoryUsage() also walks the heap spaces, which cost ~3 % of the uploader's CPU
// at one sample per 20 ms (a CPU profile of 20 × 50 MiB).
let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
	peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 20);

process.once('message', async ({url, token, accountId, files, stateDir, rateLimitScale = 1}) => {
	try {
		const frameio = await load('frameio/index.js');
		const upload = await load('upload/index.js');
		const {defaultConfig} = await load('config/index.js');
		const defaults = defaultConfig().optimization;
		// Scaled limits scale our global ceiling too, or it would set the pace instead.
		const rates = defaults.rate_limiting;
		const config = {...defaults, rate_limiting: {...rates, requests_per_second: rates.requests_per_second * rateLimitScale, burst_size: rates.burst_size * rateLimitScale}};
		const client = frameio.createFrameioClient({baseUrl: url, auth: new frameio.EnvTokenProvider(token), config, rateLimitScale});
		const queue = await upload.UploadQueue.open({api: upload.uploadApiFromClient(client), accountId, settings: upload.uploadSettingsFrom(config), stateDir});
		const rssAtStart = process.memoryUsage.rss();
		// How long each file waits for Frame.io after its bytes are sent (status polls, the final check); its transfer
		// slot is free meanwhile.
		const verifyingSince = new Map();
		const verifyMs = [];
		queue.on(event => {
			if (event.type !== 'state') return;
			if (event.job.state === 'verifying') verifyingSince.set(event.job.id, performance.now());
			else if (event.job.state === 'done' && verifyingSince.has(event.job.id)) verifyMs.push(performance.now() - verifyingSince.get(event.job.id));
		});
		// Part requests on the wire, sampled while any is: how full the parts budget (files × parts) is kept.
		const partsInFlight = [];
		const partsSampler = setInterval(() => {
			let parts = 0;
			for (const job of queue.snapshot().jobs) parts += job.partsInFlight;
			partsInFlight.push(parts);
		}, 20);
		const started = performance.now();
		const jobs = files.map(file => queue.add({path: file.path, targetFolderId: file.folderId}));
		await queue.onIdle();
		const seconds = (performance.now() - started) / 1000;
		clearInterval(partsSampler);
		// From the first sample with a part on the wire to the last one: the sending window as the uploader saw it.
		const first = partsInFlight.findIndex(parts => parts > 0);
		let last = partsInFlight.length - 1;
		while (last > first && partsInFlight[last] === 0) last--;
		const sending = first < 0 ? [] : partsInFlight.slice(first, last + 1);
		const outcome = jobs.map(job => {
			const done = queue.get(job.id);
			return {name: done.name, state: done.state, fileId: done.fileId, size: done.size, retries: done.retries, error: done.error};
		});
		await queue.close();
		client.close();
		clearInterval(sampler);
		process.send({ok: true, seconds, jobs: outcome, peakRss: Math.max(peakRss, highWaterMark()), rssAtStart, verifyMs, partsInFlight: sending});
	} catch (error) {
		process.send({ok: false, error: error instanceof Error ? error.message : String(error)});
	}
	process.disconnect();
});
process.send({ready: true});

/** The kernel's own peak RSS of this process (VmHWM), 0 where /proc is missing. */
function highWaterMark() {
	try {
		const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
		return match ? Number(match[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}
