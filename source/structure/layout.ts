// The scene/shot layout of a project: the folders under the layout root (WIP_BYSHOT/<scene>/<shot> by default, from
// config/nomenclature.json), with each shot's file and version stack counts. Scenes and shots are listed through the
// cache; the counts take two requests per shot (a page of one with total_count, of files and of stacks: two separate
// 5-per-second budgets, so the second costs no time).
import type {NomenclatureConfig} from '../config/index.js';
import {compile} from '../nomenclature/index.js';
import type {ListingTally} from './cached-listing.js';
import {oldestFolder} from './find-or-create.js';
import type {StructureApi} from './structure-api.js';
import type {ListingReads} from './listing-reads.js';
import {byName} from './tree-walk.js';
import type {LayoutScene, SceneShotLayout} from './types.js';

export const DEFAULT_LAYOUT_ROOT: readonly string[] = ['WIP_BYSHOT'];

/** The literal folders a layout starts with: ['WIP_BYSHOT'] for `WIP_BYSHOT/{scene}/{shot}`. */
export function layoutRootOf(layoutSegments: readonly string[]): string[] {
	const root: string[] = [];
	for (const segment of layoutSegments) {
		if (segment.includes('{')) break;
		root.push(segment);
	}
	return root;
}

/** The layout root of config/nomenclature.json's folders.layout (the default when the config does not compile). */
export function layoutRootFromConfig(config: NomenclatureConfig): string[] {
	try {
		return layoutRootOf(compile(config).layoutSegments);
	} catch {
		return [...DEFAULT_LAYOUT_ROOT];
	}
}

export type LayoutRequest = {projectId: string; rootPath: readonly string[]; rootFolderId?: string};
export type StoredLayout = SceneShotLayout & {rootFolderId: string; rootGiven: boolean};
/** Shots whose files have been counted so far, of how many. */
export type LayoutProgress = {counted: number; shots: number};

/** Whether a cached layout answers this request: same layout root, and the same root folder (given, or the project's). */
export function sameLayoutRequest(layout: StoredLayout, request: LayoutRequest): boolean {
	if (request.rootFolderId === undefined ? layout.rootGiven : layout.rootFolderId !== request.rootFolderId) return false;
	return layout.rootPath.length === request.rootPath.length && layout.rootPath.every((name, index) => name === request.rootPath[index]);
}

export async function computeLayout(
	service: ListingReads,
	api: StructureApi,
	accountId: string,
	request: LayoutRequest,
	tally: ListingTally,
	now: () => number,
	onProgress?: (progress: LayoutProgress) => void,
): Promise<StoredLayout> {
	const rootFolderId = request.rootFolderId ?? (await service.project(accountId, request.projectId)).root_folder_id;
	const base = {projectId: request.projectId, rootPath: [...request.rootPath], rootFolderId, rootGiven: request.rootFolderId !== undefined, computedAt: now()};

	let layoutFolderId: string | null = rootFolderId;
	for (const name of request.rootPath) {
		const subfolders = await service.subfolders(accountId, layoutFolderId, tally);
		layoutFolderId = oldestFolder(subfolders.filter(folder => folder.name === name))?.id ?? null;
		if (layoutFolderId === null) break;
	}
	if (layoutFolderId === null) return {...base, layoutFolderId: null, scenes: [], totals: {scenes: 0, shots: 0, files: 0, stacks: 0}};

	const sceneFolders = (await service.subfolders(accountId, layoutFolderId, tally)).sort(byName);
	const shotLists = await Promise.all(sceneFolders.map(async scene => (await service.subfolders(accountId, scene.id, tally)).sort(byName)));
	// Counting files takes one request per shot: the slow part on a big project, hence the progress.
	const shotCount = shotLists.reduce((sum, shots) => sum + shots.length, 0);
	let counted = 0;
	onProgress?.({counted, shots: shotCount});
	const scenes: LayoutScene[] = await Promise.all(
		sceneFolders.map(async (scene, index) => {
			const shots = await Promise.all(
				shotLists[index].map(async shot => {
					const [files, stacks] = await Promise.all([api.fileCount(accountId, shot.id), api.stackCount(accountId, shot.id)]);
					onProgress?.({counted: ++counted, shots: shotCount});
					return {id: shot.id, name: shot.name, files, stacks};
				}),
			);
			return {id: scene.id, name: scene.name, shots, files: shots.reduce((sum, shot) => sum + shot.files, 0), stacks: shots.reduce((sum, shot) => sum + shot.stacks, 0)};
		}),
	);
	const totals = {
		scenes: scenes.length,
		shots: scenes.reduce((sum, scene) => sum + scene.shots.length, 0),
		files: scenes.reduce((sum, scene) => sum + scene.files, 0),
		stacks: scenes.reduce((sum, scene) => sum + scene.stacks, 0),
	};
	return {...base, layoutFolderId, scenes, totals};
}
