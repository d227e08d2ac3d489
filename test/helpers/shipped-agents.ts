/** Paths of the agents the project ships, for tests that start them as real processes. */
import { fileURLToPath } from 'node:url';

export const ECHO_AGENT = fileURLToPath(new URL('../../resources/agents/echo.mjs', import.meta.url));
