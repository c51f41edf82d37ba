// Progressive enhancement only: every page works without this script, which adds two things.
// 1. An activation's page listens to the activation's event stream and swaps in its fresh panel (through htmx)
//    whenever something happens, so the code appears without a reload.
// 2. A page with chart data draws each chart with Chart.js.
(function () {
  'use strict';

  function watchActivation() {
    var panel = document.getElementById('activation');
    if (!panel || !window.EventSource || !window.htmx) {
      return;
    }
    var source = new EventSource(panel.dataset.events);
    var refresh = function () {
      window.htmx.ajax('GET', panel.dataset.panel, { target: '#activation', swap: 'outerHTML' });
    };
    panel.dataset.eventTypes.split(',').forEach(function (type) {
      source.addEventListener(type, refresh);
    });
  }

  var COLOURS = ['#0b5cad', '#1a6b2f', '#a4161a', '#6a3d9a', '#b35900', '#00707a', '#4a5360', '#8c2d6b'];

  // The page hands each chart's data over as JSON in data-chart: {type, percent, labels, datasets: [{label, data}]}.
  function drawCharts() {
    if (!window.Chart) {
      return;
    }
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var chart = JSON.parse(canvas.dataset.chart);
      chart.datasets.forEach(function (dataset, i) {
        dataset.backgroundColor = COLOURS[i % COLOURS.length];
        dataset.borderColor = COLOURS[i % COLOURS.length];
        dataset.spanGaps = true;
      });
      new window.Chart(canvas, {
        type: chart.type,
        data: { labels: chart.labels, datasets: chart.datasets },
        options: { scales: { y: chart.percent ? { min: 0, max: 100 } : { beginAtZero: true } }, animation: false }
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    watchActivation();
    drawCharts();
  });
}());
