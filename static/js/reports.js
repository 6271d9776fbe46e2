// 统计报表: the by-region stacked bar chart (with the 复工率 line) and the problems-by-state bar chart.
// Data and labels come from the page (json_script "reports-data"); the tables beside carry the same facts.
(function () {
  "use strict";

  const source = document.getElementById("reports-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const labels = data.labels;
  const COLORS = { yes: "#2e9e5b", partly: "#f0b429", no: "#d7263d", unknown: "#a0a7b1", rate: "#1f5fa8" };
  const charts = [];

  const regionBox = document.getElementById("reports-region-chart");
  if (regionBox && data.regions.length) {
    const chart = echarts.init(regionBox);
    const names = data.regions.map(function (row) { return row.name; });
    const series = ["yes", "partly", "no", "unknown"].map(function (key) {
      return {
        name: labels[key], type: "bar", stack: "status", itemStyle: { color: COLORS[key] },
        data: data.regions.map(function (row) { return row.status[key]; }),
      };
    });
    series.push({
      name: labels.rate, type: "line", yAxisIndex: 1, itemStyle: { color: COLORS.rate },
      data: data.regions.map(function (row) { return row.rate; }),
    });
    chart.setOption({
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 36, bottom: 48 },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 12 ? 45 : 0 } },
      yAxis: [{ type: "value", name: labels.count, minInterval: 1 },
              { type: "value", name: labels.rate, min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
      series: series,
    });
    charts.push(chart);
  }

  const stateBox = document.getElementById("reports-state-chart");
  if (stateBox) {
    const rows = data.states.filter(function (row) { return row.n > 0; });
    const chart = echarts.init(stateBox);
    chart.setOption({
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 120, right: 24, top: 8, bottom: 24 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (row) { return row.name; }) },
      series: [{ type: "bar", itemStyle: { color: COLORS.rate }, data: rows.map(function (row) { return row.n; }) }],
    });
    charts.push(chart);
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
