// One run of `frameio-admin upload FILE... --json` as a child process: its NDJSON events, its peak RSS
// (pidusage every 250 ms), its exit, and hooks that fire on its first progress event (to kill it with SIGKILL
// mid-upload, or to expire every token while it works). Bounded: killed after timeoutMs.
import {spawn} from 'node:child_process';
import pidusage from 'pidusage';

/**
 * → {code, signal, events, peakRss, rssSamples, killed, timedOut, stderr}
 * onProgress(child, event) is called once, on the first progress event (or after `hookAfterMs` if no progress
 * event came by then).
 */
export function runUpload({cli, files, env, args = [], timeoutMs = 300_000, onFirstProgress, hookAfterMs = 1500}) {
	return new Promise(resolve => {
		const child = spawn(process.execPath, [cli, 'upload', ...files, '--json', ...args], {env, stdio: ['ignore', 'pipe', 'pipe']});
		const events = [];
		let buffer = '';
		let stderr = '';
		let peakRss = 0;
		const rssSamples = [];
		let hooked = false;
		let killed = false;
		let timedOut = false;
		const fireHook = event => {
			if (hooked || !onFirstProgress) return;
			hooked = true;
			if (onFirstProgress(child, event) === 'killed') killed = true;
		};
		const hookTimer = onFirstProgress ? setTimeout(() => fireHook(null), hookAfterMs) : null;
		const sampler = setInterval(async () => {
			try {
				const {memory} = await pidusage(child.pid);
				peakRss = Math.max(peakRss, memory);
				rssSamples.push(memory);
			} catch {
				// exited between two samples
			}
		}, 250);
		const timer = setTimeout(() => {
			timedOut = true;
			child.kill('SIGKILL');
		}, timeoutMs);
		child.stdout.on('data', chunk => {
			buffer += chunk;
			let newline;
			while ((newline = buffer.indexOf('\n')) >= 0) {
				const line = buffer.slice(0, newline).trim();
				buffer = buffer.slice(newline + 1);
				if (!line) continue;
				try {
					const event = JSON.parse(line);
					events.push(event);
					if (event.event === 'progress') fireHook(event);
				} catch {
					events.push({event: 'unparsed', line: line.slice(0, 200)});
				}
			}
		});
		child.stderr.on('data', chunk => {
			stderr += chunk;
			if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
		});
		child.on('close', (code, signal) => {
			clearInterval(sampler);
			clearTimeout(timer);
			if (hookTimer) clearTimeout(hookTimer);
			pidusage.clear?.();
			resolve({code, signal, events, peakRss, rssSamples, killed, timedOut, stderr});
		});
	});
}
