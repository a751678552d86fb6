// The loaded part of the account → workspace → project → folder tree. Mutable on purpose: a folder of 10 000
// children grows page by page, and copying the whole tree per page would be quadratic. The slice publishes a new
// version number on every change, which is what subscribers compare.
import type {TreeNode} from './ports.js';

export type CacheOrigin = 'none' | 'some' | 'all';

export type NodeState = {
	key: string;
	node: TreeNode;
	parent: string | null;
	depth: number;
	expanded: boolean;
	/** null until the first page arrives. */
	children: string[] | null;
	loading: boolean;
	pages: number;
	totalCount: number | null;
	/** Whether the pages of the listing came from the cache. */
	fromCache: CacheOrigin;
	error: string | null;
};

export const ROOT_KEY = '';

export function nodeKey(node: TreeNode): string {
	return `${node.kind}:${node.id}`;
}

export type VisibleRow = {key: string; depth: number};

export class StructureTree {
	readonly nodes = new Map<string, NodeState>();

	constructor() {
		this.nodes.set(ROOT_KEY, {
			key: ROOT_KEY,
			node: {id: '', kind: 'account', name: '', expandable: true},
			parent: null,
			depth: -1,
			expanded: true,
			children: null,
			loading: false,
			pages: 0,
			totalCount: null,
			fromCache: 'none',
			error: null,
		});
	}

	get root(): NodeState {
		return this.nodes.get(ROOT_KEY)!;
	}

	get(key: string): NodeState | undefined {
		return this.nodes.get(key);
	}

	/** Starts a (re)load: forgets the old children and their subtrees. */
	beginLoad(key: string): void {
		const state = this.nodes.get(key);
		if (!state) return;
		if (state.children) for (const child of state.children) this.forget(child);
		state.children = null;
		state.loading = true;
		state.pages = 0;
		state.totalCount = null;
		state.fromCache = 'none';
		state.error = null;
	}

	addPage(key: string, items: readonly TreeNode[], fromCache: boolean, totalCount: number | null): void {
		const state = this.nodes.get(key);
		if (!state) return;
		const children = state.children ?? [];
		for (const node of items) {
			const childKey = nodeKey(node);
			if (this.nodes.has(childKey)) continue; // a listing that shifted between pages may repeat an item
			this.nodes.set(childKey, {
				key: childKey,
				node,
				parent: key,
				depth: state.depth + 1,
				expanded: false,
				children: null,
				loading: false,
				pages: 0,
				totalCount: null,
				fromCache: 'none',
				error: null,
			});
			children.push(childKey);
		}
		state.children = children;
		state.pages++;
		if (totalCount !== null) state.totalCount = totalCount;
		const origin: CacheOrigin = fromCache ? 'all' : 'none';
		state.fromCache = state.pages === 1 ? origin : state.fromCache === origin ? origin : 'some';
	}

	endLoad(key: string, error: string | null): void {
		const state = this.nodes.get(key);
		if (!state) return;
		state.loading = false;
		state.error = error;
		if (!state.children && !error) state.children = [];
	}

	/** Rows on screen: the expanded part of the tree, depth first; with a filter, every loaded match and its ancestors. */
	visibleRows(filter = ''): VisibleRow[] {
		const rows: VisibleRow[] = [];
		const needle = filter.trim().toLowerCase();
		if (needle === '') {
			const walk = (key: string) => {
				const state = this.nodes.get(key);
				if (!state?.children) return;
				for (const child of state.children) {
					const childState = this.nodes.get(child)!;
					rows.push({key: child, depth: childState.depth});
					if (childState.expanded) walk(child);
				}
			};
			walk(ROOT_KEY);
			return rows;
		}
		// Post-order marks which subtrees hold a match, then one pre-order pass emits them.
		const keep = new Set<string>();
		const mark = (key: string): boolean => {
			const state = this.nodes.get(key)!;
			let any = key !== ROOT_KEY && state.node.name.toLowerCase().includes(needle);
			if (state.children) for (const child of state.children) if (mark(child)) any = true;
			if (any) keep.add(key);
			return any;
		};
		mark(ROOT_KEY);
		const emit = (key: string) => {
			const state = this.nodes.get(key);
			if (!state?.children) return;
			for (const child of state.children) {
				if (!keep.has(child)) continue;
				rows.push({key: child, depth: this.nodes.get(child)!.depth});
				emit(child);
			}
		};
		emit(ROOT_KEY);
		return rows;
	}

	/** Loaded nodes, the root excluded. */
	get size(): number {
		return this.nodes.size - 1;
	}

	private forget(key: string): void {
		const state = this.nodes.get(key);
		if (!state) return;
		if (state.children) for (const child of state.children) this.forget(child);
		this.nodes.delete(key);
	}
}
