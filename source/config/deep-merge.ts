function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges `override` into `base` recursively; arrays and scalars in `override` replace. Neither input is changed. */
export function deepMerge<T>(base: T, override: unknown): T {
	if (!isPlainObject(base) || !isPlainObject(override)) return (override === undefined ? base : override) as T;
	const out: Record<string, unknown> = {...base};
	for (const [key, value] of Object.entries(override)) {
		out[key] = key in out ? deepMerge(out[key], value) : value;
	}
	return out as T;
}
