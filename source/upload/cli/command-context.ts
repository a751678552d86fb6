// What every upload command opens once: the runtime (config, logs and their event log, client, cache), the
// nomenclature, the structure service, and the target account and root folder. close() undoes all of it.
import {openRuntime, type Runtime} from '../../app/runtime.js';
import {configuredTargetIds, Target, type SandboxTargetIds} from '../../app/target.js';
import type {Paths} from '../../config/paths.js';
import type {TokenSource} from '../../frameio/auth/token-provider.js';
import {FrameioError} from '../../frameio/errors.js';
import {compile, type Nomenclature} from '../../nomenclature/index.js';
import type {SandboxOptions} from '../../sandbox/index.js';
import {layoutRootOf, StructureService, structureApiFromClient} from '../../structure/index.js';
import {FolderResolver} from './folder-resolver.js';

export type TargetFlagValues = {accountId?: string; workspaceId?: string; projectId?: string; rootFolderId?: string};

export type UploadContext = {
	runtime: Runtime;
	nomenclature: Nomenclature;
	structure: StructureService;
	target: Target;
	accountId: string;
	rootFolderId: string;
	folders: FolderResolver;
	close(): Promise<void>;
};

export type OpenUploadContextOptions = {
	paths: Paths;
	sandbox: boolean;
	flags: TargetFlagValues;
	env?: NodeJS.ProcessEnv;
	sandboxOptions?: SandboxOptions;
	/** RuntimeOptions.cacheLoadInBackground (the console). */
	cacheLoadInBackground?: boolean;
};

/** Opening failed after the API target was known: carries the token's source for the failure message. */
export class UploadContextError extends Error {
	override readonly name = 'UploadContextError';
	constructor(
		override readonly cause: unknown,
		readonly tokenSource: TokenSource,
	) {
		super(cause instanceof Error ? cause.message : String(cause));
	}
}

export async function openUploadContext(options: OpenUploadContextOptions): Promise<UploadContext> {
	const env = options.env ?? process.env;
	const runtime = await openRuntime({paths: options.paths, sandbox: options.sandbox, env, sandboxOptions: options.sandboxOptions, cacheLoadInBackground: options.cacheLoadInBackground});
	try {
		const nomenclature = compile(runtime.config.nomenclature);
		const structure = new StructureService({
			api: structureApiFromClient(runtime.client),
			cache: runtime.cache,
			logger: runtime.logging.get('frameio.structure'),
			layoutRoot: layoutRootOf(nomenclature.layoutSegments),
		});
		const sandboxIds: SandboxTargetIds | undefined = runtime.target.sandbox ? runtime.target.sandbox.ids : undefined;
		const target = new Target(configuredTargetIds(options.flags, env, sandboxIds), structure);
		const accountId = await target.accountId();
		const rootFolderId = await target.rootFolderId();
		const logger = runtime.logging.get('frameio.upload');
		for (const note of target.notes) logger.info(note);
		const folders = new FolderResolver(
			{
				findOrCreatePath: (account, root, segments) => structure.findOrCreatePath(account, root, segments),
				exists: async (account, folderId) => {
					try {
						await runtime.client.folder(account, folderId);
						return true;
					} catch (error) {
						if (error instanceof FrameioError && error.status === 404) return false;
						throw error;
					}
				},
				forgetListings: parentIds => {
					for (const parentId of parentIds) runtime.cache.invalidateFolder(parentId);
				},
			},
			accountId,
			rootFolderId,
		);
		return {
			runtime,
			nomenclature,
			structure,
			target,
			accountId,
			rootFolderId,
			folders,
			async close() {
				await runtime.close();
			},
		};
	} catch (error) {
		await runtime.close().catch(() => {});
		throw new UploadContextError(error, runtime.target.auth.source);
	}
}
