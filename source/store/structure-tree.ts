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
	/** The listing came from the cache past its TTL (the API out of reach): the oldest page's age. */
	staleAgeMs: number | null;
	error: string | null;
	/** The name in lower case, made once: a filter compares every loaded name on every keystroke. */
	lowerName: string;
	/** `children` as the states themselves: walking 10 000 children per keystroke without a Map lookup each. */
	childStates: NodeState[] | null;
	/** The filter pass that last kept this node (a stamp instead of a Set of 10 000 keys per keystroke). */
	keptBy: number;
	/** childStates in the last order asked for, while neither changes. */
	sorted?: {order: string; source: NodeState[]; count: number; states: NodeState[]};
};

/** An order for the children of every node: `key` names it (a new key sorts again), null keeps the listing's. */
export type ChildOrder = {key: string; compare: (a: NodeState, b: NodeState) => number} | null;

export const ROOT_KEY = '';

export function nodeKey(node: TreeNode): string {
	return `${node.kind}:${node.id}`;
}

/** A row on screen: the node's own state (a filter keystroke over 10 000 rows allocates no row objects). */
export type VisibleRow = Pick<NodeState, 'key' | 'depth'>;

/** The rows on screen, and how many of them match the filter themselves (the others are their ancestors). */
export type FilteredRows = {rows: VisibleRow[]; matches: number};

/** A node as first seen: not listed, not open. */
function freshState(key: string, node: TreeNode, parent: string | null, depth: number, expanded = false): NodeState {
	return {
		key,
		node,
		parent,
		depth,
		expanded,
		children: null,
		loading: false,
		pages: 0,
		totalCount: null,
		fromCache: 'none',
		staleAgeMs: null,
		error: null,
		lowerName: node.name.toLowerCase(),
		childStates: null,
		keptBy: 0,
	};
}

export class StructureTree {
	readonly nodes = new Map<string, NodeState>();
	/** Bumped when nodes come or go: the last filter's matches are only reused while it stands. */
	private mutations = 0;
	private lastFilter: {needle: string; mutations: number; matched: NodeState[]} | null = null;
	private filterPass = 0;

	constructor() {
		this.nodes.set(ROOT_KEY, freshState(ROOT_KEY, {id: '', kind: 'account', name: '', expandable: true}, null, -1, true));
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
		this.clearChildren(state);
		state.loading = true;
		state.error = null;
	}

	addPage(key: string, items: readonly TreeNode[], fromCache: boolean, totalCount: number | null, staleAgeMs?: number): void {
		const state = this.nodes.get(key);
		if (!state) return;
		this.mutations++;
		const children = state.children ?? [];
		const childStates = state.childStates ?? [];
		for (const node of items) {
			if (this.nodes.has(nodeKey(node))) continue; // a listing that shifted between pages may repeat an item
			const child = this.addChild(state, node);
			children.push(child.key);
			childStates.push(child);
		}
		state.children = children;
		state.childStates = childStates;
		state.pages++;
		if (totalCount !== null) state.totalCount = totalCount;
		const origin: CacheOrigin = fromCache ? 'all' : 'none';
		state.fromCache = state.pages === 1 ? origin : state.fromCache === origin ? origin : 'some';
		if (staleAgeMs !== undefined) state.staleAgeMs = Math.max(state.staleAgeMs ?? 0, staleAgeMs);
	}

	/**
	 * A node's children as listed again (its cached listing was dropped: a webhook, another process, a purge), in
	 * place: a child still listed keeps its state (open, its own children, the cursor on it) with its node as listed
	 * now; a child gone is forgotten; a new one is added; in the listing's order. One swap, so the screen never shows
	 * the folder empty meanwhile.
	 */
	relist(key: string, items: readonly TreeNode[], origin: {fromCache: CacheOrigin; totalCount: number | null; staleAgeMs: number | null}): void {
		const state = this.nodes.get(key);
		if (!state) return;
		this.mutations++;
		const listed = new Set(items.map(nodeKey));
		for (const child of state.children ?? []) if (!listed.has(child)) this.forget(child);
		const children: string[] = [];
		const childStates: NodeState[] = [];
		const seen = new Set<string>();
		for (const node of items) {
			let existing = this.nodes.get(nodeKey(node));
			if (existing && seen.has(existing.key)) continue; // listed twice
			if (existing && existing.parent !== key) {
				// Moved here from another open folder whose listing is not read again yet: it leaves that one now.
				this.detach(existing);
				existing = undefined;
			}
			let child = existing;
			if (child) {
				child.node = node;
				child.lowerName = node.name.toLowerCase();
			} else child = this.addChild(state, node);
			seen.add(child.key);
			children.push(child.key);
			childStates.push(child);
		}
		state.children = children;
		state.childStates = childStates;
		state.sorted = undefined;
		state.pages = 1;
		state.totalCount = origin.totalCount;
		state.fromCache = origin.fromCache;
		state.staleAgeMs = origin.staleAgeMs;
		state.error = null;
	}

	/** Takes a node (and what is under it) out of its parent's children. */
	private detach(state: NodeState): void {
		const parent = state.parent === null ? undefined : this.nodes.get(state.parent);
		if (parent?.children) {
			parent.children = parent.children.filter(key => key !== state.key);
			parent.childStates = parent.childStates?.filter(child => child !== state) ?? null;
			parent.sorted = undefined;
		}
		this.forget(state.key);
	}

	/** Whether the node is open and so are all above it: its children are on screen (unless scrolled away). */
	isShownOpen(key: string): boolean {
		for (let state = this.nodes.get(key); state && state.key !== ROOT_KEY; state = state.parent === null ? undefined : this.nodes.get(state.parent)) {
			if (!state.expanded) return false;
		}
		return true;
	}

	/** Forgets a closed node's children (and theirs): opening it lists them again. */
	forgetChildren(key: string): void {
		const state = this.nodes.get(key);
		if (state?.children) this.clearChildren(state);
	}

	/** No children listed (and none of theirs kept), as before the first listing. */
	private clearChildren(state: NodeState): void {
		this.mutations++;
		if (state.children) for (const child of state.children) this.forget(child);
		state.children = null;
		state.childStates = null;
		state.sorted = undefined;
		state.pages = 0;
		state.totalCount = null;
		state.fromCache = 'none';
		state.staleAgeMs = null;
	}

	private addChild(parent: NodeState, node: TreeNode): NodeState {
		const child = freshState(nodeKey(node), node, parent.key, parent.depth + 1);
		this.nodes.set(child.key, child);
		return child;
	}

	endLoad(key: string, error: string | null): void {
		const state = this.nodes.get(key);
		if (!state) return;
		state.loading = false;
		state.error = error;
		if (!state.children && !error) {
			state.children = [];
			state.childStates = [];
		}
	}

	/** Rows on screen: the expanded part of the tree, depth first; with a filter, every loaded match and its ancestors. */
	visibleRows(filter = '', order: ChildOrder = null): VisibleRow[] {
		return this.filterRows(filter, order).rows;
	}

	/** A node's children in `order`, sorted once per order and per page that arrived. */
	private childrenOf(state: NodeState, order: ChildOrder): NodeState[] | null {
		const children = state.childStates;
		if (!children || !order) return children;
		const cached = state.sorted;
		if (cached && cached.order === order.key && cached.source === children && cached.count === children.length) return cached.states;
		const states = [...children].sort(order.compare);
		state.sorted = {order: order.key, source: children, count: children.length, states};
		return states;
	}

	/** visibleRows, and the number of matches counted on the way (one pass over the loaded nodes per keystroke). */
	filterRows(filter = '', order: ChildOrder = null): FilteredRows {
		const rows: VisibleRow[] = [];
		const needle = filter.trim().toLowerCase();
		if (needle === '') {
			const walk = (state: NodeState) => {
				const children = this.childrenOf(state, order);
				if (!children) return;
				for (const child of children) {
					rows.push(child);
					if (child.expanded) walk(child);
				}
			};
			walk(this.root);
			return {rows, matches: 0};
		}
		// The matches first, in one flat pass; typing one more character only re-tests what matched the shorter
		// filter. Each match then stamps itself and its ancestors as kept, and one pre-order pass emits them.
		const previous = this.lastFilter;
		const matched: NodeState[] = [];
		const test = (state: NodeState) => {
			if (state.key !== ROOT_KEY && state.lowerName.includes(needle)) matched.push(state);
		};
		// forEach rather than for…of: the first filter of a session runs before the JIT has warmed up, and a builtin
		// loop calling a small function gets there sooner than an iterator loop (measured ~45 → ~12 ms, 10 000 nodes).
		if (previous && previous.mutations === this.mutations && needle.includes(previous.needle)) previous.matched.forEach(test);
		else this.nodes.forEach(test);
		this.lastFilter = {needle, mutations: this.mutations, matched};
		const stamp = ++this.filterPass;
		for (const state of matched) {
			let current: NodeState | undefined = state;
			while (current && current.key !== ROOT_KEY && current.keptBy !== stamp) {
				current.keptBy = stamp;
				current = current.parent === null ? undefined : this.nodes.get(current.parent);
			}
		}
		const emit = (state: NodeState) => {
			const children = this.childrenOf(state, order);
			if (!children) return;
			for (const child of children) {
				if (child.keptBy !== stamp) continue;
				rows.push(child);
				emit(child);
			}
		};
		emit(this.root);
		return {rows, matches: matched.length};
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
