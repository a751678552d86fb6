// The sandbox's data: accounts → workspaces → projects → folders/files, in memory. Part bytes live on disk
// (see parts.ts); this file only knows where.
import {readFileSync, rmSync} from 'node:fs';
import type {Account, FileStatus, Folder, FolderChild, FrameioFile, Project, User, Workspace} from '../frameio/types.js';
import {newId} from './ids.js';
import {mediaTypeFor} from './upload-plan.js';

/** Folder as the API sends it: the spec also requires `cover_file_id`. */
export type SandboxFolder = Folder & {cover_file_id: string | null};

/** Parts of a local (or remote) upload, stored as one file per part under `dir`. */
export type PartUpload = {
	sizes: number[];
	/** Signature of each part's presigned URL, index = part number - 1. */
	signatures: string[];
	/** Part numbers (1-based) whose bytes have fully landed. */
	received: Set<number>;
	dir: string;
	/** Bumped when a landed part is replaced, so a running checksum starts over. */
	generation: number;
};

export type FileRecord = {
	file: FrameioFile;
	uploadedAt: string | null;
	completedAt: string | null;
	complete: boolean;
	failed: boolean;
	sha256: string | null;
	parts: PartUpload | null;
};

type Created = {at?: string; id?: string};

export class SandboxStore {
	user: User = {id: newId(), name: 'Sandbox User', email: 'user@sandbox.invalid', avatar_url: null};
	readonly accounts: Account[] = [];
	readonly workspaces: Workspace[] = [];
	readonly projects: Project[] = [];
	private readonly folders = new Map<string, SandboxFolder>();
	private readonly files = new Map<string, FileRecord>();
	private readonly childIds = new Map<string, string[]>();
	/** Hooks for parts.ts: called when a file's bytes must be dropped. */
	onFileRemoved: (record: FileRecord) => void = record => {
		if (record.parts) rmSync(record.parts.dir, {recursive: true, force: true});
	};

	constructor(public viewBase: string) {}

	// ---- building ------------------------------------------------------------------------------

	addAccount(displayName: string, options: Created = {}): Account {
		const at = options.at ?? now();
		const account: Account & {adobe_id: null; v4_migrated_at: string} = {
			id: options.id ?? newId(),
			display_name: displayName,
			roles: ['admin', 'owner'],
			storage_limit: 5 * 1024 ** 4,
			storage_usage: 0,
			image: null,
			adobe_id: null,
			v4_migrated_at: at,
			created_at: at,
			updated_at: at,
		};
		this.accounts.push(account);
		return account;
	}

	addWorkspace(accountId: string, name: string, options: Created = {}): Workspace {
		const at = options.at ?? now();
		const workspace: Workspace = {id: options.id ?? newId(), name, account_id: accountId, created_at: at, updated_at: at};
		this.workspaces.push(workspace);
		return workspace;
	}

	addProject(workspaceId: string, name: string, options: Created & {rootFolderId?: string; description?: string} = {}): Project {
		const at = options.at ?? now();
		const id = options.id ?? newId();
		const rootFolderId = options.rootFolderId ?? newId();
		const project: Project = {
			id,
			name,
			workspace_id: workspaceId,
			root_folder_id: rootFolderId,
			status: 'active',
			storage: 0,
			restricted: false,
			description: options.description ?? null,
			view_url: `${this.viewBase}/project/${id}`,
			created_at: at,
			updated_at: at,
		};
		this.projects.push(project);
		const root: SandboxFolder = {
			id: rootFolderId,
			name,
			type: 'folder',
			parent_id: null,
			project_id: id,
			view_url: `${this.viewBase}/project/${id}/view/${rootFolderId}`,
			cover_file_id: null,
			created_at: at,
			updated_at: at,
		};
		this.folders.set(root.id, root);
		this.childIds.set(root.id, []);
		return project;
	}

	/** Creates a folder under parentId (same names allowed, as on Frame.io). */
	addFolder(parentId: string, name: string, options: Created = {}): SandboxFolder {
		const parent = this.requireFolder(parentId);
		const at = options.at ?? now();
		const id = options.id ?? newId();
		const folder: SandboxFolder = {
			id,
			name,
			type: 'folder',
			parent_id: parent.id,
			project_id: parent.project_id,
			view_url: `${this.viewBase}/project/${parent.project_id}/view/${id}`,
			cover_file_id: null,
			created_at: at,
			updated_at: at,
		};
		this.folders.set(id, folder);
		this.childIds.set(id, []);
		this.childIds.get(parent.id)!.push(id);
		this.touch(parent, at);
		return folder;
	}

	/** Adds a file with no stored bytes (a seeded or simulated file); its upload counts as complete unless status is 'created'. */
	addFile(parentId: string, name: string, size: number, status: FileStatus = 'transcoded', options: Created = {}): FrameioFile {
		const record = this.createFileRecord(parentId, name, size, options);
		record.file.status = status;
		if (status !== 'created') {
			record.complete = true;
			record.uploadedAt = record.file.created_at;
			record.completedAt = record.file.created_at;
		}
		return record.file;
	}

	/** A new file in state `created`, waiting for its bytes. */
	createFileRecord(parentId: string, name: string, size: number, options: Created = {}): FileRecord {
		const parent = this.requireFolder(parentId);
		const at = options.at ?? now();
		const id = options.id ?? newId();
		const file: FrameioFile = {
			id,
			name,
			type: 'file',
			parent_id: parent.id,
			project_id: parent.project_id,
			file_size: size,
			media_type: mediaTypeFor(name),
			status: 'created',
			view_url: `${this.viewBase}/project/${parent.project_id}/view/${id}`,
			created_at: at,
			updated_at: at,
		};
		const record: FileRecord = {file, uploadedAt: null, completedAt: null, complete: false, failed: false, sha256: null, parts: null};
		this.files.set(id, record);
		this.childIds.get(parent.id)!.push(id);
		this.touch(parent, at);
		return record;
	}

	setFileStatus(id: string, status: FileStatus): void {
		const record = this.files.get(id);
		if (!record) return;
		record.file.status = status;
		record.file.updated_at = now();
	}

	// ---- reading -------------------------------------------------------------------------------

	getFolder(id: string): SandboxFolder | undefined {
		return this.folders.get(id);
	}

	getFile(id: string): FrameioFile | undefined {
		return this.files.get(id)?.file;
	}

	fileRecord(id: string): FileRecord | undefined {
		return this.files.get(id);
	}

	getProject(id: string): Project | undefined {
		const project = this.projects.find(item => item.id === id);
		return project && {...project, storage: this.projectStorage(project.id)};
	}

	/** Children in creation order: folders and files mixed, as they were added. */
	children(folderId: string): FolderChild[] {
		const ids = this.childIds.get(folderId) ?? [];
		const out: FolderChild[] = [];
		for (const id of ids) {
			const item = this.folders.get(id) ?? this.files.get(id)?.file;
			if (item) out.push(item);
		}
		return out;
	}

	folderCountByName(parentId: string, name: string): number {
		return this.children(parentId).filter(child => child.type === 'folder' && child.name === name).length;
	}

	fileSha256(id: string): string | null {
		return this.files.get(id)?.sha256 ?? null;
	}

	/** The assembled bytes of an uploaded file (tests only: reads every part into memory). */
	fileBytes(id: string): Buffer | null {
		const parts = this.files.get(id)?.parts;
		if (!parts || parts.received.size !== parts.sizes.length) return null;
		return Buffer.concat(parts.sizes.map((_, index) => readFileSync(partPath(parts, index + 1))));
	}

	accountIdOfWorkspace(workspaceId: string): string | undefined {
		return this.workspaces.find(item => item.id === workspaceId)?.account_id;
	}

	accountIdOfProject(projectId: string): string | undefined {
		const project = this.projects.find(item => item.id === projectId);
		return project && this.accountIdOfWorkspace(project.workspace_id);
	}

	accountWithUsage(account: Account): Account {
		let usage = 0;
		for (const record of this.files.values()) {
			if (this.accountIdOfProject(record.file.project_id) === account.id) usage += record.file.file_size;
		}
		return {...account, storage_usage: usage};
	}

	projectStorage(projectId: string): number {
		let total = 0;
		for (const record of this.files.values()) if (record.file.project_id === projectId) total += record.file.file_size;
		return total;
	}

	isRootFolder(folderId: string): boolean {
		return this.projects.some(project => project.root_folder_id === folderId);
	}

	/** Folders of a subtree (root included), for tests and the activity simulator. */
	allFolders(): SandboxFolder[] {
		return [...this.folders.values()];
	}

	fileCount(): number {
		return this.files.size;
	}

	// ---- removing ------------------------------------------------------------------------------

	deleteFile(id: string): boolean {
		const record = this.files.get(id);
		if (!record) return false;
		this.files.delete(id);
		this.unlink(record.file.parent_id, id);
		this.onFileRemoved(record);
		return true;
	}

	/** Deletes a folder and everything under it. */
	deleteFolder(id: string): boolean {
		const folder = this.folders.get(id);
		if (!folder) return false;
		for (const childId of [...(this.childIds.get(id) ?? [])]) {
			if (this.folders.has(childId)) this.deleteFolder(childId);
			else this.deleteFile(childId);
		}
		this.folders.delete(id);
		this.childIds.delete(id);
		if (folder.parent_id) this.unlink(folder.parent_id, id);
		return true;
	}

	private unlink(parentId: string, childId: string): void {
		const list = this.childIds.get(parentId);
		if (!list) return;
		const index = list.indexOf(childId);
		if (index >= 0) list.splice(index, 1);
		const parent = this.folders.get(parentId);
		if (parent) this.touch(parent, now());
	}

	private touch(folder: SandboxFolder, at: string): void {
		if (at > folder.updated_at) folder.updated_at = at;
	}

	private requireFolder(id: string): SandboxFolder {
		const folder = this.folders.get(id);
		if (!folder) throw new Error(`no folder ${id}`);
		return folder;
	}
}

export function partPath(parts: PartUpload, partNo: number): string {
	return `${parts.dir}/${partNo}.part`;
}

export function now(): string {
	return new Date().toISOString();
}
