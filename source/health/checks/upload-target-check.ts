import {TargetError, type Target} from '../../structure/target.js';
import type {TokenSource} from '../../frameio/auth/token-provider.js';
import type {StructureService} from '../../structure/index.js';
import {fail, pass, warn, type HealthCheck} from './types.js';
import {failureReason} from './failure-reason.js';

/** The layout root (WIP_BYSHOT) exists under the root folder, or can be created: a dry run of find-or-create on
 * fresh listings. */
export function uploadTargetCheck(structure: StructureService, target: Target, tokenSource: TokenSource): HealthCheck {
	return {
		id: 'upload.target',
		name: 'Upload target folder',
		async run() {
			try {
				const accountId = await target.accountId();
				const rootFolderId = await target.rootFolderId();
				const segments = structure.layoutRoot;
				if (segments.length === 0) return pass(`uploads go under the root folder ${rootFolderId} (the layout starts with a scene)`);
				const dry = await structure.findOrCreatePath(accountId, rootFolderId, segments, {dryRun: true, fresh: true});
				const path = segments.join('/');
				if (dry.folderId) return pass(`${path} exists (${dry.folderId})`);
				const missing = dry.segments.filter(segment => segment.status === 'missing').map(segment => segment.name);
				return warn(`${path} does not exist yet (missing: ${missing.join('/')}); the first upload creates it`);
			} catch (error) {
				if (error instanceof TargetError) return fail(error.message);
				return fail(failureReason(error, tokenSource));
			}
		},
	};
}
