import {
  APPLICATIONS_ANCHORS,
  APPLICATIONS_HEAD,
  APPLICATIONS_TAIL,
  APPLICATION_GROUPS_COMMON,
  REVIEW_TABLE,
  activeRow,
  applicationIdentities,
  applicationRow,
} from "./common.js";
import type { Template } from "./template.js";

/**
 * The 2021 format of 国办公开办函〔2021〕30号, statistical years 2021 onward. FORMAT.md part C §4.
 */
const DOCS = [
  ["issued", "本年制发件数"],
  ["repealed", "本年废止件数"],
  ["in_force", "现行有效件数"],
] as [string, string][];
const DECISIONS = [["decisions", "本年处理决定数量"]] as [string, string][];

const otherRows = [
  applicationRow("other_no_correction", "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ["逾期不补正", "无正当理由逾期不补正"]),
  applicationRow("other_unpaid_fee", "（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", ["逾期未按收费通知要求缴纳费用", "未按收费通知要求缴纳费用", "缴纳费用"]),
  applicationRow("other_other", "（六）3.其他", ["其他"]),
];
const applicationRows = [...APPLICATIONS_HEAD, ...otherRows, ...APPLICATIONS_TAIL];

export const TEMPLATE_2021: Template = {
  id: "2021",
  name: "2021年格式（国办公开办函〔2021〕30号）",
  markers: ["本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "逾期未按收费通知要求缴纳费用", "逾期不补正", "行政规范性文件"],
  tables: [
    {
      id: "active",
      title: "表二（主动公开政府信息情况）",
      anchors: ["第二十条第", "信息内容", "主动公开政府信息情况"],
      rows: [
        activeRow("rules", "规章", ["规章"], DOCS),
        activeRow("normative_docs", "行政规范性文件", ["行政规范性文件", "规范性文件"], DOCS),
        activeRow("licensing", "行政许可", ["行政许可"], DECISIONS),
        activeRow("penalty", "行政处罚", ["行政处罚"], DECISIONS),
        activeRow("coercion", "行政强制", ["行政强制"], DECISIONS),
        activeRow("fees", "行政事业性收费", ["行政事业性收费"], [["amount", "本年收费金额"]], { "active.fees.amount": "万元" }),
      ],
    },
    {
      id: "applications",
      title: "表三（收到和处理政府信息公开申请情况）",
      anchors: APPLICATIONS_ANCHORS,
      rows: applicationRows,
      groups: [...APPLICATION_GROUPS_COMMON, { key: "other", label: "（六）其他处理", aliases: ["其他处理"], rows: otherRows.map((r) => r.key) }],
    },
    REVIEW_TABLE,
  ],
  identities: applicationIdentities(applicationRows),
};
