import { gkmlpt } from "./gkmlpt.js";
import { hanwebJpage } from "./hanweb-jpage.js";
import { pagerLinks } from "./pager-links.js";
import { trsDynamic } from "./trs-dynamic.js";
import { trsPager } from "./trs-pager.js";
import type { ListDialect } from "./types.js";
import { webBuilder } from "./webbuilder.js";

export type { JsonAnswer, LinkPaging, ListDialect, PageAnswer, PageRequest, PageView, RequestPaging, RequestTemplate, ValueRule, Vars } from "./types.js";

/** Every list dialect the crawler reads. A new one is a file in this folder and a line here. */
export const DIALECTS: readonly ListDialect[] = [trsPager, trsDynamic, hanwebJpage, gkmlpt, webBuilder, pagerLinks];
