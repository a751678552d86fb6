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
			if (!abort.signal.aborted) droppedAgain(key);
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
		const current = () => tree.get(key) === state && state.children !== null;
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
				// Closed and forgotten (or gone with its parent) meanwhile: what was read is not for it any more.
				if (abort.signal.aborted || !current()) return;
				const fromCache: CacheOrigin = origins.size > 1 ? 'some' : origins.has(true) ? 'all' : 'none';
				tree.relist(key, items, {fromCache, totalCount, staleAgeMs});
			} catch (caught) {
				if (!abort.signal.aborted && current()) state.error = `cannot list it again (the listing shown is the last read): ${errorMessage(caught)}`;
			} finally {
				if (inFlight.get(key)?.abort === abort) inFlight.delete(key);
				bump();
				if (!abort.signal.aborted) droppedAgain(key);
			}
		})();
		inFlight.set(key, {promise, abort});
		bump();
		return promise;
	};

	// Listings to read again, gathered for RELIST_DELAY_MS; listings dropped while they were being read (their read
	// may hold what came before the drop), read again once that read ends.
	const dropped = new Set<string>();
	const again = new Set<string>();
	let relistTimer: ReturnType<typeof setTimeout> | undefined;

	/**
	 * An open listing on screen is listed again; a closed one is forgotten and listed when it is opened, so that a
	 * purge of everything does not list every folder ever opened.
	 */
	const onDropped = (key: string): boolean => {
		if (key === ROOT_KEY || !tree.get(key)) return false;
		if (inFlight.has(key)) {
			again.add(key);
			return false;
		}
		if (tree.get(key)!.children === null) return false;
		if (tree.isShownOpen(key)) {
			dropped.add(key);
			if (!relistTimer) relistTimer = setTimeout(relistDropped, RELIST_DELAY_MS);
			return false;
		}
		tree.forgetChildren(key);
		// What was being read under it is for nodes that are gone.
		for (const [inFlightKey, running] of inFlight) {
			if (tree.get(inFlightKey)) continue;
			running.abort.abort();
			inFlight.delete(inFlightKey);
		}
		return true;
	};
	const relistDropped = () => {
		relistTimer = undefined;
		const keys = [...dropped];
		dropped.clear();
		for (const key of keys) void relist(key);
	};
	const droppedAgain = (key: string) => {
		if (!again.delete(key) || disposed) return;
		if (onDropped(key)) bump();
	};
	const unsubscribe = source.onListingsDropped?.(isDropped => {
		let forgot = false;
		for (const state of [...tree.nodes.values()]) {
			// (A node forgotten with an ancestor on the way is no longer in the tree.)
			if (tree.get(state.key) !== state || !isDropped(state.node)) continue;
			forgot = onDropped(state.key) || forgot;
		}
		if (forgot) bump();
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
