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
 * The 2019 (试行) format of 国办公开办函〔2019〕60号, used for statistical years 2019 and 2020.
 * FORMAT.md part C §3.
 */
const PRODUCTION = [
  ["made", "本年新制作数量"],
  ["published", "本年新公开数量"],
  ["total", "对外公开总数量"],
] as [string, string][];
const ITEMS = [
  ["previous", "上一年项目数量"],
  ["change", "本年增/减"],
  ["decisions", "处理决定数量"],
] as [string, string][];

const applicationRows = [...APPLICATIONS_HEAD, applicationRow("other", "（六）其他处理", ["其他处理"]), ...APPLICATIONS_TAIL];

export const TEMPLATE_2019: Template = {
  id: "2019",
  name: "2019年试行格式（国办公开办函〔2019〕60号）",
  markers: ["本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "第二十条第(九)项", "政府集中采购", "采购总金额", "其他对外管理服务事项"],
  tables: [
    {
      id: "active",
      title: "表二（主动公开政府信息情况）",
      anchors: ["第二十条第", "信息内容", "主动公开政府信息情况"],
      rows: [
        activeRow("rules", "规章", ["规章"], PRODUCTION),
        activeRow("normative_docs", "规范性文件", ["规范性文件"], PRODUCTION),
        activeRow("licensing", "行政许可", ["行政许可"], ITEMS),
        activeRow("other_services", "其他对外管理服务事项", ["其他对外管理服务事项", "对外管理服务事项"], ITEMS),
        activeRow("penalty", "行政处罚", ["行政处罚"], ITEMS),
        activeRow("coercion", "行政强制", ["行政强制"], ITEMS),
        activeRow("fees", "行政事业性收费", ["行政事业性收费"], ITEMS.slice(0, 2)),
        activeRow("procurement", "政府集中采购", ["政府集中采购"], [
          ["projects", "采购项目数量"],
          ["amount", "采购总金额"],
        ]),
      ],
    },
    {
      id: "applications",
      title: "表三（收到和处理政府信息公开申请情况）",
      anchors: APPLICATIONS_ANCHORS,
      rows: applicationRows,
      groups: APPLICATION_GROUPS_COMMON,
    },
    REVIEW_TABLE,
  ],
  identities: applicationIdentities(applicationRows),
};
