/** Name and version of this tool, recorded in capture records, ledgers and bundles. */
export const TOOL_NAME = 'Custos';
export const TOOL_VERSION = '0.1.0';
