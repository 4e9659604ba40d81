/** The CLI's version; a unit test keeps it equal to package.json's (no JSON import at run time). */
export const CLI_VERSION = '0.1.0';
