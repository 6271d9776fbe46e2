// 监测: the daily 复工率 / 员工到岗率 / 达产率 over the last weeks as lines. Data and labels come from the page
// (json_script "monitoring-data"); the table below the chart has the same figures.
(function () {
  "use strict";

  const source = document.getElementById("monitoring-data");
  const box = document.getElementById("monitoring-chart");
  if (!source || !box || typeof echarts === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const COLORS = { resumption: "#1f5fa8", staff: "#2e9e5b", output: "#f0b429" };
  const chart = echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return v === null ? "—" : v.toFixed(1) + "%"; } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 24, containLabel: true },
    xAxis: { type: "category", data: data.rows.map(function (row) { return row.date.slice(5); }) },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: ["resumption", "staff", "output"].map(function (key) {
      return {
        name: data.labels[key], type: "line", connectNulls: true, itemStyle: { color: COLORS[key] },
        data: data.rows.map(function (row) { return row[key]; }),
      };
    }),
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
