// Runs a process and times it from spawn() to its first stdout byte and to its exit.
import {spawn} from 'node:child_process';
import {performance} from 'node:perf_hooks';

/** → {firstOutputMs, exitMs, code, stdout, stderr}; killed (code null) past timeoutMs. */
export function timedSpawn(command, args, {env = process.env, cwd, timeoutMs = 30_000} = {}) {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		let firstOutputMs = Number.NaN;
		const stdout = [];
		const stderr = [];
		const child = spawn(command, args, {env, cwd, stdio: ['ignore', 'pipe', 'pipe']});
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.stdout.on('data', chunk => {
			if (Number.isNaN(firstOutputMs)) firstOutputMs = performance.now() - started;
			stdout.push(chunk);
		});
		child.stderr.on('data', chunk => stderr.push(chunk));
		child.on('error', error => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', code => {
			clearTimeout(timer);
			resolve({
				firstOutputMs,
				exitMs: performance.now() - started,
				code,
				stdout: Buffer.concat(stdout).toString('utf8'),
				stderr: Buffer.concat(stderr).toString('utf8'),
			});
		});
	});
}
