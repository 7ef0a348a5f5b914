/* global document, window, echarts -- a browser script: the page and the ECharts it inlines */
// The script of the page `nianbao report` writes. Plain browser JavaScript, inlined into the HTML
// after Apache ECharts and the data (a JSON script tag, id "nb-data"). It builds every chart and
// table from that data; nothing is fetched.
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("nb-data").textContent);
  var COL = {};
  data.columns.forEach(function (c, i) { COL[c] = i; });
  var reports = data.reports;
  var get = function (r, c) { return r[COL[c]]; };
  var charts = [];

  // ------------------------------------------------------------------ formatting
  var fmtInt = function (v) { return v === null || v === undefined ? "—" : Number(v).toLocaleString("zh-CN"); };
  var fmtPct = function (v) { return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%"; };
  var fmtNum = function (v) { return v === null || v === undefined ? "—" : String(v); };
  var safeUrl = function (u) { return typeof u === "string" && /^https?:\/\//i.test(u) ? u : null; };
  var el = function (tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };
  var ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  /** Text as HTML: tables are built as one string (fast for thousands of rows), every value escaped. */
  var esc = function (v) { return String(v === null || v === undefined ? "" : v).replace(/[&<>"']/g, function (c) { return ESC[c]; }); };
  var link = function (url, text) {
    var u = safeUrl(url);
    if (!u) return '<span class="muted">' + esc(url ? text + "（本地文件）" : "—") + "</span>";
    return '<a href="' + esc(u) + '" target="_blank" rel="noopener noreferrer">' + esc(text) + "</a>";
  };

  function makeChart(id, height) {
    var node = document.getElementById(id);
    node.style.height = height + "px";
    var chart = echarts.init(node, null, { renderer: "canvas", locale: "ZH" });
    charts.push(chart);
    return chart;
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });

  // ------------------------------------------------------------------ summary
  var years = data.years;
  var f = data.filters;
  var filterText = [];
  if (f.agency) filterText.push("机关含“" + f.agency + "”");
  if (f.region) filterText.push("地区含“" + f.region + "”");
  if (f.yearFrom !== undefined || f.yearTo !== undefined) filterText.push("年度 " + (f.yearFrom === f.yearTo ? f.yearFrom : (f.yearFrom || "") + "–" + (f.yearTo || "")));
  var identityCount = data.broken.filter(function (b) { return b.kind === "identity"; }).length;
  var carryCount = data.broken.length - identityCount;
  document.getElementById("summary").textContent =
    "共 " + reports.length + " 份报告（最新版本），" + data.bodies.length + " 个机关，" +
    (years.length ? years[0] + "–" + years[years.length - 1] + " 年度" : "无年度") + "；" +
    data.failures.length + " 个页面抓取或解析失败；" + identityCount + " 处算术关系不成立，" + carryCount + " 处结转不一致" +
    (data.unplaced ? "；" + data.unplaced + " 份报告缺机关名或年度，未列入覆盖表" : "") +
    (filterText.length ? "。筛选：" + filterText.join("，") : "") +
    "。生成时间 " + data.generatedAt.replace("T", " ").slice(0, 16) + " UTC。";

  // ------------------------------------------------------------------ 1. coverage grid
  var STATES = ["已入库", "有问题", "失败", "缺失"];
  var STATE_COLORS = ["#4e9a6a", "#e3a33b", "#c8423b", "#d9d9d9"];
  (function coverage() {
    var cell = {}; // "body|year" -> { report, failures }
    reports.forEach(function (r, i) {
      if (get(r, "year") === null || data.bodies[get(r, "body")] === "（未识别机关）") return;
      cell[get(r, "body") + "|" + get(r, "year")] = { report: i, failures: 0 };
    });
    var failedNoYear = 0;
    data.failures.forEach(function (x) {
      if (x.year === null) { failedNoYear++; return; }
      var k = x.body + "|" + x.year;
      (cell[k] = cell[k] || { report: null, failures: 0 }).failures++;
    });
    var bodyIds = [];
    var seen = {};
    Object.keys(cell).forEach(function (k) { var b = Number(k.split("|")[0]); if (!seen[b]) { seen[b] = true; bodyIds.push(b); } });
    bodyIds.sort(function (a, b) { return data.bodies[a].localeCompare(data.bodies[b], "zh-CN"); });
    var counts = [0, 0, 0, 0];
    var points = [];
    bodyIds.forEach(function (b, yi) {
      years.forEach(function (y, xi) {
        var c = cell[b + "|" + y];
        var state = 3;
        if (c && c.report !== null) {
          var r = reports[c.report];
          state = get(r, "error_count") > 0 || get(r, "incomplete") ? 1 : 0;
        } else if (c && c.failures) state = 2;
        counts[state]++;
        points.push([xi, yi, state]);
      });
    });
    document.getElementById("coverage-counts").textContent = STATES.map(function (s, i) { return s + " " + counts[i]; }).join("　") +
      (failedNoYear ? "　（另有 " + failedNoYear + " 个失败页面看不出年度）" : "");
    var visible = Math.min(bodyIds.length, 40);
    var chart = makeChart("chart-coverage", Math.max(160, visible * 18 + 90));
    chart.setOption({
      animation: false,
      tooltip: {
        formatter: function (p) {
          var b = bodyIds[p.value[1]];
          var y = years[p.value[0]];
          var c = cell[b + "|" + y];
          var extra = "";
          if (c && c.report !== null) extra = "<br>错误 " + get(reports[c.report], "error_count") + " 处" + (get(reports[c.report], "incomplete") ? "，表格不全" : "");
          if (c && c.failures) extra += "<br>失败页面 " + c.failures + " 个";
          return echarts.format.encodeHTML(data.bodies[b]) + " " + y + "年：" + STATES[p.value[2]] + extra;
        },
      },
      grid: { left: 8, right: bodyIds.length > visible ? 40 : 16, top: 10, bottom: 50, containLabel: true },
      xAxis: { type: "category", data: years.map(String), splitArea: { show: true } },
      yAxis: { type: "category", data: bodyIds.map(function (b) { return data.bodies[b]; }), inverse: true, axisLabel: { width: 220, overflow: "truncate" } },
      visualMap: {
        type: "piecewise", orient: "horizontal", left: "center", bottom: 0, dimension: 2,
        pieces: STATES.map(function (s, i) { return { value: i, label: s, color: STATE_COLORS[i] }; }),
      },
      dataZoom: bodyIds.length > visible ? [{ type: "slider", yAxisIndex: 0, startValue: 0, endValue: visible - 1, width: 16, right: 8 }, { type: "inside", yAxisIndex: 0 }] : [],
      series: [{ type: "heatmap", data: points, itemStyle: { borderColor: "#fff", borderWidth: 1 }, progressive: 0 }],
    });
  })();

  // ------------------------------------------------------------------ 2. per-body trends
  var TREND_SERIES = [
    ["applications_received", "本年新收申请"],
    ["handled", "办理结果总计（七）"],
    ["granted", "予以公开＋部分公开"],
    ["refused", "不予公开（三）"],
    ["unable", "无法提供（四）"],
    ["not_processed", "不予处理（五）"],
  ];
  (function trends() {
    var select = document.getElementById("trend-body");
    var byBody = {};
    reports.forEach(function (r) { if (get(r, "year") !== null) (byBody[get(r, "body")] = byBody[get(r, "body")] || []).push(r); });
    var ids = Object.keys(byBody).map(Number).sort(function (a, b) {
      var sa = byBody[a].reduce(function (s, r) { return s + (get(r, "applications_received") || 0); }, 0);
      var sb = byBody[b].reduce(function (s, r) { return s + (get(r, "applications_received") || 0); }, 0);
      return sb - sa || data.bodies[a].localeCompare(data.bodies[b], "zh-CN");
    });
    select.appendChild(el("option", { value: "all" }, "全部机关合计"));
    ids.forEach(function (b) { select.appendChild(el("option", { value: String(b) }, data.bodies[b] + "（" + byBody[b].length + " 份）")); });
    var chart = makeChart("chart-trends", 340);
    function draw() {
      var rows = select.value === "all" ? reports : byBody[select.value] || [];
      var note = document.getElementById("trend-note");
      var series = TREND_SERIES.map(function (s) {
        return {
          name: s[1], type: "line", connectNulls: false, symbolSize: 7,
          data: years.map(function (y) {
            var sum = null;
            rows.forEach(function (r) { if (get(r, "year") === y && get(r, s[0]) !== null) sum = (sum || 0) + get(r, s[0]); });
            return sum;
          }),
        };
      });
      note.textContent = select.value === "all" ? "合计只加总印出的数字；空白单元格不计为0，所以各项之和可能小于总计。" : "空白（未印出）的数值不画点，不当作0。";
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 40, bottom: 10, containLabel: true },
        xAxis: { type: "category", data: years.map(String) },
        yAxis: { type: "value", name: "件" },
        series: series,
      }, true);
    }
    select.addEventListener("change", draw);
    draw();
  })();

  // ------------------------------------------------------------------ sortable tables
  /** Rows drawn at first; laying out thousands of table rows costs seconds, the rest is one click away. */
  var ROW_LIMIT = 300;
  function sortableTable(table, columns, rows) {
    // columns: [{ label, value(row) -> sortable value, cell(row) -> HTML string, cls, desc (sort largest first) }]
    var state = { col: -1, dir: 1, all: rows.length <= ROW_LIMIT };
    var more = document.getElementById(table.id + "-more");
    more.hidden = state.all;
    more.textContent = "显示全部 " + rows.length + " 行（现显示排序后的前 " + ROW_LIMIT + " 行）";
    more.onclick = function () { state.all = true; more.hidden = true; render(); };
    var thead = el("thead");
    var tr = el("tr");
    columns.forEach(function (c, i) {
      var th = el("th", { scope: "col", tabindex: "0", title: "点击排序" }, c.label);
      if (c.cls) th.className = c.cls;
      var sort = function () { state.dir = state.col === i ? -state.dir : (c.desc ? -1 : 1); state.col = i; render(); };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    var tbody = el("tbody");
    table.textContent = "";
    table.appendChild(thead);
    table.appendChild(tbody);
    function render() {
      var sorted = rows.slice();
      if (state.col >= 0) {
        var c = columns[state.col];
        sorted.sort(function (a, b) {
          var x = c.value(a), y = c.value(b);
          if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1; // blanks last
          if (y === null || y === undefined) return -1;
          return (typeof x === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN")) * state.dir;
        });
      }
      Array.prototype.forEach.call(thead.querySelectorAll("th"), function (th, i) {
        th.setAttribute("aria-sort", i === state.col ? (state.dir > 0 ? "ascending" : "descending") : "none");
      });
      // cell(row) returns HTML (built with esc/link); everything else is escaped here.
      if (!state.all) sorted = sorted.slice(0, ROW_LIMIT);
      var open = columns.map(function (c) { return c.cls ? '<td class="' + c.cls + '">' : "<td>"; });
      var html = new Array(sorted.length);
      sorted.forEach(function (row, k) {
        var cells = "";
        for (var i = 0; i < columns.length; i++) cells += open[i] + columns[i].cell(row) + "</td>";
        html[k] = (row.cls ? '<tr class="' + row.cls + '">' : "<tr>") + cells + "</tr>";
      });
      tbody.innerHTML = html.join("");
    }
    render();
  }

  // ------------------------------------------------------------------ 3. comparison of bodies, one year
  var yearSelect = document.getElementById("compare-year");
  var reasonYear = document.getElementById("reason-year");
  years.slice().reverse().forEach(function (y) {
    yearSelect.appendChild(el("option", { value: String(y) }, y + "年"));
    reasonYear.appendChild(el("option", { value: String(y) }, y + "年"));
  });
  var num = function (c) { return { label: c[1], value: function (r) { return get(r.r, c[0]); }, cell: function (r) { return esc((c[0].slice(-6) === "_share" ? fmtPct : fmtInt)(get(r.r, c[0]))); }, cls: "num", desc: true }; };
  var COMPARE = [
    { label: "机关", value: function (r) { return data.bodies[get(r.r, "body")]; }, cell: function (r) { return esc(data.bodies[get(r.r, "body")]); } },
    num(["applications_received", "本年新收"]),
    num(["handled", "办结总计"]),
    num(["granted_share", "公开比例"]),
    num(["refused_share", "不予公开比例"]),
    num(["unable_share", "无法提供比例"]),
    num(["not_processed_share", "不予处理比例"]),
    num(["carried_forward", "结转下年"]),
    num(["review_total", "行政复议"]),
    num(["review_corrected_share", "复议纠正率"]),
    num(["litigation_total", "行政诉讼"]),
    num(["litigation_corrected_share", "诉讼纠正率"]),
    num(["rules_issued", "规章制发"]),
    num(["normative_docs_issued", "规范性文件制发"]),
    num(["licensing_decisions", "行政许可决定"]),
    num(["penalty_decisions", "行政处罚决定"]),
    { label: "收费（万元）", value: function (r) { return get(r.r, "fees_amount_wan"); }, cell: function (r) { return esc(fmtNum(get(r.r, "fees_amount_wan"))); }, cls: "num", desc: true },
    { label: "样本", value: function (r) { return get(r.r, "rankable"); }, cell: function (r) { return get(r.r, "rankable") === 1 ? "✓" : "样本不足"; } },
    { label: "报告", value: function (r) { return get(r.r, "error_count"); }, cell: function (r) { return link(get(r.r, "source_url"), "原文") + (get(r.r, "error_count") > 0 ? '<span class="flag"> 错误' + esc(get(r.r, "error_count")) + "</span>" : ""); } },
  ];
  var ranking = makeChart("chart-ranking", 420);
  function drawCompare() {
    var y = Number(yearSelect.value);
    var rows = reports.filter(function (r) { return get(r, "year") === y; }).map(function (r) { return { r: r, cls: get(r, "rankable") === 1 ? "" : "small-sample" }; });
    sortableTable(document.getElementById("compare-table"), COMPARE, rows);
    var ranked = rows.filter(function (x) { return get(x.r, "rankable") === 1 && get(x.r, "refused_share") !== null; })
      .sort(function (a, b) { return get(b.r, "refused_share") - get(a.r, "refused_share"); }).slice(0, 20).reverse();
    document.getElementById("ranking-note").textContent = "排名只含本年新收申请不少于 " + data.minSample + " 件的机关（" + y + "年共 " +
      rows.filter(function (x) { return get(x.r, "rankable") === 1; }).length + " 个，样本不足的 " + rows.filter(function (x) { return get(x.r, "rankable") !== 1; }).length + " 个不排名）。";
    ranking.setOption({
      animation: false,
      title: { text: y + "年 不予公开比例最高的机关", subtext: ranked.length ? "" : "（该年度没有可排名的机关）", left: 0, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: fmtPct },
      grid: { left: 8, right: 40, top: 36, bottom: 10, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } },
      yAxis: { type: "category", data: ranked.map(function (x) { return data.bodies[get(x.r, "body")]; }), axisLabel: { width: 220, overflow: "truncate" } },
      series: [{ type: "bar", name: "不予公开比例", data: ranked.map(function (x) { return get(x.r, "refused_share"); }), itemStyle: { color: "#c8423b" }, label: { show: true, position: "right", formatter: function (p) { return fmtPct(p.value); } } }],
    }, true);
  }
  var EMPTY = { title: { text: "（没有符合条件的报告）", left: "center", top: "middle", textStyle: { color: "#6b7280", fontSize: 14 } } };
  yearSelect.addEventListener("change", drawCompare);
  if (years.length) drawCompare(); else ranking.setOption(EMPTY);

  // ------------------------------------------------------------------ 4. refusal reasons
  var GROUP_COLORS = { "（三）不予公开": "#c8423b", "（四）无法提供": "#e3a33b", "（五）不予处理": "#5470c6", "（六）其他处理": "#8c8c8c" };
  var reasons = makeChart("chart-reasons", 560);
  function drawReasons() {
    var y = reasonYear.value;
    var cells = data.reasons.byYear[y] || {};
    var rows = data.reasons.rows.filter(function (r) { return cells[r.key]; }).slice().reverse();
    var blank = rows.reduce(function (s, r) { return s + cells[r.key].blank; }, 0);
    document.getElementById("reason-note").textContent = y + "年，" + rows.length + " 个原因项。" + (blank ? "其中 " + blank + " 个单元格空白，未计入。" : "") +
      "（六）其他处理：2019年格式只有一行，2021年格式分三项。";
    reasons.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (ps) {
        var r = rows[ps[0].dataIndex];
        var c = cells[r.key];
        return echarts.format.encodeHTML(r.label) + "<br>" + fmtInt(c.sum) + " 件（" + c.reports + " 份报告" + (c.blank ? "，" + c.blank + " 份空白" : "") + "）";
      } },
      grid: { left: 8, right: 50, top: 10, bottom: 10, containLabel: true },
      xAxis: { type: "value", name: "件" },
      yAxis: { type: "category", data: rows.map(function (r) { return r.label; }), axisLabel: { width: 300, overflow: "truncate" } },
      series: [{ type: "bar", name: "件数", data: rows.map(function (r) { return { value: cells[r.key].sum, itemStyle: { color: GROUP_COLORS[r.group] || "#999" } }; }), label: { show: true, position: "right" } }],
    }, true);
  }
  reasonYear.addEventListener("change", drawReasons);
  if (years.length) drawReasons(); else reasons.setOption(EMPTY);

  // ------------------------------------------------------------------ 5. broken reports
  (function broken() {
    document.getElementById("broken-note").textContent = data.broken.length
      ? "共 " + data.broken.length + " 处：" + identityCount + " 处表内算术关系不成立，" + carryCount + " 处与上一年报告的结转数不一致。点击表头排序。"
      : "没有发现算术关系不成立或结转不一致的报告。";
    var rows = data.broken.map(function (b) { return { b: b, r: reports[b.report] }; });
    sortableTable(document.getElementById("broken-table"), [
      { label: "机关", value: function (x) { return data.bodies[get(x.r, "body")]; }, cell: function (x) { return esc(data.bodies[get(x.r, "body")]); } },
      { label: "年度", value: function (x) { return get(x.r, "year"); }, cell: function (x) { return esc(fmtNum(get(x.r, "year"))); }, cls: "num" },
      { label: "类型", value: function (x) { return x.b.kind; }, cell: function (x) { return x.b.kind === "identity" ? "算术关系" : "结转"; } },
      { label: "说明", value: function (x) { return x.b.message; }, cell: function (x) { return esc(x.b.message); } },
      { label: "涉及单元格", value: function (x) { return x.b.cells.join("；"); }, cell: function (x) { return esc(x.b.cells.join("；")); } },
      { label: "应为", value: function (x) { return x.b.expected; }, cell: function (x) { return esc(fmtNum(x.b.expected)); }, cls: "num" },
      { label: "实为", value: function (x) { return x.b.actual; }, cell: function (x) { return esc(fmtNum(x.b.actual)); }, cls: "num" },
      { label: "来源", value: function (x) { return get(x.r, "source_url"); }, cell: function (x) {
        return link(get(x.r, "source_url"), "本年报告") + (x.b.kind === "carry_over" ? " · " + link(x.b.prevUrl, "上一年报告") : "");
      } },
    ], rows);
  })();

  document.body.setAttribute("data-ready", "1");
})();
