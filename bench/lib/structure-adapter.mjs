// How the crawl bench walks a project: through the structure service when it is built (dist/structure), else
// through the client alone (every folder's children, folders only, every page, `concurrency` listings at once).
// Either way the returned count is of folders under WIP_BYSHOT, so the bench can check nothing was missed.
import {distHas, importDist} from './common.mjs';

async function fallback() {
	return {
		label: 'client-only BFS (dist/structure not built): children?type=folder, page_size 500, every page',
		async crawl({client, ids, concurrency}) {
			let found = 0;
			const queue = [ids.wipFolderId];
			let active = 0;
			let failure;
			await new Promise((resolve, reject) => {
				const pump = () => {
					if (failure) return;
					if (queue.length === 0 && active === 0) return resolve();
					while (active < concurrency && queue.length > 0) {
						const folderId = queue.shift();
						active++;
						(async () => {
							for await (const page of client.childrenPages(ids.accountId, folderId, {type: ['folder'], pageSize: 500})) {
								for (const child of page.data) {
									if (child.type !== 'folder') continue;
									found++;
									queue.push(child.id);
								}
							}
						})().then(
							() => {
								active--;
								pump();
							},
							error => {
								failure = error;
								reject(error);
							},
						);
					}
				};
				pump();
			});
			return found;
		},
	};
}

export async function structureCrawler() {
	if (distHas('structure/index.js')) {
		const structure = await importDist('structure/index.js');
		const adapted = await adaptStructure(structure);
		if (adapted) return adapted;
	}
	return fallback();
}

/** StructureService.projectTree from the root folder down, through an in-memory cache (a cold crawl). */
async function adaptStructure(structure) {
	if (typeof structure.StructureService !== 'function' || typeof structure.structureApiFromClient !== 'function') return null;
	const {ApiCache} = await importDist('cache/index.js');
	const {defaultConfig} = await importDist('config/index.js');
	return {
		label: 'StructureService.projectTree (dist/structure), depth unlimited, cold in-memory cache',
		async crawl({client, ids}) {
			const cache = new ApiCache({config: defaultConfig().optimization});
			await cache.open();
			try {
				const service = new structure.StructureService({api: structure.structureApiFromClient(client), cache});
				const tree = await service.projectTree(ids.accountId, ids.projectId, {depth: 1000, rootFolderId: ids.wipFolderId});
				const count = folder => folder.folders.reduce((sum, child) => sum + 1 + count(child), 0);
				return count(tree.project);
			} finally {
				await cache.close();
			}
		},
	};
}
