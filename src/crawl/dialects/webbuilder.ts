import type { ListDialect } from "./types.js";

/**
 * 新点 Epoint WebBuilder: the column's list is drawn by script from
 * `POST …/rest/frontAppCustomAction/getPageInfoListNew` with one form field `params`, a JSON object
 * {siteGuid, categoryNum, pageIndex (0-based), pageSize, kw, startDate, endDate}; the answer is
 * `{custom: {infodata: [{infourl, title, infodate}], count}}` (`custom` sometimes a JSON string).
 */
export const webBuilder: ListDialect = {
  name: "webbuilder",
  description: "新点 Epoint WebBuilder: `POST …/rest/frontAppCustomAction/getPageInfoListNew` (params = JSON {siteGuid, categoryNum, pageIndex, pageSize}) → JSON",
  recognise: /getPageInfoListNew/,
  values: {
    siteGuid: /siteGuid['"]?\s*[:=]\s*['"]([\w-]+)['"]/i,
    categoryNum: /categoryNum['"]?\s*[:=]\s*['"](\w+)['"]/i,
    pageSize: /pageSize['"]?\s*[:=]\s*['"]?(\d+)/i,
    apiUrl: /['"]([^'"\s]*rest\/frontAppCustomAction\/getPageInfoListNew)['"]/,
  },
  defaults: { pageSize: "10", apiUrl: "/EWB-FRONT/rest/frontAppCustomAction/getPageInfoListNew" },
  required: ["siteGuid", "categoryNum"],
  paging: {
    via: "requests",
    request: {
      method: "POST",
      url: "{apiUrl}",
      jsonField: { name: "params", value: { siteGuid: "{siteGuid}", categoryNum: "{categoryNum}", kw: "", startDate: "", endDate: "", pageIndex: "{page0}", pageSize: "{pageSize}" },
        numbers: ["pageIndex", "pageSize"],
      },
      xhr: true,
      kind: "api",
    },
    firstPage: 1,
    pageSize: "pageSize",
    answer: { format: "json", items: ["custom.infodata"], url: ["infourl"], title: ["title"], date: ["infodate"], total: ["custom.count"] },
  },
};
