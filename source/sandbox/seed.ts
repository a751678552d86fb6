// The demo account a new user sees: a documentary in post, shot by shot. Ids and sizes are the same on every
// start (ids derived from names, sizes from a seeded PRNG), so that tests and screenshots are repeatable.
import type {SandboxIds} from './types.js';
import {seededRandom, uuidFromName} from './ids.js';
import {MiB} from './upload-plan.js';
import type {SandboxStore} from './store.js';

const BASE_TIME = Date.parse('2026-01-05T09:00:00.000Z');

/** Shots per scene: the first two scenes exceed one page of 50. */
export const DEMO_SCENES: Array<{name: string; sequence: string; shots: number}> = [
	{name: 'SC01_SEQ01', sequence: 'SEQ01', shots: 64},
	{name: 'SC02_SEQ02', sequence: 'SEQ02', shots: 72},
	{name: 'SC03_SEQ03', sequence: 'SEQ03', shots: 18},
	{name: 'SC04_SEQ04', sequence: 'SEQ04', shots: 12},
	{name: 'SC05_SEQ05', sequence: 'SEQ05', shots: 20},
	{name: 'SC06_SEQ06', sequence: 'SEQ06', shots: 14},
];
export const DEMO_REFERENCE_FILES = 120;

export function seedDemo(store: SandboxStore): SandboxIds {
	const random = seededRandom(20260105);
	let minute = 0;
	const at = () => new Date(BASE_TIME + minute++ * 60_000).toISOString();
	const id = (name: string) => uuidFromName(name);

	store.user = {id: id('user'), name: 'Camille Laurent', email: 'camille.laurent@undlm-studio.example', avatar_url: null};
	const account = store.addAccount('Undlm Studio', {id: id('account:undlm'), at: at()});
	const post = store.addWorkspace(account.id, 'Post Production', {id: id('workspace:post'), at: at()});
	const archive = store.addWorkspace(account.id, 'Archive', {id: id('workspace:archive'), at: at()});

	const docu = store.addProject(post.id, 'UNDLM_DOCU', {
		id: id('project:UNDLM_DOCU'),
		rootFolderId: id('folder:UNDLM_DOCU'),
		description: 'Documentary: edit, VFX and delivery',
		at: at(),
	});
	const folder = (parentId: string, name: string, key: string) => store.addFolder(parentId, name, {id: id(`folder:${key}`), at: at()});
	const file = (parentId: string, name: string, size: number, key: string) =>
		store.addFile(parentId, name, size, 'transcoded', {id: id(`file:${key}`), at: at()});

	const wip = folder(docu.root_folder_id, 'WIP_BYSHOT', 'UNDLM_DOCU/WIP_BYSHOT');
	const delivery = folder(docu.root_folder_id, 'DELIVERY', 'UNDLM_DOCU/DELIVERY');
	const references = folder(docu.root_folder_id, 'REFERENCES', 'UNDLM_DOCU/REFERENCES');

	for (const scene of DEMO_SCENES) {
		const sceneKey = `UNDLM_DOCU/WIP_BYSHOT/${scene.name}`;
		const sceneFolder = folder(wip.id, scene.name, sceneKey);
		for (let index = 1; index <= scene.shots; index++) {
			const shot = String(index * 10).padStart(5, '0');
			const shotKey = `${sceneKey}/UNDLM_${shot}`;
			const shotFolder = folder(sceneFolder.id, `UNDLM_${shot}`, shotKey);
			// Most shots have one or two versions; a few have three. Empty shots exist too (not rendered yet).
			const roll = random();
			const versions = roll < 0.08 ? 0 : roll < 0.6 ? 1 : roll < 0.92 ? 2 : 3;
			for (let version = 1; version <= versions; version++) {
				const name = `UNDLM_${scene.sequence}_${shot}_v${String(version).padStart(3, '0')}.mp4`;
				file(shotFolder.id, name, Math.round((40 + random() * 360) * MiB), `${shotKey}/${name}`);
			}
		}
	}

	for (let index = 1; index <= DEMO_REFERENCE_FILES; index++) {
		const extension = index % 10 === 0 ? 'pdf' : index % 3 === 0 ? 'png' : 'jpg';
		const name = `REF_${String(index).padStart(4, '0')}.${extension}`;
		file(references.id, name, Math.round((0.2 + random() * 12) * MiB), `UNDLM_DOCU/REFERENCES/${name}`);
	}

	const masters = folder(delivery.id, 'MASTERS', 'UNDLM_DOCU/DELIVERY/MASTERS');
	for (const name of ['UNDLM_DOCU_v001_master.mov', 'UNDLM_DOCU_v002_master.mov', 'UNDLM_DOCU_v003_master.mxf']) {
		file(masters.id, name, Math.round((18_000 + random() * 6_000) * MiB), `UNDLM_DOCU/DELIVERY/MASTERS/${name}`);
	}
	for (const name of ['UNDLM_DOCU_trailer_v002.mp4', 'UNDLM_DOCU_subtitles_FR.pdf', 'UNDLM_DOCU_mix_stereo.wav']) {
		file(delivery.id, name, Math.round((5 + random() * 900) * MiB), `UNDLM_DOCU/DELIVERY/${name}`);
	}

	const small = (workspaceId: string, name: string, folders: string[], filesPerFolder: number) => {
		const project = store.addProject(workspaceId, name, {id: id(`project:${name}`), rootFolderId: id(`folder:${name}`), at: at()});
		for (const child of folders) {
			const sub = folder(project.root_folder_id, child, `${name}/${child}`);
			for (let index = 1; index <= filesPerFolder; index++) {
				const fileName = `${name}_${child}_${String(index).padStart(3, '0')}.mov`;
				file(sub.id, fileName, Math.round((30 + random() * 500) * MiB), `${name}/${child}/${fileName}`);
			}
		}
	};
	small(post.id, 'UNDLM_TRAILER', ['EDIT', 'GRADE', 'DELIVERY'], 4);
	small(post.id, 'UNDLM_PROMO', ['SOCIAL', 'BROADCAST'], 3);
	small(archive.id, 'UNDLM_2024_ARCHIVE', ['RUSHES', 'MASTERS'], 6);

	return {
		accountId: account.id,
		workspaceId: post.id,
		projectId: docu.id,
		rootFolderId: docu.root_folder_id,
		wipFolderId: wip.id,
		userId: store.user.id,
	};
}

/** An account with one workspace and one project with an empty WIP_BYSHOT: for tests that build their own tree. */
export function seedEmpty(store: SandboxStore): SandboxIds {
	const id = (name: string) => uuidFromName(`empty:${name}`);
	store.user = {id: id('user'), name: 'Sandbox User', email: 'user@sandbox.example', avatar_url: null};
	const account = store.addAccount('Sandbox Account', {id: id('account')});
	const workspace = store.addWorkspace(account.id, 'Sandbox Workspace', {id: id('workspace')});
	const project = store.addProject(workspace.id, 'UNDLM_DOCU', {id: id('project'), rootFolderId: id('root')});
	const wip = store.addFolder(project.root_folder_id, 'WIP_BYSHOT', {id: id('wip')});
	return {
		accountId: account.id,
		workspaceId: workspace.id,
		projectId: project.id,
		rootFolderId: project.root_folder_id,
		wipFolderId: wip.id,
		userId: store.user.id,
	};
}
