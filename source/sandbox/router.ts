// A tiny path router: '/v4/accounts/:accountId/folders/:folderId' patterns, matched in order.

export type Params = Record<string, string>;

export type Route<H> = {method: string; pattern: string; handler: H; regex: RegExp; keys: string[]};

export class Router<H> {
	private readonly routes: Array<Route<H>> = [];

	add(method: string, pattern: string, handler: H): this {
		const keys: string[] = [];
		const source = pattern.replace(/:([A-Za-z]+)/g, (_, key: string) => {
			keys.push(key);
			return '([^/]+)';
		});
		this.routes.push({method, pattern, handler, regex: new RegExp(`^${source}/?$`), keys});
		return this;
	}

	/** The route for (method, path); `pathMatched` tells a wrong method from an unknown path. */
	match(method: string, path: string): {route: Route<H>; params: Params} | {route: null; pathMatched: boolean} {
		let pathMatched = false;
		for (const route of this.routes) {
			const found = route.regex.exec(path);
			if (!found) continue;
			pathMatched = true;
			if (route.method !== method) continue;
			const params: Params = {};
			route.keys.forEach((key, index) => {
				params[key] = decodeURIComponent(found[index + 1]);
			});
			return {route, params};
		}
		return {route: null, pathMatched};
	}
}
