// The Structure pane's slice: a lazily loaded tree. Expanding a node lists its children page by page (every page);
// each page bumps the version, which the store coalesces into at most one snapshot per window.
import {errorMessage} from './error-message.js';
import type {StructureSource, TreeNode} from './ports.js';
import type {SliceHandle} from './slice-handle.js';
import {ROOT_KEY, StructureTree, type CacheOrigin} from './structure-tree.js';

export type StructureSlice = {
	version: number;
	tree: StructureTree;
	/** Listings in flight (drives the spinner). */
	loading: number;
};

export function initialStructure(): StructureSlice {
	return {version: 0, tree: new StructureTree(), loading: 0};
}

export type StructureActions = {
	/** Lists the accounts once; with a single account (then a single workspace) opens it too. */
	loadRoots(): Promise<void>;
	expand(key: string): Promise<void>;
	collapse(key: string): void;
	toggle(key: string): Promise<void>;
	/** Lists a node's children again (the root: everything). */
	reload(key: string): Promise<void>;
	dispose(): void;
};

// Open the levels above projects automatically when there is only one way down.
const AUTO_OPEN = new Set(['account', 'workspace']);

/** Listings dropped together (a webhook drops a folder's two listings and its project's layout) are listed once. */
const RELIST_DELAY_MS = 50;

export function connectStructure(
	slice: SliceHandle<StructureSlice>,
	source: StructureSource,
	options: {setAnimating(on: boolean): void},
): StructureActions {
	const tree = slice.get().tree;
	const inFlight = new Map<string, {promise: Promise<void>; abort: AbortController}>();
	let disposed = false;

	const bump = () => {
		if (disposed) return;
		slice.update(current => ({version: current.version + 1, tree, loading: inFlight.size}));
		options.setAnimating(inFlight.size > 0);
	};

	const load = (key: string, fresh = false): Promise<void> => {
		const running = inFlight.get(key);
		if (running) return running.promise;
		const state = tree.get(key);
		if (!state) return Promise.resolve();
		const abort = new AbortController();
		tree.beginLoad(key);
		const promise = (async () => {
			let error: string | null = null;
			try {
				for await (const page of source.listChildren(key === ROOT_KEY ? null : state.node, abort.signal, {fresh})) {
					if (abort.signal.aborted) break;
					tree.addPage(key, page.items, page.fromCache, page.totalCount, page.staleAgeMs);
					bump();
				}
			} catch (caught) {
				if (!abort.signal.aborted) error = errorMessage(caught);
			}
			if (inFlight.get(key)?.abort === abort) inFlight.delete(key);
			if (!abort.signal.aborted) tree.endLoad(key, error);
			bump();
		})();
		inFlight.set(key, {promise, abort});
		bump();
		return promise;
	};

	/**
	 * Lists a loaded node again in place, when its cached listing was dropped: what is open under it stays open, and
	 * until the new listing is whole the old one stays on screen. A failure keeps the old listing and says why.
	 */
	const relist = (key: string): Promise<void> => {
		const state = tree.get(key);
		if (!state || inFlight.has(key)) return inFlight.get(key)?.promise ?? Promise.resolve();
		const abort = new AbortController();
		const promise = (async () => {
			const items: TreeNode[] = [];
			const origins = new Set<boolean>();
			let totalCount: number | null = null;
			let staleAgeMs: number | null = null;
			try {
				for await (const page of source.listChildren(state.node, abort.signal)) {
					if (abort.signal.aborted) return;
					items.push(...page.items);
					origins.add(page.fromCache);
					if (page.totalCount !== null) totalCount = page.totalCount;
					if (page.staleAgeMs !== undefined) staleAgeMs = Math.max(staleAgeMs ?? 0, page.staleAgeMs);
				}
				if (abort.signal.aborted) return;
				const fromCache: CacheOrigin = origins.size > 1 ? 'some' : origins.has(true) ? 'all' : 'none';
				tree.relist(key, items, {fromCache, totalCount, staleAgeMs});
			} catch (caught) {
				if (!abort.signal.aborted) state.error = `cannot list it again (the listing shown is the last read): ${errorMessage(caught)}`;
			} finally {
				if (inFlight.get(key)?.abort === abort) inFlight.delete(key);
				bump();
			}
		})();
		inFlight.set(key, {promise, abort});
		bump();
		return promise;
	};

	const dropped = new Set<string>();
	let relistTimer: ReturnType<typeof setTimeout> | undefined;
	// An open listing on screen is listed again; a closed one is forgotten and listed when it is opened, so that a
	// purge of everything does not list every folder ever opened.
	const unsubscribe = source.onListingsDropped?.(isDropped => {
		let forgot = false;
		for (const state of [...tree.nodes.values()]) {
			// (A node forgotten with an ancestor on the way is no longer in the tree.)
			if (tree.get(state.key) !== state || state.key === ROOT_KEY || state.children === null || state.loading || !isDropped(state.node)) continue;
			if (tree.isShownOpen(state.key)) dropped.add(state.key);
			else {
				tree.forgetChildren(state.key);
				forgot = true;
			}
		}
		if (forgot) bump();
		if (dropped.size === 0 || relistTimer) return;
		relistTimer = setTimeout(() => {
			relistTimer = undefined;
			const keys = [...dropped];
			dropped.clear();
			for (const key of keys) void relist(key);
		}, RELIST_DELAY_MS);
	});

	const autoOpen = async (key: string): Promise<void> => {
		const children = tree.get(key)?.children ?? [];
		if (children.length !== 1) return;
		const only = tree.get(children[0]);
		if (!only || !AUTO_OPEN.has(only.node.kind)) return;
		await expand(only.key);
		await autoOpen(only.key);
	};

	const expand = async (key: string): Promise<void> => {
		const state = tree.get(key);
		if (!state || !state.node.expandable) return;
		if (!state.expanded) {
			state.expanded = true;
			bump();
		}
		if (state.children === null && !state.loading) await load(key);
		else await inFlight.get(key)?.promise;
	};

	return {
		async loadRoots() {
			if (tree.root.children === null && !tree.root.loading) await load(ROOT_KEY);
			await autoOpen(ROOT_KEY);
		},
		expand,
		collapse(key) {
			const state = tree.get(key);
			if (!state?.expanded) return;
			state.expanded = false;
			bump();
		},
		async toggle(key) {
			const state = tree.get(key);
			if (!state) return;
			if (state.expanded) {
				state.expanded = false;
				bump();
				return;
			}
			await expand(key);
		},
		async reload(key) {
			const running = inFlight.get(key);
			if (running) {
				running.abort.abort();
				inFlight.delete(key);
			}
			const state = tree.get(key);
			if (!state) return;
			if (key !== ROOT_KEY) state.expanded = true;
			// From the API, replacing the cached copy: a folder made elsewhere shows now, not after the TTL.
			await load(key, true);
		},
		dispose() {
			disposed = true;
			unsubscribe?.();
			if (relistTimer) clearTimeout(relistTimer);
			for (const {abort} of inFlight.values()) abort.abort();
			inFlight.clear();
			options.setAnimating(false);
		},
	};
}
