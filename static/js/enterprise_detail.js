// The status chart of an enterprise page: 员工到岗率 and 达产率 over time (data from json_script).
(function () {
  const el = document.getElementById("status-chart");
  const source = document.getElementById("status-series");
  if (!el || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: (v) => (v == null ? "—" : v.toFixed(1) + "%") },
    legend: { top: 0, data: [data.labels.staff_rate, data.labels.output_rate] },
    grid: { left: 44, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: data.dates },
    yAxis: { type: "value", min: 0, max: (v) => Math.max(100, Math.ceil(v.max / 10) * 10), axisLabel: { formatter: "{value}%" } },
    series: [
      { name: data.labels.staff_rate, type: "line", data: data.staff_rate, connectNulls: true },
      { name: data.labels.output_rate, type: "line", data: data.output_rate, connectNulls: true },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
