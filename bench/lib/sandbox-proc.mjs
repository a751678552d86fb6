// Parent side of sandbox-child.mjs: fork it, start the sandbox, call its handlers, stop it.
import {fork} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {DIST} from './common.mjs';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sandbox-child.mjs');

/** → {url, token, ids, pid, call(cmd, args), close()} */
export async function startSandboxProcess(options = {}) {
	const child = fork(CHILD, [], {env: {...process.env, BENCH_DIST: DIST}, stdio: ['ignore', 'inherit', 'inherit', 'ipc']});
	const pending = new Map();
	let next = 1;
	let exited = false;
	child.on('message', message => {
		const waiter = pending.get(message.id);
		if (!waiter) return;
		pending.delete(message.id);
		if (message.ok) waiter.resolve(message.value);
		else waiter.reject(new Error(`sandbox ${waiter.cmd}: ${message.error}`));
	});
	child.on('exit', code => {
		exited = true;
		for (const waiter of pending.values()) waiter.reject(new Error(`sandbox process exited (${code}) during ${waiter.cmd}`));
		pending.clear();
	});
	await new Promise((resolve, reject) => {
		child.once('message', message => (message.ready ? resolve() : reject(new Error('sandbox process did not start'))));
		child.once('exit', code => reject(new Error(`sandbox process exited (${code}) before it was ready`)));
	});
	const call = (cmd, args) =>
		new Promise((resolve, reject) => {
			if (exited) return reject(new Error(`sandbox process has exited (${cmd})`));
			const id = next++;
			pending.set(id, {resolve, reject, cmd});
			child.send({id, cmd, args});
		});
	const started = await call('start', options);
	return {
		...started,
		pid: child.pid,
		call,
		async close() {
			if (exited) return;
			const gone = new Promise(resolve => child.once('exit', resolve));
			await call('close').catch(() => {});
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await gone;
			clearTimeout(timer);
		},
	};
}
