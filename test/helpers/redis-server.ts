// A real redis-server for the farm tests: Debian's package, one private server per test file on a free loopback
// port, persistence off, in a temporary directory. It can be stopped ("Redis lost"), paused ("Redis hangs") and
// started again on the same port ("Redis back"). Never a mock: the Lua scripts, TIME, expiries and pub/sub under
// test are the server's own.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, rmdirSync, statSync} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const INSTALL_COMMAND = 'sudo apt-get install -y redis-server';

export type RedisServer = {
	readonly port: number;
	/** redis://127.0.0.1:PORT (with the password when the server has one). */
	readonly url: string;
	/** Stops the server (SIGKILL by default: a crash, connections cut at once). */
	stop(signal?: NodeJS.Signals): Promise<void>;
	/** Starts it again on the same port, empty (nothing was persisted). */
	start(): Promise<void>;
	/** Freezes the process (SIGSTOP): connections stay open, nothing answers. */
	pause(): void;
	resume(): void;
	/** Stops the server and removes its directory. */
	close(): Promise<void>;
};

export type RedisServerOptions = {
	/** requirepass: clients must AUTH (the URL carries it). */
	password?: string;
};

const running = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});

/** Starts a private redis-server; call close() in afterAll. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
	const binary = await ensureRedisServerBinary();
	const dir = mkdtempSync(path.join(os.tmpdir(), 'frameio-admin-redis-'));
	let child: ChildProcess | null = null;
	let port = 0;

	const launch = async (wanted: number): Promise<void> => {
		const args = [
			'--port', String(wanted),
			'--bind', '127.0.0.1',
			'--save', '',
			'--appendonly', 'no',
			'--dir', dir,
			'--daemonize', 'no',
			'--logfile', '',
			'--loglevel', 'warning',
		];
		if (options.password) args.push('--requirepass', options.password);
		const proc = spawn(binary, args, {stdio: ['ignore', 'pipe', 'pipe']});
		let output = '';
		proc.stdout!.on('data', chunk => (output += chunk));
		proc.stderr!.on('data', chunk => (output += chunk));
		running.add(proc);
		proc.once('exit', () => running.delete(proc));
		try {
			await waitForPing(wanted, proc, () => output);
		} catch (error) {
			proc.kill('SIGKILL');
			throw error;
		}
		child = proc;
	};

	// A free port can be taken between our probe and redis-server's bind: try a few.
	for (let attempt = 1; ; attempt++) {
		port = await freePort();
		try {
			await launch(port);
			break;
		} catch (error) {
			if (attempt >= 5) throw error;
		}
	}

	const stop = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
		const proc = child;
		child = null;
		if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
		const exited = new Promise<void>(resolve => proc.once('exit', () => resolve()));
		proc.kill('SIGCONT');
		proc.kill(signal);
		await exited;
	};

	const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
	return {
		port,
		url: `redis://${auth}127.0.0.1:${port}`,
		stop,
		async start() {
			if (child) throw new Error('redis-server is already running');
			await launch(port);
		},
		pause() {
			child?.kill('SIGSTOP');
		},
		resume() {
			child?.kill('SIGCONT');
		},
		async close() {
			await stop();
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** Resolves once the server answers PING (or asks for AUTH, which is an answer too). */
async function waitForPing(port: number, proc: ChildProcess, output: () => string): Promise<void> {
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		if (proc.exitCode !== null || proc.signalCode !== null) {
			throw new Error(`redis-server exited on port ${port}: ${output().trim().slice(-500)}`);
		}
		if (await pingOnce(port)) return;
		await new Promise(resolve => setTimeout(resolve, 25));
	}
	throw new Error(`redis-server did not answer PING on port ${port} within 10 s: ${output().trim().slice(-500)}`);
}

function pingOnce(port: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = net.connect({port, host: '127.0.0.1'});
		let reply = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(500, () => done(false));
		socket.once('error', () => done(false));
		socket.on('data', chunk => {
			reply += chunk;
			if (reply.includes('\r\n')) done(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
		});
		socket.once('connect', () => socket.write('PING\r\n'));
	});
}

let binaryPromise: Promise<string> | null = null;

/**
 * The redis-server binary. When it is missing: as root on Debian/Ubuntu it is installed with apt-get (the test
 * setup does what CI does); elsewhere the error names the one command to run.
 */
export function ensureRedisServerBinary(): Promise<string> {
	binaryPromise ??= (async () => {
		const found = findBinary();
		if (found) return found;
		if (!canInstall()) {
			throw new Error(`redis-server is not installed; the farm tests need a real one. Run: ${INSTALL_COMMAND}`);
		}
		await withInstallLock(() => {
			// Another test worker may have installed it while we waited for the lock.
			if (!findBinary()) aptInstall();
		});
		const installed = findBinary();
		if (!installed) throw new Error(`redis-server is still missing after apt-get install. Run: ${INSTALL_COMMAND}`);
		return installed;
	})();
	return binaryPromise;
}

function findBinary(): string | null {
	const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
	for (const dir of dirs) {
		if (!dir) continue;
		const candidate = path.join(dir, 'redis-server');
		try {
			if (statSync(candidate).isFile()) return candidate;
		} catch {
			// not there
		}
	}
	return null;
}

function canInstall(): boolean {
	if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
	if (!existsSync('/usr/bin/apt-get') || !existsSync('/etc/os-release')) return false;
	const release = readFileSync('/etc/os-release', 'utf8');
	return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(release);
}

function aptInstall(): void {
	const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
	const install = () =>
		execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], {env, stdio: 'pipe', timeout: 300_000});
	try {
		install();
	} catch {
		// A fresh machine has no package lists yet.
		execFileSync('apt-get', ['update'], {env, stdio: 'pipe', timeout: 300_000});
		install();
	}
}

/** apt-get refuses to run twice at once, and test files run in parallel workers: one installs, the others wait. */
async function withInstallLock(fn: () => void): Promise<void> {
	const lock = path.join(os.tmpdir(), 'frameio-admin-redis-install.lock');
	const deadline = Date.now() + 600_000;
	for (;;) {
		try {
			mkdirSync(lock);
			break;
		} catch {
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}; remove it if no install is running`);
			// A lock older than the longest install is left over from a killed run.
			try {
				if (Date.now() - statSync(lock).mtimeMs > 600_000) rmdirSync(lock);
			} catch {
				// gone meanwhile
			}
			await new Promise(resolve => setTimeout(resolve, 250));
		}
	}
	try {
		fn();
	} finally {
		rmdirSync(lock);
	}
}
