/**
 * A national report format, declared as data. The interpreter asks the template for everything it
 * needs (markers, tables, rows, labels, fields, identities); it never branches on a template's id.
 * Adding a third format means adding one file like template-2021.ts and registering it.
 */

/** One row of a table: where its values go and how its label reads. */
export interface RowDecl {
  /** Row key (FORMAT.md part A), e.g. `rules`, `new_received`. */
  key: string;
  /** Official Chinese label, for messages. */
  label: string;
  /**
   * Normalised label fragments (NFKC, no spaces or quotes) that identify the row. A segment matches
   * the row when one of them occurs in its label; the occurrence nearest the values wins.
   */
  aliases: string[];
  /** Record paths of the row's values, in printed order. */
  fields: string[];
  /** Chinese column names of `fields`, for messages. */
  fieldLabels: string[];
  /** Units the template itself states for a field (e.g. 万元 for 2021 收费金额). */
  units?: Record<string, string>;
  /** True for a row printed without a label of its own (表四's data row). */
  unlabelled?: boolean;
}

/** Rows printed under one group label (e.g. （三）不予公开 and its 8 items). */
export interface GroupDecl {
  key: string;
  label: string;
  aliases: string[];
  /** Keys of the member rows, in order. */
  rows: string[];
}

export interface TableDecl {
  /** Record section the table fills. */
  id: "active" | "applications" | "reviewLitigation";
  /** Chinese name for messages, e.g. 表三（收到和处理政府信息公开申请情况）. */
  title: string;
  /**
   * Normalised texts that mark where the table starts, most specific first. The first one found
   * (after the previous table's start) opens the table's region; values outside the regions
   * (narrative numbers) are never read.
   */
  anchors: string[];
  rows: RowDecl[];
  groups?: GroupDecl[];
}

/**
 * An arithmetic identity: sum(lhs) must equal sum(rhs). `code` is the stable issue code shared by
 * all instances (e.g. every column's balance); `id` names this instance.
 */
export interface Identity {
  id: string;
  code: string;
  /** Chinese description, e.g. 表三 自然人列：一+二 = (七)总计+四. */
  label: string;
  lhs: string[];
  rhs: string[];
}

export interface Template {
  id: string;
  /** Chinese name of the format, for messages. */
  name: string;
  /** Normalised labels that only this format prints; detection counts them. */
  markers: string[];
  tables: TableDecl[];
  identities: Identity[];
}
