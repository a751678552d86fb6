// The target flags every command that works on a project takes; structure/target.ts resolves what they name.
import type {TargetIdName} from '../../structure/target.js';
import type {FlagSpecs} from './command-line.js';

export const targetFlags = {
	accountId: {type: 'string'},
	workspaceId: {type: 'string'},
	projectId: {type: 'string'},
	rootFolderId: {type: 'string'},
} as const satisfies FlagSpecs & Record<TargetIdName, unknown>;

export const targetHelp = `Target
  --account-id ID      Account (or FRAMEIO_ACCOUNT_ID; default: the only account visible)
  --workspace-id ID    Workspace (or FRAMEIO_WORKSPACE_ID; default: the project's)
  --project-id ID      Project (or FRAMEIO_PROJECT_ID)
  --root-folder-id ID  Root folder of the layout (or FRAMEIO_ROOT_FOLDER_ID; default: the project's root folder)
  With --sandbox the ids default to the sandbox's demo project UNDLM_DOCU.`;
