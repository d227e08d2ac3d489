/** The app's version, shown in system.info and the CLI. Kept in step with package.json. */
export const VERSION = '0.1.0';
