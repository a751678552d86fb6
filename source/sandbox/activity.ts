// Background activity for the console demo: new versions appear in shot folders and move through
// created → uploaded → transcoded; old simulated versions are removed so the tree stays bounded.
import type {SandboxStore} from './store.js';
import type {Timers} from './timers.js';
import {MiB} from './upload-plan.js';

const MAX_SIMULATED_FILES = 60;

export function startActivity(store: SandboxStore, timers: Timers, options: {intervalMs: number; random: () => number; wipFolderId: string}): void {
	const simulated: string[] = [];
	const pick = <T>(items: T[]): T | undefined => items[Math.floor(options.random() * items.length)];

	const tick = () => {
		const scene = pick(store.children(options.wipFolderId).filter(child => child.type === 'folder'));
		const shot = scene && pick(store.children(scene.id).filter(child => child.type === 'folder'));
		if (!scene || !shot) return;
		const versions = store.children(shot.id).filter(child => child.type === 'file').length;
		const sequence = /SEQ\d+/.exec(scene.name)?.[0] ?? 'SEQ01';
		const shotNumber = /\d{5}/.exec(shot.name)?.[0] ?? '00010';
		const name = `UNDLM_${sequence}_${shotNumber}_v${String(versions + 1).padStart(3, '0')}.mp4`;
		const file = store.addFile(shot.id, name, Math.round((40 + options.random() * 360) * MiB), 'created');
		simulated.push(file.id);
		const record = store.fileRecord(file.id)!;
		timers.after(options.intervalMs / 2, () => {
			if (store.fileRecord(file.id) !== record) return;
			record.uploadedAt = record.file.created_at;
			record.completedAt = new Date().toISOString();
			record.complete = true;
			store.setFileStatus(file.id, 'uploaded');
		});
		timers.after(options.intervalMs * 1.5, () => store.setFileStatus(file.id, 'transcoded'));
		while (simulated.length > MAX_SIMULATED_FILES) store.deleteFile(simulated.shift()!);
	};
	timers.every(options.intervalMs, tick);
}
