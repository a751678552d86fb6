// The sandbox's data: accounts → workspaces → projects → folders/version stacks/files, in memory. Part bytes live on
// disk (see parts.ts); this file only knows where. Every change is announced through onEvent (webhooks.ts listens).
import {readFileSync, rmSync} from 'node:fs';
import type {Account, FileStatus, Folder, FolderChild, FrameioFile, Project, User, VersionStack, WebhookEventType, Workspace} from '../frameio/types.js';
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

/** A version stack as stored: its files are in childIds (oldest first); name and head_version come from the newest. */
type StackRecord = Omit<VersionStack, 'name' | 'head_version'>;

/** A change, as a webhook event names it. */
export type StoreEvent = {type: WebhookEventType; resource: {id: string; type: 'file' | 'folder'}; projectId: string};

type Created = {at?: string; id?: string};

export class SandboxStore {
	user: User = {id: newId(), name: 'Sandbox User', email: 'user@sandbox.invalid', avatar_url: null};
	readonly accounts: Account[] = [];
	readonly workspaces: Workspace[] = [];
	readonly projects: Project[] = [];
	private readonly folders = new Map<string, SandboxFolder>();
	private readonly files = new Map<string, FileRecord>();
	private readonly stacks = new Map<string, StackRecord>();
	/** Children of a folder (mixed, creation order) or of a version stack (its files, oldest first). */
	private readonly childIds = new Map<string, string[]>();
	/** Told of every change after it is made (webhook deliveries); never throws into the store. */
	onEvent: (event: StoreEvent) => void = () => {};
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
		this.emit('folder.created', folder);
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
		this.emit('file.created', file);
		return record;
	}

	/** Moves a file's status on; `uploaded` is announced as file.upload.completed, `transcoded` as file.ready. */
	setFileStatus(id: string, status: FileStatus): void {
		const record = this.files.get(id);
		if (!record || record.file.status === status) return;
		record.file.status = status;
		record.file.updated_at = now();
		if (status === 'uploaded') this.emit('file.upload.completed', record.file);
		if (status === 'transcoded') this.emit('file.ready', record.file);
	}

	renameFile(id: string, name: string): FrameioFile {
		const file = this.requireFile(id).file;
		file.name = name;
		file.updated_at = now();
		this.emit('file.updated', file);
		return file;
	}

	renameFolder(id: string, name: string): SandboxFolder {
		const folder = this.requireFolder(id);
		folder.name = name;
		folder.updated_at = now();
		this.emit('folder.updated', folder);
		return folder;
	}

	/**
	 * Stacks files of one folder, oldest first: the last becomes the head. The stack takes the place of the first of
	 * them in the folder's listing. The caller has checked that every id is a file of that folder.
	 */
	createVersionStack(folderId: string, fileIds: string[]): VersionStack {
		const folder = this.requireFolder(folderId);
		const at = now();
		const id = newId();
		const stack: StackRecord = {
			id,
			type: 'version_stack',
			parent_id: folder.id,
			project_id: folder.project_id,
			view_url: `${this.viewBase}/project/${folder.project_id}/view/${id}`,
			created_at: at,
			updated_at: at,
		};
		const siblings = this.childIds.get(folder.id)!;
		const position = Math.min(...fileIds.map(fileId => siblings.indexOf(fileId)));
		siblings.splice(position, 0, id);
		this.stacks.set(id, stack);
		this.childIds.set(id, []);
		for (const fileId of fileIds) this.unlink(folder.id, fileId);
		for (const fileId of fileIds) this.link(this.requireFile(fileId).file, id, at);
		this.touch(folder, at);
		this.emit('file.versioned', this.requireFile(fileIds[fileIds.length - 1]).file);
		return this.getVersionStack(id)!;
	}

	/** Moves a file into a folder, or into a version stack where it becomes the head (file.versioned). */
	moveFile(id: string, targetId: string): FrameioFile {
		const file = this.requireFile(id).file;
		if (file.parent_id === targetId) return file;
		if (!this.folders.has(targetId) && !this.stacks.has(targetId)) throw new Error(`no folder or version stack ${targetId}`);
		const from = file.parent_id;
		this.unlink(from, id);
		this.link(file, targetId, now());
		this.dissolveIfSingle(from);
		this.emit(this.stacks.has(targetId) ? 'file.versioned' : 'file.updated', file);
		return file;
	}

	/** A new file with the same name, size, type and state in `folderId`; bytes are copied by the caller (parts.ts). */
	copyFile(id: string, folderId: string): FileRecord {
		const source = this.requireFile(id);
		const parent = this.requireFolder(folderId);
		const at = now();
		const copyId = newId();
		const record: FileRecord = {
			...source,
			file: {...source.file, id: copyId, parent_id: parent.id, project_id: parent.project_id, view_url: `${this.viewBase}/project/${parent.project_id}/view/${copyId}`, created_at: at, updated_at: at},
			parts: null,
		};
		this.files.set(copyId, record);
		this.childIds.get(parent.id)!.push(copyId);
		this.touch(parent, at);
		this.emit('file.copied', record.file);
		return record;
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

	/** Children in creation order: folders, files and version stacks mixed (a stack hides its files), as they were added. */
	children(folderId: string): FolderChild[] {
		const ids = this.childIds.get(folderId) ?? [];
		const out: FolderChild[] = [];
		for (const id of ids) {
			const item = this.folders.get(id) ?? this.files.get(id)?.file ?? this.getVersionStack(id);
			if (item) out.push(item);
		}
		return out;
	}

	/** A version stack with its name and head_version (the newest file). */
	getVersionStack(id: string): (VersionStack & {head_version: FrameioFile}) | undefined {
		const stack = this.stacks.get(id);
		const ids = this.childIds.get(id);
		const head = ids && this.files.get(ids[ids.length - 1])?.file;
		return stack && head && {...stack, name: head.name, head_version: head};
	}

	/** The files of a version stack, oldest first (the last is the head). */
	stackFiles(id: string): FrameioFile[] {
		return (this.childIds.get(id) ?? []).map(fileId => this.files.get(fileId)!.file);
	}

	/** The workspace a project belongs to. */
	workspaceIdOfProject(projectId: string): string | undefined {
		return this.projects.find(item => item.id === projectId)?.workspace_id;
	}

	/** Sibling folders that share a name: what a find-or-create race leaves behind. */
	duplicateFolders(): Array<{parent_id: string; name: string; ids: string[]}> {
		const out: Array<{parent_id: string; name: string; ids: string[]}> = [];
		for (const [parentId, ids] of this.childIds) {
			const byName = new Map<string, string[]>();
			for (const id of ids) {
				const folder = this.folders.get(id);
				if (folder) byName.set(folder.name, [...(byName.get(folder.name) ?? []), id]);
			}
			for (const [name, same] of byName) if (same.length > 1) out.push({parent_id: parentId, name, ids: same});
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

	/** Deletes a file (file.deleted); a version stack left with one file is dissolved. */
	deleteFile(id: string, announce = true): boolean {
		const record = this.files.get(id);
		if (!record) return false;
		this.files.delete(id);
		this.unlink(record.file.parent_id, id);
		this.onFileRemoved(record);
		if (announce) {
			this.dissolveIfSingle(record.file.parent_id);
			this.emit('file.deleted', record.file);
		}
		return true;
	}

	/** Deletes a folder and everything under it: one folder.deleted for the folder itself. */
	deleteFolder(id: string, announce = true): boolean {
		const folder = this.folders.get(id);
		if (!folder) return false;
		for (const childId of [...(this.childIds.get(id) ?? [])]) {
			if (this.folders.has(childId)) this.deleteFolder(childId, false);
			else if (this.stacks.has(childId)) this.deleteStack(childId);
			else this.deleteFile(childId, false);
		}
		this.folders.delete(id);
		this.childIds.delete(id);
		if (folder.parent_id) this.unlink(folder.parent_id, id);
		if (announce) this.emit('folder.deleted', folder);
		return true;
	}

	private deleteStack(id: string): void {
		for (const fileId of [...(this.childIds.get(id) ?? [])]) this.deleteFile(fileId, false);
		this.stacks.delete(id);
		this.childIds.delete(id);
	}

	/** A stack of one file is no stack: the file takes the stack's place in its folder (Frame.io unstacks it too). */
	private dissolveIfSingle(stackId: string): void {
		const stack = this.stacks.get(stackId);
		const ids = this.childIds.get(stackId);
		if (!stack || !ids || ids.length > 1) return;
		const siblings = this.childIds.get(stack.parent_id)!;
		const position = siblings.indexOf(stackId);
		if (ids.length === 1) {
			const file = this.files.get(ids[0])!.file;
			file.parent_id = stack.parent_id;
			siblings.splice(position, 1, file.id);
		} else siblings.splice(position, 1);
		this.stacks.delete(stackId);
		this.childIds.delete(stackId);
	}

	/** Puts a file last in a folder or stack (last in a stack = its head). */
	private link(file: FrameioFile, parentId: string, at: string): void {
		const stack = this.stacks.get(parentId);
		const folder = this.folders.get(parentId);
		file.parent_id = parentId;
		file.project_id = (stack ?? folder)!.project_id;
		file.updated_at = at;
		this.childIds.get(parentId)!.push(file.id);
		if (stack) stack.updated_at = at;
		const container = folder ?? (stack && this.folders.get(stack.parent_id));
		if (container) this.touch(container, at);
	}

	private unlink(parentId: string, childId: string): void {
		const list = this.childIds.get(parentId);
		if (!list) return;
		const index = list.indexOf(childId);
		if (index >= 0) list.splice(index, 1);
		const parent = this.folders.get(parentId);
		if (parent) this.touch(parent, now());
	}

	private emit(type: WebhookEventType, item: {id: string; type: string; project_id: string}): void {
		try {
			this.onEvent({type, resource: {id: item.id, type: item.type === 'folder' ? 'folder' : 'file'}, projectId: item.project_id});
		} catch {
			// A listener's fault must never undo or fail a change that is already made.
		}
	}

	private touch(folder: SandboxFolder, at: string): void {
		if (at > folder.updated_at) folder.updated_at = at;
	}

	private requireFile(id: string): FileRecord {
		const record = this.files.get(id);
		if (!record) throw new Error(`no file ${id}`);
		return record;
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
