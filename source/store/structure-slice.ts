// The Structure pane's slice: a lazily loaded tree. Expanding a node lists its children page by page (every page);
// each page bumps the version, which the store coalesces into at most one snapshot per window.
import {errorMessage} from './error-message.js';
import type {StructureSource} from './ports.js';
import type {SliceHandle} from './slice-handle.js';
import {ROOT_KEY, StructureTree} from './structure-tree.js';

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
			for (const {abort} of inFlight.values()) abort.abort();
			inFlight.clear();
			options.setAnimating(false);
		},
	};
}
