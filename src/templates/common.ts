import type { GroupDecl, Identity, RowDecl, TableDecl } from "./template.js";

/**
 * Declarations shared by both national formats: 表三 (applications) and 表四 (review and
 * litigation) are the same in 2019 and 2021 except for the （六）其他处理 rows.
 */

export const APPLICANT_COLUMNS = ["natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total"] as const;
export const APPLICANT_COLUMN_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];

/** A 表三 row with its seven columns. */
export function applicationRow(key: string, label: string, aliases: string[]): RowDecl {
  return {
    key,
    label,
    aliases,
    fields: APPLICANT_COLUMNS.map((c) => `applications.${key}.${c}`),
    fieldLabels: APPLICANT_COLUMN_LABELS,
  };
}

export const APPLICATIONS_HEAD: RowDecl[] = [
  applicationRow("new_received", "一、本年新收政府信息公开申请数量", ["本年新收政府信息公开申请数量", "本年新收政府信息公开申请", "本年新收"]),
  applicationRow("carried_over", "二、上年结转政府信息公开申请数量", ["上年结转政府信息公开申请数量", "上年结转政府信息公开申请", "上年结转"]),
  applicationRow("granted", "（一）予以公开", ["予以公开"]),
  applicationRow("partially_granted", "（二）部分公开", ["部分公开"]),
  applicationRow("denied_state_secret", "（三）1.属于国家秘密", ["属于国家秘密", "国家秘密"]),
  applicationRow("denied_law_prohibited", "（三）2.其他法律行政法规禁止公开", ["其他法律行政法规禁止公开", "法律行政法规禁止公开"]),
  applicationRow("denied_three_safeties", "（三）3.危及“三安全一稳定”", ["危及三安全一稳定", "三安全一稳定"]),
  applicationRow("denied_third_party", "（三）4.保护第三方合法权益", ["保护第三方合法权益", "第三方合法权益"]),
  applicationRow("denied_internal_affairs", "（三）5.属于三类内部事务信息", ["属于三类内部事务信息", "三类内部事务信息", "内部事务信息"]),
  applicationRow("denied_process_info", "（三）6.属于四类过程性信息", ["属于四类过程性信息", "四类过程性信息", "过程性信息"]),
  applicationRow("denied_enforcement_files", "（三）7.属于行政执法案卷", ["属于行政执法案卷", "行政执法案卷"]),
  applicationRow("denied_admin_query", "（三）8.属于行政查询事项", ["属于行政查询事项", "行政查询事项"]),
  applicationRow("unavailable_not_held", "（四）1.本机关不掌握相关政府信息", ["本机关不掌握相关政府信息", "不掌握相关政府信息"]),
  applicationRow("unavailable_needs_creation", "（四）2.没有现成信息需要另行制作", ["没有现成信息需要另行制作", "没有现成信息", "需要另行制作"]),
  applicationRow("unavailable_unclear", "（四）3.补正后申请内容仍不明确", ["补正后申请内容仍不明确", "申请内容仍不明确"]),
  applicationRow("rejected_petition", "（五）1.信访举报投诉类申请", ["信访举报投诉类申请", "信访举报投诉"]),
  applicationRow("rejected_duplicate", "（五）2.重复申请", ["重复申请"]),
  applicationRow("rejected_publication", "（五）3.要求提供公开出版物", ["要求提供公开出版物", "公开出版物"]),
  applicationRow("rejected_excessive", "（五）4.无正当理由大量反复申请", ["无正当理由大量反复申请", "大量反复申请"]),
  applicationRow("rejected_confirmation", "（五）5.要求行政机关确认或重新出具已获取信息", ["要求行政机关确认或重新出具已获取信息", "确认或重新出具已获取信息", "重新出具已获取信息"]),
];

export const APPLICATIONS_TAIL: RowDecl[] = [
  applicationRow("total", "（七）总计", ["(七)总计", "总计"]),
  applicationRow("carried_forward", "四、结转下年度继续办理", ["结转下年度继续办理", "结转下年度"]),
];

export const APPLICATION_GROUPS_COMMON: GroupDecl[] = [
  {
    key: "denied",
    label: "（三）不予公开",
    aliases: ["不予公开"],
    rows: ["denied_state_secret", "denied_law_prohibited", "denied_three_safeties", "denied_third_party", "denied_internal_affairs", "denied_process_info", "denied_enforcement_files", "denied_admin_query"],
  },
  { key: "unavailable", label: "（四）无法提供", aliases: ["无法提供"], rows: ["unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear"] },
  {
    key: "rejected",
    label: "（五）不予处理",
    aliases: ["不予处理"],
    rows: ["rejected_petition", "rejected_duplicate", "rejected_publication", "rejected_excessive", "rejected_confirmation"],
  },
];

export const APPLICATIONS_ANCHORS = ["本列数据的勾稽关系", "申请人情况", "本年新收政府信息公开申请数量", "收到和处理政府信息公开申请情况"];

const OUTCOMES = ["upheld", "corrected", "other", "pending", "total"] as const;
const OUTCOME_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
const REVIEW_GROUPS = [
  ["review", "行政复议"],
  ["litigation_direct", "未经复议直接起诉"],
  ["litigation_after_review", "复议后起诉"],
] as const;

/** 表四: one unlabelled row of 15 numbers. Identical in both formats. */
export const REVIEW_TABLE: TableDecl = {
  id: "reviewLitigation",
  title: "表四（政府信息公开行政复议、行政诉讼情况）",
  anchors: ["行政复议行政诉讼", "结果维持结果纠正其他结果尚未审结总计", "政府信息公开行政复议、行政诉讼情况", "行政复议、行政诉讼情况"],
  rows: [
    {
      key: "review_litigation",
      label: "表四数据行",
      aliases: [],
      unlabelled: true,
      fields: REVIEW_GROUPS.flatMap(([g]) => OUTCOMES.map((o) => `reviewLitigation.${g}.${o}`)),
      fieldLabels: REVIEW_GROUPS.flatMap(([, gl]) => OUTCOME_LABELS.map((ol) => `${gl}·${ol}`)),
    },
  ],
};

/** The identities of 表三 and 表四 for a given list of 表三 result rows (（一）…（六）). */
export function applicationIdentities(allRows: readonly RowDecl[]): Identity[] {
  const out: Identity[] = [];
  const resultRows = allRows.map((r) => r.key).filter((k) => !["new_received", "carried_over", "total", "carried_forward"].includes(k));
  APPLICANT_COLUMNS.forEach((c, i) => {
    const col = APPLICANT_COLUMN_LABELS[i];
    out.push({
      id: `applications.balance.${c}`,
      code: "identity.applications.balance",
      label: `表三 ${col}列：一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理`,
      lhs: [`applications.new_received.${c}`, `applications.carried_over.${c}`],
      rhs: [`applications.total.${c}`, `applications.carried_forward.${c}`],
    });
    out.push({
      id: `applications.results_sum.${c}`,
      code: "identity.applications.results_sum",
      label: `表三 ${col}列：（七）总计 = （一）至（六）各项之和`,
      lhs: [`applications.total.${c}`],
      rhs: resultRows.map((r) => `applications.${r}.${c}`),
    });
  });
  for (const row of allRows) {
    const r = row.key;
    out.push({
      id: `applications.row_total.${r}`,
      code: "identity.applications.row_total",
      label: `表三 ${row.label} 行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他`,
      lhs: [`applications.${r}.total`],
      rhs: APPLICANT_COLUMNS.filter((c) => c !== "total").map((c) => `applications.${r}.${c}`),
    });
  }
  for (const [g, gl] of REVIEW_GROUPS) {
    out.push({
      id: `review.group_total.${g}`,
      code: "identity.review_litigation.group_total",
      label: `表四 ${gl}：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结`,
      lhs: [`reviewLitigation.${g}.total`],
      rhs: ["upheld", "corrected", "other", "pending"].map((o) => `reviewLitigation.${g}.${o}`),
    });
  }
  return out;
}

/** A 表二 row: an item with its metrics. */
export function activeRow(key: string, label: string, aliases: string[], metrics: [string, string][], units?: Record<string, string>): RowDecl {
  const row: RowDecl = {
    key,
    label,
    aliases,
    fields: metrics.map(([m]) => `active.${key}.${m}`),
    fieldLabels: metrics.map(([, l]) => l),
  };
  if (units) row.units = units;
  return row;
}
