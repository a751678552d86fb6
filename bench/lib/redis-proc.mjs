// A private redis-server for a bench (Debian's package), on a free loopback port, persistence off, and a MONITOR
// connection that counts the commands clients send (a script's own commands, shown as `[n lua]`, are not counted:
// they cost no round trip). → null when redis-server is not installed.
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function redisBinary() {
	for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin']) {
		const candidate = dir && path.join(dir, 'redis-server');
		if (candidate && existsSync(candidate)) return candidate;
	}
	return null;
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** One command over a fresh connection (RESP inline), resolving with the raw reply. */
export function redisCommand(port, command) {
	return new Promise((resolve, reject) => {
		const socket = net.connect({port, host: '127.0.0.1'});
		let reply = '';
		socket.once('error', reject);
		socket.on('data', chunk => {
			reply += chunk;
			// Bulk replies end with \r\n after their length's worth; INFO is one bulk reply.
			const match = /^\$(\d+)\r\n/.exec(reply);
			if (!match || Buffer.byteLength(reply) >= match[0].length + Number(match[1]) + 2) {
				if (match || reply.endsWith('\r\n')) {
					socket.end();
					resolve(reply);
				}
			}
		});
		socket.once('connect', () => socket.write(`${command}\r\n`));
	});
}

export async function startRedis() {
	const binary = redisBinary();
	if (!binary) return null;
	const dir = mkdtempSync(path.join(os.tmpdir(), 'frameio-bench-redis-'));
	const port = await freePort();
	const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'], {stdio: 'ignore'});
	const deadline = Date.now() + 10_000;
	for (;;) {
		try {
			if ((await redisCommand(port, 'PING')).startsWith('+PONG')) break;
		} catch {
			// not up yet
		}
		if (Date.now() > deadline) throw new Error('redis-server did not start');
		await new Promise(resolve => setTimeout(resolve, 50));
	}
	let monitor = null;
	let counted = 0;
	let byCommand = {};
	return {
		port,
		url: `redis://127.0.0.1:${port}`,
		command: text => redisCommand(port, text),
		/** Starts counting the commands clients send (MONITOR). */
		async count() {
			counted = 0;
			byCommand = {};
			monitor = net.connect({port, host: '127.0.0.1'});
			let partial = '';
			monitor.on('data', chunk => {
				const lines = (partial + chunk).split('\r\n');
				partial = lines.pop();
				for (const line of lines) {
					const match = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line);
					if (!match || match[1] === 'lua') continue;
					counted++;
					const name = match[2].toLowerCase();
					byCommand[name] = (byCommand[name] ?? 0) + 1;
				}
			});
			await new Promise(resolve => monitor.once('connect', resolve));
			monitor.write('MONITOR\r\n');
			await new Promise(resolve => setTimeout(resolve, 50));
		},
		/** The commands counted so far, by name. */
		byCommand: () => ({...byCommand}),
		/** Stops counting; → the commands clients sent meanwhile. */
		async counted() {
			await new Promise(resolve => setTimeout(resolve, 100));
			monitor?.destroy();
			monitor = null;
			return counted;
		},
		async close() {
			monitor?.destroy();
			child.kill('SIGKILL');
			await new Promise(resolve => child.once('exit', resolve));
			rmSync(dir, {recursive: true, force: true});
		},
	};
}
