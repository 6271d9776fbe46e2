// 各部门办理情况: a stacked horizontal bar per department (or 责任单位) — in time, late, pending, overdue,
// sent back. Data and labels come from the page (json_script "record-data"); the table above has the same facts.
(function () {
  "use strict";

  const source = document.getElementById("record-data");
  const box = document.getElementById("record-chart");
  if (!source || !box || typeof echarts === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const COLORS = { in_time: "#2e9e5b", late: "#f0b429", pending: "#1f5fa8", overdue: "#d7263d", sent_back: "#a0a7b1" };
  const rows = data.rows;
  box.style.height = Math.max(240, 48 + rows.length * 32) + "px";
  const chart = echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 24, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: rows.map(function (row) { return row.name; }) },
    series: ["in_time", "late", "pending", "overdue", "sent_back"].map(function (key) {
      return {
        name: data.labels[key], type: "bar", stack: "record", itemStyle: { color: COLORS[key] },
        data: rows.map(function (row) { return row[key]; }),
      };
    }),
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
