/** The package version and the parser version stored with every record. */
export const PACKAGE_VERSION = "0.1.0";
/**
 * Bump when the parser's output can change for the same input: `reparse` uses it to find records
 * made by an older parser.
 */
export const PARSER_VERSION = "0.1.0";
