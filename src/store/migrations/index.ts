import type { Migration } from "../migrate.js";
import { core001 } from "./001-core.js";
import { migration002Crawl } from "./002-crawl.js";
import { valuesByKey003 } from "./003-values-by-key.js";
import { latestCopies004 } from "./004-latest-copies.js";
import { linkedFiles005 } from "./005-linked-files.js";
import { indicators006 } from "./006-indicators.js";
import { frontierRequests007 } from "./007-frontier-requests.js";
import { merge008 } from "./008-merge.js";

/**
 * Every schema step, in order. Append only: a database made by an older version of nianbao is
 * upgraded by running the steps it has not seen.
 */
export const MIGRATIONS: readonly Migration[] = [core001, migration002Crawl, valuesByKey003, latestCopies004, linkedFiles005, indicators006, frontierRequests007, merge008];
