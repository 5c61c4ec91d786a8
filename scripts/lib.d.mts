export const root: string;
export const DEFAULT_DATABASE_URL: string;
export function bin(name: string): string;
export function loadEnv(): NodeJS.ProcessEnv & { DATABASE_URL: string };
export function isPostgres(url?: string): boolean;
export function run(cmd: string, args: string[], env?: Record<string, string>): void;
export function writePostgresSchema(): void;
