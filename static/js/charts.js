// Draws each <canvas data-chart="ID"> from the JSON in <script id="ID" type="application/json"> (json_script):
// no inline script (CSP). The table beside each chart holds the same figures.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var palette = ["#a61b1b", "#1f6f8b", "#6a994e", "#e09f3e", "#6c4f9e", "#5c677d"];
  var money = new Intl.NumberFormat(document.documentElement.lang || "zh-Hans", {style: "currency", currency: "CNY"});
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var doughnut = spec.type === "doughnut";
    var datasets = spec.datasets.map(function (d, i) {
      return {
        label: d.label,
        data: d.data.map(Number),
        backgroundColor: doughnut ? spec.labels.map(function (_, j) { return palette[j % palette.length]; })
                                  : palette[i % palette.length]
      };
    });
    var format = function (v) { return spec.money ? money.format(v) : v; };
    new Chart(canvas, {
      type: doughnut ? "doughnut" : "bar",
      data: {labels: spec.labels, datasets: datasets},
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: {display: doughnut || datasets.length > 1},
          tooltip: {callbacks: {label: function (ctx) {
            return ctx.dataset.label + ": " + format(ctx.parsed.y !== undefined && !doughnut ? ctx.parsed.y : ctx.parsed);
          }}}
        },
        scales: doughnut ? {} : {
          x: {stacked: spec.type === "stacked"},
          y: {stacked: spec.type === "stacked", beginAtZero: true,
              ticks: {precision: 0, callback: function (v) { return format(v); }}}
        }
      }
    });
  });
})();
