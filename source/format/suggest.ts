// "Did you mean": the nearest known word to a mistyped one (a command, a flag), and one wording for every kind of
// unknown word, so that `helth`, `--patern` and the console's `--sandox` read alike.

/** Edits (insert, delete, substitute, swap two neighbours) between `a` and `b`. */
export function editDistance(a: string, b: string): number {
	const rows = a.length + 1;
	const cols = b.length + 1;
	const d: number[][] = Array.from({length: rows}, (_, i) => Array.from({length: cols}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
	for (let i = 1; i < rows; i++) {
		for (let j = 1; j < cols; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
		}
	}
	return d[a.length][b.length];
}

/**
 * The known word nearest to `given`, when it is near enough to be a typo (about one edit in three letters), or a
 * known word that starts with it; null otherwise.
 */
export function closest(given: string, known: readonly string[]): string | null {
	const word = given.toLowerCase();
	let best: {name: string; distance: number} | null = null;
	for (const name of known) {
		const distance = editDistance(word, name.toLowerCase());
		if (!best || distance < best.distance) best = {name, distance};
	}
	if (best && best.distance <= Math.max(1, Math.floor(Math.max(word.length, best.name.length) / 3))) return best.name;
	const prefixed = known.filter(name => word.length >= 3 && name.toLowerCase().startsWith(word));
	return prefixed.length === 1 ? prefixed[0] : null;
}

/** `unknown command "helth": did you mean "health"?` — the same sentence for commands, flags and actions. */
export function unknownWord(kind: string, given: string, known: readonly string[]): string {
	const suggestion = closest(given, known);
	return `unknown ${kind} "${given}"${suggestion ? `: did you mean "${suggestion}"?` : ''}`;
}
