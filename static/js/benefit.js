// 整体效益: the amounts per row (政策兑现, 授信, 放款, 清欠) and the 复工率 before and after, as bar charts.
// Data and labels come from the page (json_script "benefit-data"); the table above carries the same facts.
(function () {
  "use strict";

  const source = document.getElementById("benefit-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const labels = data.labels;
  const names = data.rows.map(function (row) { return row.name; });
  const COLORS = { relief: "#2e9e5b", credit: "#1f5fa8", disbursed: "#6f42c1", arrears_repaid: "#f0b429",
                   before: "#a0a7b1", after: "#d7263d" };
  const charts = [];
  const axis = { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 8 ? 45 : 0 } };

  function bars(keys, stack) {
    return keys.map(function (key) {
      return { name: labels[key], type: "bar", stack: stack, itemStyle: { color: COLORS[key] },
               data: data.rows.map(function (row) { return row[key]; }) };
    });
  }

  const amountBox = document.getElementById("benefit-amount-chart");
  if (amountBox && data.rows.length) {
    const chart = echarts.init(amountBox);
    chart.setOption({
      tooltip: { trigger: "axis", renderMode: "richText" }, legend: { top: 0 },
      grid: { left: 64, right: 16, top: 40, bottom: 64 },
      xAxis: axis, yAxis: { type: "value", name: labels.amount },
      series: bars(["relief", "credit", "disbursed", "arrears_repaid"]),
    });
    charts.push(chart);
  }

  const rateBox = document.getElementById("benefit-rate-chart");
  if (rateBox && data.rows.length) {
    const chart = echarts.init(rateBox);
    chart.setOption({
      tooltip: { trigger: "axis", renderMode: "richText" }, legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 64 },
      xAxis: axis, yAxis: { type: "value", name: labels.rate, min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: bars(["before", "after"]),
    });
    charts.push(chart);
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
