import type {AlertLevel} from '../config/alerts-schema.js';
import type {AlertRecord} from '../metrics/alert-engine.js';

export const discordColors: Record<AlertLevel | 'resolved', number> = {
	info: 0x3498db,
	warning: 0xf1c40f,
	error: 0xe74c3c,
	critical: 0x8b0000,
	resolved: 0x2ecc71,
};

const firingEmoji: Record<AlertLevel, string> = {info: '🔵', warning: '🟡', error: '🔴', critical: '🚨'};

export type DiscordEmbedField = {name: string; value: string; inline: boolean};
export type DiscordEmbed = {title: string; description: string; color: number; fields: DiscordEmbedField[]; timestamp: string};
export type DiscordPayload = {username: string; embeds: DiscordEmbed[]};

/**
 * The webhook body for one alert: one embed, coloured by level (green when resolved), timestamp in UTC, the host it
 * fired on, and for a firing alert the rule's recommended action.
 */
export function discordPayload(alert: AlertRecord, username: string): DiscordPayload {
	const firing = alert.state === 'firing';
	return {
		username,
		embeds: [
			{
				title: firing ? `${firingEmoji[alert.level]} FIRING: ${alert.display.title}` : `✅ RESOLVED: ${alert.display.title}`,
				description: alert.message,
				color: firing ? discordColors[alert.level] : discordColors.resolved,
				fields: [
					{name: 'Value', value: alert.display.value, inline: true},
					{name: 'Threshold', value: alert.display.threshold, inline: true},
					{name: 'Window', value: alert.display.window ?? 'current state', inline: true},
					alert.nodes ? nodesField(alert.nodes) : {name: 'Host', value: alert.host, inline: true},
					...(firing ? [{name: 'Recommended action', value: alert.action, inline: false}] : []),
				],
				timestamp: new Date(alert.at).toISOString(),
			},
		],
	};
}

/** Discord refuses a field value over 1024 characters: a farm of 200 nodes is summarised. */
const FIELD_MAX = 1024;

/** The farm's one message names every node the condition holds on. */
export function nodesField(nodes: readonly string[]): DiscordEmbedField {
	let value = nodes.length === 0 ? 'no node any more' : nodes.join(', ');
	if (value.length > FIELD_MAX) {
		const shown: string[] = [];
		for (const node of nodes) {
			const more = `… and ${nodes.length - shown.length - 1} more`;
			if ([...shown, node].join(', ').length + more.length + 2 > FIELD_MAX) break;
			shown.push(node);
		}
		value = `${shown.join(', ')}, … and ${nodes.length - shown.length} more`;
	}
	return {name: nodes.length === 1 ? 'Node' : `Nodes (${nodes.length})`, value, inline: false};
}
