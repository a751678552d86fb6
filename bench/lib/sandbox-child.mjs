// The sandbox in its own process (forked by sandbox-proc.mjs), so that a bench measures the client's process
// alone and the two do not share one event loop. Requests arrive over IPC as {id, cmd, args}; answers go back
// as {id, ok, value | error}. The sandbox's token travels only over IPC, never to stdout.
import path from 'node:path';
import {pathToFileURL} from 'node:url';

const DIST = process.env.BENCH_DIST;
const {startSandbox} = await import(pathToFileURL(path.join(DIST, 'sandbox/index.js')).href);

let sandbox;

const handlers = {
	async start(options) {
		sandbox = await startSandbox(options);
		return {url: sandbox.url, token: sandbox.token, ids: sandbox.ids};
	},
	/** parentId/scene_i/shot_j: scenes × shots folders (and filesPerShot files in each shot). */
	tree({parentId, scenes, shots, filesPerShot = 0}) {
		let folders = 0;
		let files = 0;
		for (let s = 1; s <= scenes; s++) {
			const scene = sandbox.store.addFolder(parentId, `SC${String(s).padStart(3, '0')}_BENCH`);
			folders++;
			for (let k = 1; k <= shots; k++) {
				const shot = sandbox.store.addFolder(scene.id, `UNDLM_${String(s * 1000 + k).padStart(5, '0')}`);
				folders++;
				for (let f = 1; f <= filesPerShot; f++) {
					sandbox.store.addFile(shot.id, `UNDLM_SEQ${String(s).padStart(2, '0')}_${String(s * 1000 + k).padStart(5, '0')}_v${String(f).padStart(3, '0')}.mov`, 1024 * 1024);
					files++;
				}
			}
		}
		return {folders, files};
	},
	/** One folder under parentId holding `count` children (folders, or files). */
	wideFolder({parentId, name, count, kind = 'file'}) {
		const folder = sandbox.store.addFolder(parentId, name);
		for (let i = 0; i < count; i++) {
			const label = String(i).padStart(5, '0');
			if (kind === 'folder') sandbox.store.addFolder(folder.id, `CHILD_${label}`);
			else sandbox.store.addFile(folder.id, `UNDLM_SEQ01_${label}_v001.mov`, 1024 * 1024);
		}
		return {folderId: folder.id};
	},
	/** Requests since `since` (epoch ms), optionally only paths starting with `prefix`; no headers. */
	requests({since = 0, prefix = ''} = {}) {
		const out = [];
		for (const record of sandbox.requests) {
			if (record.at < since || !record.path.startsWith(prefix)) continue;
			out.push({method: record.method, path: record.path, status: record.status, at: record.at, faulted: record.faulted ?? null});
		}
		return out;
	},
	clearRequests() {
		sandbox.clearRequests();
		return true;
	},
	setFaults(profile) {
		sandbox.setFaults(profile);
		return true;
	},
	expireAllTokens() {
		sandbox.expireAllTokens();
		return true;
	},
	issueAccessToken({ttlSeconds}) {
		return sandbox.issueAccessToken(ttlSeconds);
	},
	/** Files under folderId, recursively: [{id, name, size, status, sha256, complete, path}]. */
	files({folderId}) {
		const out = [];
		const walk = (id, prefix) => {
			for (const child of sandbox.store.children(id)) {
				if (child.type === 'folder') walk(child.id, `${prefix}${child.name}/`);
				else {
					const record = sandbox.store.fileRecord(child.id);
					out.push({id: child.id, name: child.name, size: child.file_size, status: child.status, sha256: record?.sha256 ?? null, complete: record?.complete ?? false, completedAt: record?.completedAt ? Date.parse(record.completedAt) : null, path: `${prefix}${child.name}`});
				}
			}
		};
		walk(folderId, '');
		return out;
	},
	/** Folders under folderId, recursively: [{id, name, path}]. */
	folders({folderId}) {
		const out = [];
		const walk = (id, prefix) => {
			for (const child of sandbox.store.children(id)) {
				if (child.type !== 'folder') continue;
				out.push({id: child.id, name: child.name, path: `${prefix}${child.name}`});
				walk(child.id, `${prefix}${child.name}/`);
			}
		};
		walk(folderId, '');
		return out;
	},
	/** Deletes every file under folderId (their part bytes go with them). */
	deleteFiles({folderId}) {
		let count = 0;
		for (const child of sandbox.store.children(folderId)) {
			if (child.type === 'file' && sandbox.store.deleteFile(child.id)) count++;
		}
		return count;
	},
	addFolder({parentId, name}) {
		return sandbox.store.addFolder(parentId, name).id;
	},
	memory() {
		return process.memoryUsage().rss;
	},
	async close() {
		await sandbox?.close();
		return true;
	},
};

process.on('message', async message => {
	const {id, cmd, args} = message;
	try {
		const value = await handlers[cmd](args ?? {});
		process.send({id, ok: true, value});
	} catch (error) {
		process.send({id, ok: false, error: error instanceof Error ? error.message : String(error)});
	}
	if (cmd === 'close') process.disconnect();
});
process.on('disconnect', async () => {
	await sandbox?.close().catch(() => {});
	process.exit(0);
});
process.send({ready: true});
