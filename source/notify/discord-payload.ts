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
					{name: 'Host', value: alert.host, inline: true},
					...(firing ? [{name: 'Recommended action', value: alert.action, inline: false}] : []),
				],
				timestamp: new Date(alert.at).toISOString(),
			},
		],
	};
}
