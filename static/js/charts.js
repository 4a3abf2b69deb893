// Draws every Plotly figure on the page. The figures are built in Python; each container
// names the json_script element that holds its figure. Each drawn chart leaves a
// "chart-drawn" performance mark (read by python -m benchmarks.browser).
(function () {
  "use strict";
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source || !window.Plotly) { return; }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(el, figure.data, figure.layout, {
      displayModeBar: false, responsive: true
    }).then(function () {
      el.setAttribute("data-rendered", "true");
      if (window.performance && performance.mark) { performance.mark("chart-drawn"); }
    });
  });
})();
